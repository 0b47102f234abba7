package records

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// MarshalJSON writes the record as a JSON object with its keys in column order.
func (r Record) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, f := range r {
		if i > 0 {
			buf = append(buf, ',')
		}
		k, err := json.Marshal(f.Key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", f.Key, err)
		}
		buf = append(append(append(buf, k...), ':'), v...)
	}
	return append(buf, '}'), nil
}

// WriteJSON writes t as a JSON array of objects, one per line, keys in column order. An empty
// table is "[]".
func WriteJSON(w io.Writer, t Table) error {
	bw := bufio.NewWriter(w)
	if len(t.Rows) == 0 {
		bw.WriteString("[]\n")
		return bw.Flush()
	}
	bw.WriteString("[\n")
	for i, rec := range t.Records() {
		b, err := rec.MarshalJSON()
		if err != nil {
			return err
		}
		bw.WriteString("  ")
		bw.Write(b)
		if i < len(t.Rows)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// WriteCSV writes t as CSV: a header of the columns, then one line per record; null is an
// empty cell, numbers in their shortest exact form. A table without columns writes nothing.
func WriteCSV(w io.Writer, t Table) error {
	if len(t.Columns) == 0 {
		return nil
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	line := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, v := range row {
			line[i] = Text(v)
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Text is the CSV form of a normalised value (see Value): "" for null.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
