package grafanahost

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// A small evaluator of Grafana's server-side expressions, enough to follow a rule's chain as
// Grafana alerting does: data query results become sets of series or numbers, reduce turns
// series into numbers, math combines sets by label, threshold compares. Values are float64 with
// NaN for null.

// item is one labelled value (a number) or labelled series of values.
type item struct {
	labels data.Labels
	value  float64   // a number (after reduce, math, threshold, or a table query)
	series []float64 // a series before reduce; nil for numbers
}

func (it item) key() string { return it.labels.String() }

// fromFrames converts a data query's frames the way alerting reads them: a frame with a time
// field is a time series (each numeric field a series, labelled by its field labels); a frame
// without one is a table whose single numeric column holds one number per row, labelled by the
// row's string columns. Label sets must be unique.
func fromFrames(frames data.Frames) ([]item, error) {
	var out []item
	seen := map[string]bool{}
	add := func(it item) error {
		if seen[it.key()] {
			return fmt.Errorf("duplicate label set %s: alerting rejects results with two series of one label set", it.key())
		}
		seen[it.key()] = true
		out = append(out, it)
		return nil
	}
	for _, f := range frames {
		rows, _ := f.RowLen()
		if rows == 0 {
			continue
		}
		var timeField *data.Field
		var numbers, strs []*data.Field
		for _, fld := range f.Fields {
			switch {
			case isTime(fld):
				timeField = fld
			case isNumber(fld):
				numbers = append(numbers, fld)
			case isString(fld):
				strs = append(strs, fld)
			default:
				return nil, fmt.Errorf("frame %q field %s has type %s, which alerting cannot read", f.Name, fld.Name, fld.Type())
			}
		}
		if len(numbers) == 0 {
			return nil, fmt.Errorf("frame %q has no numeric field: alerting needs numbers", f.Name)
		}
		if timeField != nil {
			if len(strs) > 0 {
				return nil, fmt.Errorf("frame %q is a long time series (string column %s): alerting needs wide or multi-frame series", f.Name, strs[0].Name)
			}
			for _, fld := range numbers {
				vals := make([]float64, fld.Len())
				for i := range vals {
					vals[i] = floatAt(fld, i)
				}
				if err := add(item{labels: fld.Labels, series: vals}); err != nil {
					return nil, err
				}
			}
			continue
		}
		if len(numbers) != 1 {
			return nil, fmt.Errorf("table frame %q has %d numeric columns: alerting reads tables with exactly one", f.Name, len(numbers))
		}
		for r := 0; r < rows; r++ {
			labels := data.Labels{}
			for _, s := range strs {
				if v, ok := s.ConcreteAt(r); ok {
					labels[s.Name] = fmt.Sprint(v)
				}
			}
			if err := add(item{labels: labels, value: floatAt(numbers[0], r)}); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func floatAt(f *data.Field, i int) float64 {
	v, ok := f.ConcreteAt(i)
	if !ok || v == nil {
		return math.NaN()
	}
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case int:
		return float64(x)
	case uint64:
		return float64(x)
	}
	return math.NaN()
}

// reduce is the reduce expression: reducer last/mean/max/min/sum/count; mode "" (strict: any
// NaN gives NaN), dropNN (drop NaN) or replaceNN (NaN becomes replaceWith). Numbers pass through.
func reduce(in []item, reducer, mode string, replaceWith float64) ([]item, error) {
	var out []item
	for _, it := range in {
		if it.series == nil {
			out = append(out, it)
			continue
		}
		var vals []float64
		for _, v := range it.series {
			if math.IsNaN(v) {
				switch mode {
				case "dropNN":
					continue
				case "replaceNN":
					v = replaceWith
				}
			}
			vals = append(vals, v)
		}
		r, err := reduceValues(vals, reducer)
		if mode == "" && reducer != "count" && anyNaN(vals) {
			r = math.NaN() // strict mode: a null anywhere makes the result null
		}
		if err != nil {
			return nil, err
		}
		out = append(out, item{labels: it.labels, value: r})
	}
	return out, nil
}

func anyNaN(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}

func reduceValues(v []float64, reducer string) (float64, error) {
	if reducer == "count" {
		return float64(len(v)), nil
	}
	if len(v) == 0 {
		return math.NaN(), nil
	}
	switch reducer {
	case "last":
		return v[len(v)-1], nil
	case "sum", "mean":
		s := 0.0
		for _, x := range v {
			s += x
		}
		if reducer == "mean" {
			s /= float64(len(v))
		}
		return s, nil
	case "max":
		r := v[0]
		for _, x := range v[1:] {
			r = math.Max(r, x)
		}
		return r, nil
	case "min":
		r := v[0]
		for _, x := range v[1:] {
			r = math.Min(r, x)
		}
		return r, nil
	}
	return 0, fmt.Errorf("reducer %q is not supported by the host suite's evaluator", reducer)
}

// threshold is the threshold expression: gt, lt, within_range (a < x < b), outside_range
// (x < a or x > b); 1 when met, 0 when not, NaN stays NaN.
func threshold(in []item, typ string, params []float64) ([]item, error) {
	need := map[string]int{"gt": 1, "lt": 1, "within_range": 2, "outside_range": 2}[typ]
	if need == 0 || len(params) < need {
		return nil, fmt.Errorf("threshold %q with params %v is not supported", typ, params)
	}
	out := make([]item, 0, len(in))
	for _, it := range in {
		if it.series != nil {
			return nil, fmt.Errorf("threshold on a series (%s): reduce it first", it.key())
		}
		x, met := it.value, false
		switch typ {
		case "gt":
			met = x > params[0]
		case "lt":
			met = x < params[0]
		case "within_range":
			met = x > params[0] && x < params[1]
		case "outside_range":
			met = x < params[0] || x > params[1]
		}
		v := 0.0
		if met {
			v = 1
		}
		if math.IsNaN(x) {
			v = math.NaN()
		}
		out = append(out, item{labels: it.labels, value: v})
	}
	return out, nil
}

// mathExpr evaluates a math expression over earlier results: $A / ${A} references, numbers,
// + - * /, comparisons (> < >= <= == !=, 1 or 0), && ||, ! and parentheses, with the usual
// precedence. Sets combine by labels: a single unlabelled (or single) item applies to every
// item of the other side, otherwise items pair when one's labels contain the other's.
func mathExpr(expr string, vars map[string][]item) ([]item, error) {
	p := &mathParser{src: expr, vars: vars}
	p.next()
	v, err := p.parseBinary(0)
	if err != nil {
		return nil, fmt.Errorf("math %q: %w", expr, err)
	}
	if p.tok != "" {
		return nil, fmt.Errorf("math %q: unexpected %q", expr, p.tok)
	}
	return v, nil
}

type mathParser struct {
	src  string
	pos  int
	tok  string
	vars map[string][]item
}

var precedence = map[string]int{"||": 1, "&&": 2, "==": 3, "!=": 3, ">": 4, "<": 4, ">=": 4, "<=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}

func (p *mathParser) next() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.src) {
		p.tok = ""
		return
	}
	rest := p.src[p.pos:]
	for _, op := range []string{"||", "&&", "==", "!=", ">=", "<="} {
		if strings.HasPrefix(rest, op) {
			p.tok, p.pos = op, p.pos+2
			return
		}
	}
	c := rune(rest[0])
	switch {
	case strings.ContainsRune("+-*/%()<>!", c):
		p.tok, p.pos = string(c), p.pos+1
	case c == '$':
		end := 1
		if strings.HasPrefix(rest, "${") {
			end = strings.IndexByte(rest, '}') + 1
		} else {
			for end < len(rest) && (unicode.IsLetter(rune(rest[end])) || unicode.IsDigit(rune(rest[end])) || rest[end] == '_') {
				end++
			}
		}
		p.tok, p.pos = rest[:end], p.pos+end
	default:
		end := 0
		for end < len(rest) && (unicode.IsDigit(rune(rest[end])) || rest[end] == '.' || rest[end] == 'e') {
			end++
		}
		if end == 0 {
			end = 1
		}
		p.tok, p.pos = rest[:end], p.pos+end
	}
}

func (p *mathParser) parseBinary(minPrec int) ([]item, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		op := p.tok
		prec, ok := precedence[op]
		if !ok || prec <= minPrec {
			return left, nil
		}
		p.next()
		right, err := p.parseBinary(prec)
		if err != nil {
			return nil, err
		}
		if left, err = combine(left, right, op); err != nil {
			return nil, err
		}
	}
}

func (p *mathParser) parseUnary() ([]item, error) {
	switch tok := p.tok; {
	case tok == "(":
		p.next()
		v, err := p.parseBinary(0)
		if err != nil {
			return nil, err
		}
		if p.tok != ")" {
			return nil, fmt.Errorf("missing )")
		}
		p.next()
		return v, nil
	case tok == "-" || tok == "!":
		p.next()
		v, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		if tok == "-" {
			return combine([]item{{value: 0}}, v, "-")
		}
		return combine(v, []item{{value: 0}}, "==")
	case strings.HasPrefix(tok, "$"):
		name := strings.Trim(strings.TrimPrefix(tok, "$"), "{}")
		v, ok := p.vars[name]
		if !ok {
			return nil, fmt.Errorf("$%s is not an earlier result", name)
		}
		p.next()
		return v, nil
	default:
		x, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return nil, fmt.Errorf("unexpected %q", tok)
		}
		p.next()
		return []item{{value: x}}, nil
	}
}

// combine applies op to two sets, matched by labels.
func combine(a, b []item, op string) ([]item, error) {
	var out []item
	apply := func(x, y item) error {
		if x.series != nil || y.series != nil {
			return fmt.Errorf("math on series is not supported by the host suite's evaluator: reduce first")
		}
		labels := x.labels
		if len(y.labels) > len(labels) {
			labels = y.labels
		}
		out = append(out, item{labels: labels, value: binop(x.value, y.value, op)})
		return nil
	}
	switch {
	case len(b) == 1:
		for _, x := range a {
			if err := apply(x, b[0]); err != nil {
				return nil, err
			}
		}
	case len(a) == 1:
		for _, y := range b {
			if err := apply(a[0], y); err != nil {
				return nil, err
			}
		}
	default:
		for _, x := range a {
			for _, y := range b {
				if labelsContain(x.labels, y.labels) || labelsContain(y.labels, x.labels) {
					if err := apply(x, y); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out, nil
}

func labelsContain(super, sub data.Labels) bool {
	for k, v := range sub {
		if super[k] != v {
			return false
		}
	}
	return true
}

func binop(x, y float64, op string) float64 {
	b := func(c bool) float64 {
		if c {
			return 1
		}
		return 0
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN()
	}
	switch op {
	case "+":
		return x + y
	case "-":
		return x - y
	case "*":
		return x * y
	case "/":
		return x / y
	case "%":
		return math.Mod(x, y)
	case ">":
		return b(x > y)
	case "<":
		return b(x < y)
	case ">=":
		return b(x >= y)
	case "<=":
		return b(x <= y)
	case "==":
		return b(x == y)
	case "!=":
		return b(x != y)
	case "&&":
		return b(x != 0 && y != 0)
	case "||":
		return b(x != 0 || y != 0)
	}
	return math.NaN()
}
