package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Format is an output format of the report.
type Format string

// The report formats.
const (
	FormatPDF      Format = "pdf"
	FormatCSV      Format = "csv"
	FormatXLSX     Format = "xlsx"
	FormatMarkdown Format = "md"
)

// Formats lists the formats in the order the CLI names them.
var Formats = []Format{FormatPDF, FormatCSV, FormatXLSX, FormatMarkdown}

// ContentType is the MIME type of a format (e-mail attachments, HTTP).
func (f Format) ContentType() string {
	switch f {
	case FormatPDF:
		return "application/pdf"
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/markdown; charset=utf-8"
}

// Render writes r in format f.
func Render(w io.Writer, r *Report, f Format) error {
	switch f {
	case FormatPDF:
		return RenderPDF(w, r)
	case FormatCSV:
		return RenderCSV(w, r)
	case FormatXLSX:
		return RenderXLSX(w, r)
	case FormatMarkdown:
		return RenderMarkdown(w, r)
	}
	return fmt.Errorf("report format %q is unknown; use pdf, csv, xlsx or md", f)
}

// filterText describes the filters ("all data" without).
func (r *Report) filterText() string {
	if len(r.Filters) == 0 {
		return "all data"
	}
	keys := make([]string, 0, len(r.Filters))
	for k := range r.Filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+" = "+strings.Join(r.Filters[k], ", "))
	}
	return strings.Join(parts, "; ")
}

// kpiRow is the text of a KPI in every renderer: label, value, change, target.
func kpiRow(k KPI) []string {
	target := ""
	if k.Target != nil {
		side := "≥ "
		if !k.HigherIsBetter {
			side = "≤ "
		}
		target = side + FormatValue(k.Unit, k.Target)
		if k.Breached() {
			target += " (missed)"
		} else if k.Value != nil {
			target += " (met)"
		}
	}
	return []string{k.Label, FormatValue(k.Unit, k.Value), FormatChange(k.ChangePct), target}
}

// RenderMarkdown writes r as Markdown: a heading per section, KPI and data tables, the chart's
// values as a table, and the recommendations as a list.
func RenderMarkdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n%s (end exclusive, UTC) · %s\n", r.Title, r.Period(), r.filterText())
	esc := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
	row := func(cells []string) {
		for i := range cells {
			cells[i] = esc(cells[i])
		}
		fmt.Fprintf(bw, "| %s |\n", strings.Join(cells, " | "))
	}
	head := func(cells ...string) {
		row(cells)
		fmt.Fprintf(bw, "|%s\n", strings.Repeat(" --- |", len(cells)))
	}
	for _, s := range r.Sections {
		fmt.Fprintf(bw, "\n## %d. %s\n\n%s\n", s.Number, s.Title, s.Reading)
		if len(s.KPIs) > 0 {
			bw.WriteString("\n")
			head("Metric", "Value", "Change vs previous period", "Target")
			for _, k := range s.KPIs {
				row(kpiRow(k))
			}
		}
		if c := s.Chart; c != nil && len(c.Values) > 0 {
			fmt.Fprintf(bw, "\n**%s**\n\n", c.Title)
			head("", "value")
			for i, l := range c.Labels {
				v := c.Values[i]
				row([]string{l, FormatValue(c.Unit, &v)})
			}
		}
		for _, t := range s.Tables {
			fmt.Fprintf(bw, "\n**%s** (%s)\n\n", t.Title, t.Metric)
			if len(t.Rows) == 0 {
				bw.WriteString("No data.\n")
				continue
			}
			head(t.Columns...)
			for _, rr := range t.Rows {
				cells := make([]string, len(rr))
				for i, v := range rr {
					cells[i] = cellText(v)
				}
				row(cells)
			}
		}
		for i, rec := range s.Recommendations {
			fmt.Fprintf(bw, "\n%d. **[%s]** %s  \n   _Evidence (%s):_ %s\n", i+1, rec.Severity, esc(rec.Text), rec.Rule, esc(rec.Evidence))
		}
	}
	return bw.Flush()
}
