package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// RenderXLSX writes r as a workbook with one sheet per section: the reading, the KPIs (numbers
// as numbers, so spreadsheets can compute with them), each table and the recommendations.
func RenderXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, s := range r.Sections {
		// Sheet names: at most 31 characters, no []:*?/\ — the section titles qualify.
		name := fmt.Sprintf("%d %s", s.Number, s.Title)
		if len(name) > 31 {
			name = name[:31]
		}
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		row := 1
		put := func(style bool, cells ...any) {
			for c, v := range cells {
				ref, _ := excelize.CoordinatesToCellName(c+1, row)
				_ = f.SetCellValue(name, ref, v)
				if style {
					_ = f.SetCellStyle(name, ref, ref, bold)
				}
			}
			row++
		}
		put(true, fmt.Sprintf("%d. %s", s.Number, s.Title))
		put(false, r.Period()+" · "+r.filterText())
		put(false, s.Reading)
		row++
		if len(s.KPIs) > 0 {
			put(true, "metric", "label", "unit", "value", "previous", "change_percent", "target")
			for _, k := range s.KPIs {
				put(false, k.Metric, k.Label, k.Unit, orEmpty(k.Value), orEmpty(k.Previous), orEmpty(k.ChangePct), orEmpty(k.Target))
			}
			row++
		}
		for _, t := range s.Tables {
			put(true, t.Title+" ("+t.Metric+")")
			hdr := make([]any, len(t.Columns))
			for j, c := range t.Columns {
				hdr[j] = c
			}
			put(true, hdr...)
			for _, rr := range t.Rows {
				put(false, rr...)
			}
			row++
		}
		if len(s.Recommendations) > 0 {
			put(true, "severity", "rule", "recommendation", "evidence")
			for _, rec := range s.Recommendations {
				put(false, rec.Severity, rec.Rule, rec.Text, rec.Evidence)
			}
		}
		_ = f.SetColWidth(name, "A", "A", 28)
		_ = f.SetColWidth(name, "B", "H", 16)
	}
	_, err = f.WriteTo(w)
	return err
}

// orEmpty is a cell value: the number, or nil (an empty cell) without one.
func orEmpty(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}
