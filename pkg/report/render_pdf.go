package report

import (
	"fmt"
	"io"
	"math"

	"codeberg.org/go-pdf/fpdf"
)

// PDF layout: A4 portrait, 15 mm margins, one section per page (page 1 also carries the title).
const (
	pageW, margin = 210.0, 15.0
	contentW      = pageW - 2*margin
	pageBottom    = 297.0 - 18
	maxPDFRows    = 15 // table rows per table in the PDF; the CSV and XLSX carry all of them
)

// pdfDoc wraps fpdf with the report's text translator (core fonts are cp1252, so "–", "≥" and
// "€" must be translated or replaced).
type pdfDoc struct {
	*fpdf.Fpdf
	tr func(string) string
}

func (d *pdfDoc) text(s string) string {
	return d.tr(replacer(s))
}

// replacer maps characters cp1252 lacks to close equivalents.
func replacer(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case '≥':
			out = append(out, '>', '=')
		case '≤':
			out = append(out, '<', '=')
		case '÷':
			out = append(out, '/')
		case '±':
			out = append(out, '+', '/', '-')
		default:
			out = append(out, r)
		}
	}
	return string(out)
}

// RenderPDF writes r as a PDF: per section its heading, reading, KPI table, chart, data tables
// and (last section) the recommendations with their evidence.
func RenderPDF(w io.Writer, r *Report) error {
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{Fpdf: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, 18)
	f.SetTitle(r.Title, true)
	f.SetCreator("PlatformLens", true)
	f.SetFooterFunc(func() {
		f.SetY(-12)
		f.SetFont("Helvetica", "", 8)
		f.SetTextColor(120, 120, 120)
		f.CellFormat(0, 5, d.text(fmt.Sprintf("%s · %s · page %d", r.Title, r.Period(), f.PageNo())), "", 0, "C", false, 0, "")
	})
	for i, s := range r.Sections {
		f.AddPage()
		if i == 0 {
			f.SetFont("Helvetica", "B", 20)
			f.SetTextColor(20, 40, 80)
			f.CellFormat(0, 10, d.text(r.Title), "", 1, "L", false, 0, "")
			f.SetFont("Helvetica", "", 10)
			f.SetTextColor(80, 80, 80)
			f.CellFormat(0, 6, d.text(r.Period()+" (end exclusive, UTC) · "+r.filterText()), "", 1, "L", false, 0, "")
			f.Ln(4)
		}
		d.section(s)
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("render PDF: %w", err)
	}
	return f.Output(w)
}

func (d *pdfDoc) section(s Section) {
	f := d.Fpdf
	f.SetFont("Helvetica", "B", 15)
	f.SetTextColor(20, 40, 80)
	f.CellFormat(0, 9, d.text(fmt.Sprintf("%d. %s", s.Number, s.Title)), "B", 1, "L", false, 0, "")
	f.Ln(2)
	f.SetFont("Helvetica", "I", 10)
	f.SetTextColor(40, 40, 40)
	f.MultiCell(0, 5, d.text(s.Reading), "", "L", false)
	f.Ln(3)
	if len(s.KPIs) > 0 {
		d.kpis(s.KPIs)
	}
	if s.Chart != nil {
		d.chart(s.Chart)
	}
	for _, t := range s.Tables {
		d.table(t)
	}
	if len(s.Recommendations) > 0 {
		d.recommendations(s.Recommendations)
	}
}

func (d *pdfDoc) kpis(ks []KPI) {
	f := d.Fpdf
	widths := []float64{62, 38, 34, 46}
	f.SetFont("Helvetica", "B", 9)
	f.SetFillColor(230, 235, 245)
	f.SetTextColor(20, 20, 20)
	for i, h := range []string{"Metric", "Value", "vs previous", "Target"} {
		f.CellFormat(widths[i], 6, h, "", 0, "L", true, 0, "")
	}
	f.Ln(-1)
	f.SetFont("Helvetica", "", 9)
	for _, k := range ks {
		cells := kpiRow(k)
		for i, c := range cells {
			f.SetTextColor(20, 20, 20)
			if i == 1 && k.Target != nil && k.Value != nil {
				if k.Breached() {
					f.SetTextColor(190, 30, 30)
				} else {
					f.SetTextColor(20, 130, 60)
				}
			}
			f.CellFormat(widths[i], 5.5, d.fit(c, widths[i]), "B", 0, "L", false, 0, "")
		}
		f.Ln(-1)
	}
	f.Ln(4)
}

// fit shortens s (translated) with "..." until it fits width mm in the current font.
func (d *pdfDoc) fit(s string, width float64) string {
	t := d.text(s)
	for len(t) > 3 && d.GetStringWidth(t) > width-2 {
		t = t[:len(t)-4] + "..."
	}
	return t
}

func (d *pdfDoc) chart(c *Chart) {
	f := d.Fpdf
	if len(c.Values) == 0 {
		return
	}
	h := 58.0
	if c.Kind == "bar" {
		h = math.Min(8+6*float64(len(c.Values)), 70)
	}
	if f.GetY()+h+10 > pageBottom {
		f.AddPage()
	}
	f.SetFont("Helvetica", "B", 10)
	f.SetTextColor(20, 40, 80)
	f.CellFormat(0, 6, d.text(c.Title), "", 1, "L", false, 0, "")
	x0, y0 := margin, f.GetY()
	lo, hi := c.Values[0], c.Values[0]
	for _, v := range c.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	f.SetFont("Helvetica", "", 7.5)
	f.SetTextColor(60, 60, 60)
	if c.Kind == "bar" {
		labelW, valW := 48.0, 26.0
		barW := contentW - labelW - valW
		scale := barW / math.Max(hi, 1e-9)
		if lo < 0 {
			scale = barW / (hi - lo)
		}
		n := math.Min(float64(len(c.Values)), 10)
		for i := 0; i < int(n); i++ {
			y := y0 + float64(i)*6
			v := c.Values[i]
			f.SetXY(x0, y)
			f.CellFormat(labelW, 5, d.fit(c.Labels[i], labelW), "", 0, "R", false, 0, "")
			f.SetFillColor(70, 110, 180)
			f.Rect(x0+labelW+1, y+0.8, math.Max(0.3, v*scale), 3.6, "F")
			f.SetXY(x0+labelW+1+math.Max(0.3, v*scale)+1, y)
			f.CellFormat(valW, 5, d.text(FormatValue(c.Unit, &v)), "", 0, "L", false, 0, "")
		}
		f.SetXY(margin, y0+n*6+4)
		return
	}
	// Line chart: y axis from the data's range padded by 5 %, first/last labels on the x axis.
	pad := (hi - lo) * 0.05
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.01, 1)
	}
	min := lo
	lo, hi = lo-pad, hi+pad
	if min >= 0 && lo < 0 {
		lo = 0 // counts and rates never go below zero: keep the axis there
	}
	if c.Unit == "%" && hi > 100 && hi-pad <= 100 {
		hi = 100 // nor do percentages exceed 100
	}
	axisW, plotH := 22.0, h-14
	px, pw := x0+axisW, contentW-axisW
	f.SetDrawColor(180, 180, 180)
	f.Rect(px, y0, pw, plotH, "D")
	for _, yv := range []float64{lo, (lo + hi) / 2, hi} {
		y := y0 + plotH - (yv-lo)/(hi-lo)*plotH
		f.SetXY(x0, y-2)
		v := yv
		f.CellFormat(axisW-1, 4, d.text(FormatValue(c.Unit, &v)), "", 0, "R", false, 0, "")
	}
	f.SetDrawColor(70, 110, 180)
	f.SetLineWidth(0.5)
	step := pw / math.Max(float64(len(c.Values)-1), 1)
	for i := 1; i < len(c.Values); i++ {
		ya := y0 + plotH - (c.Values[i-1]-lo)/(hi-lo)*plotH
		yb := y0 + plotH - (c.Values[i]-lo)/(hi-lo)*plotH
		f.Line(px+float64(i-1)*step, ya, px+float64(i)*step, yb)
	}
	f.SetLineWidth(0.2)
	f.SetXY(px, y0+plotH+1)
	f.CellFormat(pw/2, 4, d.text(c.Labels[0]), "", 0, "L", false, 0, "")
	f.CellFormat(pw/2, 4, d.text(c.Labels[len(c.Labels)-1]), "", 0, "R", false, 0, "")
	f.SetXY(margin, y0+h)
}

func (d *pdfDoc) table(t Table) {
	f := d.Fpdf
	if f.GetY()+20 > pageBottom {
		f.AddPage()
	}
	f.SetFont("Helvetica", "B", 10)
	f.SetTextColor(20, 40, 80)
	f.CellFormat(0, 6, d.text(t.Title), "", 1, "L", false, 0, "")
	f.SetTextColor(20, 20, 20)
	if len(t.Rows) == 0 || len(t.Columns) == 0 {
		f.SetFont("Helvetica", "I", 9)
		f.CellFormat(0, 5, "No data for this period.", "", 1, "L", false, 0, "")
		f.Ln(3)
		return
	}
	ws := d.columnWidths(t)
	f.SetFont("Helvetica", "B", 8)
	f.SetFillColor(230, 235, 245)
	for i, c := range t.Columns {
		f.CellFormat(ws[i], 5.5, d.fit(c, ws[i]), "", 0, "L", true, 0, "")
	}
	f.Ln(-1)
	f.SetFont("Helvetica", "", 8)
	for i, row := range t.Rows {
		if i == maxPDFRows {
			f.SetFont("Helvetica", "I", 8)
			f.CellFormat(0, 5, fmt.Sprintf("... %d more rows in the CSV and XLSX versions", len(t.Rows)-maxPDFRows), "", 1, "L", false, 0, "")
			break
		}
		for i, v := range row {
			f.CellFormat(ws[i], 5, d.fit(cellText(v), ws[i]), "B", 0, "L", false, 0, "")
		}
		f.Ln(-1)
	}
	f.Ln(4)
}

// columnWidths shares the page width among the columns by their widest text (header or the
// rows the PDF shows), each at least 16 mm, so long text columns (pain points) get the room.
func (d *pdfDoc) columnWidths(t Table) []float64 {
	want := make([]float64, len(t.Columns))
	d.SetFont("Helvetica", "", 8)
	for i, c := range t.Columns {
		want[i] = d.GetStringWidth(d.text(c)) + 3
	}
	for r, row := range t.Rows {
		if r == maxPDFRows {
			break
		}
		for i, v := range row {
			want[i] = math.Max(want[i], d.GetStringWidth(d.text(cellText(v)))+3)
		}
	}
	total := 0.0
	for i := range want {
		want[i] = math.Max(want[i], 16)
		total += want[i]
	}
	for i := range want {
		want[i] *= contentW / total
	}
	return want
}

func (d *pdfDoc) recommendations(rs []Recommendation) {
	f := d.Fpdf
	colors := map[string][3]int{"high": {190, 30, 30}, "medium": {200, 120, 0}, "low": {90, 90, 90}}
	for i, r := range rs {
		c := colors[r.Severity]
		f.SetFont("Helvetica", "B", 9.5)
		f.SetTextColor(c[0], c[1], c[2])
		f.CellFormat(22, 5.5, fmt.Sprintf("%d. %s", i+1, r.Severity), "", 0, "L", false, 0, "")
		f.SetTextColor(20, 20, 20)
		f.SetFont("Helvetica", "", 9.5)
		f.MultiCell(0, 5.5, d.text(r.Text), "", "L", false)
		f.SetX(margin + 22)
		f.SetFont("Helvetica", "", 7.5)
		f.SetTextColor(100, 100, 100)
		f.MultiCell(0, 4, d.text("Evidence ("+r.Rule+"): "+r.Evidence), "", "L", false)
		f.Ln(2)
	}
}
