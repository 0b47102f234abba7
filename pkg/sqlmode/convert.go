package sqlmode

import (
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// kind is the frame field type a PostgreSQL column becomes.
type kind int

const (
	kindString kind = iota
	kindBool
	kindInt
	kindFloat
	kindTime
)

// kindOf maps a column's type OID to a field kind. Anything not listed (text, jsonb, uuid,
// interval, arrays, enums, …) becomes a string so every query can be shown.
func kindOf(oid uint32) kind {
	switch oid {
	case pgtype.BoolOID:
		return kindBool
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID:
		return kindInt
	case pgtype.Float4OID, pgtype.Float8OID, pgtype.NumericOID:
		return kindFloat
	case pgtype.DateOID, pgtype.TimestampOID, pgtype.TimestamptzOID:
		return kindTime
	}
	return kindString
}

func newField(name string, k kind) *data.Field {
	switch k {
	case kindBool:
		return data.NewField(name, nil, []*bool{})
	case kindInt:
		return data.NewField(name, nil, []*int64{})
	case kindFloat:
		return data.NewField(name, nil, []*float64{})
	case kindTime:
		return data.NewField(name, nil, []*time.Time{})
	}
	return data.NewField(name, nil, []*string{})
}

// readFrame reads at most limit rows into a frame; truncated reports that more rows existed.
func readFrame(rows pgx.Rows, limit int) (*data.Frame, bool, error) {
	descs := rows.FieldDescriptions()
	kinds := make([]kind, len(descs))
	frame := data.NewFrame("")
	for i, d := range descs {
		kinds[i] = kindOf(d.DataTypeOID)
		frame.Fields = append(frame.Fields, newField(d.Name, kinds[i]))
	}
	n := 0
	truncated := false
	for rows.Next() {
		if n == limit {
			truncated = true
			break
		}
		values, err := rows.Values()
		if err != nil {
			return nil, false, err
		}
		for i, v := range values {
			cv, err := convert(kinds[i], v)
			if err != nil {
				return nil, false, fmt.Errorf("column %q, row %d: %w", descs[i].Name, n+1, err)
			}
			frame.Fields[i].Append(cv)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	return frame, truncated, nil
}

// convert turns one decoded pgx value into the pointer type of its field (nil for SQL NULL).
func convert(k kind, v any) (any, error) {
	if v == nil {
		return nilOf(k), nil
	}
	switch k {
	case kindBool:
		if b, ok := v.(bool); ok {
			return &b, nil
		}
	case kindInt:
		switch x := v.(type) {
		case int16:
			i := int64(x)
			return &i, nil
		case int32:
			i := int64(x)
			return &i, nil
		case int64:
			return &x, nil
		case uint32:
			i := int64(x)
			return &i, nil
		}
	case kindFloat:
		switch x := v.(type) {
		case float32:
			f := float64(x)
			return &f, nil
		case float64:
			return &x, nil
		case pgtype.Numeric:
			f, err := x.Float64Value()
			if err != nil {
				return nil, err
			}
			if !f.Valid {
				return (*float64)(nil), nil
			}
			return &f.Float64, nil
		}
	case kindTime:
		if t, ok := v.(time.Time); ok {
			t = t.UTC()
			return &t, nil
		}
		// ±infinity has no time.Time; show it as a gap rather than failing the query.
		return (*time.Time)(nil), nil
	case kindString:
		s, err := toText(v)
		return &s, err
	}
	return nil, fmt.Errorf("unexpected value %T for its column type", v)
}

func nilOf(k kind) any {
	switch k {
	case kindBool:
		return (*bool)(nil)
	case kindInt:
		return (*int64)(nil)
	case kindFloat:
		return (*float64)(nil)
	case kindTime:
		return (*time.Time)(nil)
	}
	return (*string)(nil)
}

// toText renders values without a dedicated field type: jsonb and arrays as JSON, uuid in its
// canonical form, bytea as \x hex (as psql shows it), others through their SQL text form.
func toText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return `\x` + hex.EncodeToString(x), nil
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16]), nil
	case map[string]any, []any:
		b, err := json.Marshal(x)
		return string(b), err
	case driver.Valuer:
		dv, err := x.Value()
		if err != nil {
			return "", err
		}
		if s, ok := dv.(string); ok {
			return s, nil
		}
		return fmt.Sprint(dv), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return fmt.Sprint(v), nil
}
