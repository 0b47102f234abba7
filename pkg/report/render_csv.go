package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/platformlens/platformlens-analytics-app/pkg/records"
)

// RenderCSV writes every number of r as one CSV whose lines start with the section number, the
// block (title, kpi, a table's title, recommendation) and the metric id, followed by the block's
// own columns; each block starts with a header line of its columns. Numbers are unrounded and
// table cells use records.Text, the same conversion as the API's CSV. Lines differ in length.
func RenderCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	write := func(cells ...string) { _ = cw.Write(cells) }
	write("section", "block", "metric", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8")
	write("0", "report", "", r.Title, r.From.Format("2006-01-02T15:04:05Z07:00"), r.To.Format("2006-01-02T15:04:05Z07:00"), r.filterText())
	txt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	for _, s := range r.Sections {
		sec := strconv.Itoa(s.Number)
		write(sec, "title", "", s.Title, s.Reading)
		if len(s.KPIs) > 0 {
			write(sec, "kpi", "metric", "label", "unit", "value", "previous", "change_percent", "target", "higher_is_better")
		}
		for _, k := range s.KPIs {
			hib := ""
			if k.Target != nil {
				hib = strconv.FormatBool(k.HigherIsBetter)
			}
			write(sec, "kpi", k.Metric, k.Label, k.Unit, txt(k.Value), txt(k.Previous), txt(k.ChangePct), txt(k.Target), hib)
		}
		for _, t := range s.Tables {
			write(append([]string{sec, t.Title, t.Metric}, t.Columns...)...)
			for _, row := range t.Rows {
				cells := []string{sec, t.Title, t.Metric}
				for _, v := range row {
					cells = append(cells, records.Text(v))
				}
				write(cells...)
			}
		}
		for _, rec := range s.Recommendations {
			write(sec, "recommendation", rec.Rule, rec.Severity, rec.Text, rec.Evidence)
		}
	}
	cw.Flush()
	return cw.Error()
}
