package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Format is a file format the importer reads.
type Format string

// Supported import formats.
const (
	CSV    Format = "csv"    // header row of column names; empty cell = NULL
	NDJSON Format = "ndjson" // one JSON object per line, as the ingest API takes them
)

// FormatOf tells the format from a file name's extension.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".ndjson", ".jsonl":
		return NDJSON, nil
	}
	return "", fmt.Errorf("cannot tell the format of %q: name it .csv, .ndjson or .jsonl", path)
}

// ReadBatches reads records from r and calls fn with consecutive batches of at most size rows,
// each row a JSON object keyed by column name (CSV cells are converted by their column's kind).
// first is the number of records before the batch, so first + RowError.Index is the 0-based
// record number in the file.
func ReadBatches(r io.Reader, f Format, t *Table, size int, fn func(first int, rows []json.RawMessage) error) error {
	if size <= 0 || size > MaxBatchRows {
		size = MaxBatchRows
	}
	var batch []json.RawMessage
	first := 0
	add := func(row json.RawMessage) error {
		batch = append(batch, row)
		if len(batch) < size {
			return nil
		}
		err := fn(first, batch)
		first += len(batch)
		batch = nil
		return err
	}
	var err error
	switch f {
	case CSV:
		err = readCSV(r, t, add)
	case NDJSON:
		err = readNDJSON(r, add)
	default:
		err = fmt.Errorf("unknown format %q", f)
	}
	if err != nil {
		return err
	}
	if len(batch) > 0 {
		return fn(first, batch)
	}
	return nil
}

func readNDJSON(r io.Reader, add func(json.RawMessage) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxBatchBytes)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := add(json.RawMessage(bytes.Clone(b))); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read line %d: %w", line+1, err)
	}
	return nil
}

func readCSV(r io.Reader, t *Table, add func(json.RawMessage) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return errors.New("the CSV file is empty: it needs a header row of column names")
	}
	if err != nil {
		return fmt.Errorf("read CSV header: %w", err)
	}
	cols := make([]*Column, len(header))
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if ci := t.ColumnIndex(names[i]); ci >= 0 {
			cols[i] = &t.Columns[ci]
		}
		// Unknown columns are passed through so that validation names them per row.
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read CSV: %w", err)
		}
		var b bytes.Buffer
		b.WriteByte('{')
		n := 0
		for i, cell := range rec {
			if i >= len(names) || strings.TrimSpace(cell) == "" {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			key, _ := json.Marshal(names[i])
			b.Write(key)
			b.WriteByte(':')
			b.Write(csvValue(cols[i], strings.TrimSpace(cell)))
		}
		b.WriteByte('}')
		if err := add(json.RawMessage(b.Bytes())); err != nil {
			return err
		}
	}
}

// csvValue renders a CSV cell as the JSON its column expects. Cells that do not fit stay JSON
// strings, so that validation reports them with the column's own reason.
func csvValue(c *Column, cell string) []byte {
	str := func() []byte { b, _ := json.Marshal(cell); return b }
	if c == nil {
		return str()
	}
	switch c.Kind {
	case Float, Int, Numeric:
		if validScalar([]byte(cell)) && cell != "true" && cell != "false" && cell != "null" {
			return []byte(cell)
		}
	case Bool:
		switch strings.ToLower(cell) {
		case "true", "t", "yes", "1":
			return []byte("true")
		case "false", "f", "no", "0":
			return []byte("false")
		}
	case TextArray:
		if strings.HasPrefix(cell, "[") {
			return []byte(cell)
		}
		// "a;b;c" or PostgreSQL's "{a,b,c}".
		sep := ";"
		if strings.HasPrefix(cell, "{") && strings.HasSuffix(cell, "}") {
			cell, sep = cell[1:len(cell)-1], ","
		}
		var list []string
		for _, s := range strings.Split(cell, sep) {
			if s = strings.Trim(strings.TrimSpace(s), `"`); s != "" {
				list = append(list, s)
			}
		}
		b, _ := json.Marshal(list)
		return b
	case JSONObject:
		if json.Valid([]byte(cell)) {
			return []byte(cell)
		}
	}
	return str()
}
