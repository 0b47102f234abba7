package grafanahost

import (
	"fmt"
	"math"

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
