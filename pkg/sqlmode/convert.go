package sqlmode

import (
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// cutReason says which limit ended a result early.
type cutReason int

const (
	cutNone  cutReason = iota
	cutRows            // the row limit
	cutBytes           // the byte limit
)

// frameReader accumulates rows into a frame until the row or byte limit is reached.
type frameReader struct {
	frame     *data.Frame
	descs     []pgconn.FieldDescription
	kinds     []kind
	rowLimit  int
	byteLimit int
	n         int // rows kept
	bytes     int // approximate size of the values kept
	cut       cutReason
}

func newFrameReader(descs []pgconn.FieldDescription, rowLimit, byteLimit int) *frameReader {
	r := &frameReader{frame: data.NewFrame(""), descs: descs, kinds: make([]kind, len(descs)), rowLimit: rowLimit, byteLimit: byteLimit}
	for i, d := range descs {
		r.kinds[i] = kindOf(d.DataTypeOID)
		r.frame.Fields = append(r.frame.Fields, newField(d.Name, r.kinds[i]))
	}
	return r
}

// read appends the rows of one result until a limit is reached (r.cut says which).
func (r *frameReader) read(rows pgx.Rows) error {
	for r.cut == cutNone && rows.Next() {
		if r.n == r.rowLimit {
			r.cut = cutRows
			break
		}
		// The raw size decides before anything is decoded, so an oversized row costs nothing.
		size := 16 * len(r.descs)
		for _, v := range rows.RawValues() {
			size += len(v)
		}
		if r.bytes+size > r.byteLimit {
			r.cut = cutBytes
			break
		}
		values, err := rows.Values()
		if err != nil {
			return err
		}
		for i, v := range values {
			cv, err := convert(r.kinds[i], v)
			if err != nil {
				return fmt.Errorf("column %q, row %d: %w", r.descs[i].Name, r.n+1, err)
			}
			r.frame.Fields[i].Append(cv)
		}
		r.n++
		r.bytes += size
	}
	return rows.Err()
}

// nextBatch sizes the next FETCH from the average row seen so far: enough rows to reach the
// nearer limit (plus one to notice it), never more than fetchBatch.
func (r *frameReader) nextBatch() int {
	want := r.rowLimit + 1 - r.n
	if r.n > 0 {
		avg := max(1, r.bytes/r.n)
		want = min(want, (r.byteLimit-r.bytes)/avg+1)
	}
	return max(1, min(want, fetchBatch))
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
