package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

func init() {
	register(command{
		name:    "import",
		summary: "import a CSV or NDJSON file into a table through the ingest path (validated, idempotent)",
		usage:   "--table T --file F.csv|F.ndjson [--source S] [--allow-partial] [--dsn DSN] [--schema NAME]",
		run:     runImport,
	})
}

// unknownColumn is a column the table does not have, reported once per import.
type unknownColumn struct {
	records, first int
	reason         string
}

// maxListedRejects bounds the rejected rows printed; all are counted and kept in ingest_errors.
const maxListedRejects = 20

func runImport(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlagSet("import")
	db := addDBFlags(fs)
	table := fs.String("table", "", "table to import into (events or dimensions, e.g. builds, teams)")
	file := fs.String("file", "", "file to read: .csv (header row of column names) or .ndjson/.jsonl")
	source := fs.String("source", "import", "source of rows that carry none (part of the idempotency key)")
	partial := fs.Bool("allow-partial", false, "store the valid rows even if some rows are invalid (they are listed)")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	t, ok := ingest.Lookup(*table)
	if !ok {
		return usagef("--table: %v", &ingest.UnknownTableError{Name: *table})
	}
	if *file == "" {
		return usagef("--file is required")
	}
	format, err := ingest.FormatOf(*file)
	if err != nil {
		return usagef("%v", err)
	}
	read := func(fn func(first int, rows []json.RawMessage) error) error {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		return ingest.ReadBatches(f, format, t, 1000, fn)
	}

	// Pass 1 validates the whole file, so that without --allow-partial a bad row anywhere means
	// nothing at all is stored (not just the batches after it).
	rows, bad := 0, 0
	listed := 0
	// An unknown column is a problem of the file (a CSV header, a producer's extra field), not of
	// each row: it is reported once, with how many records carry it.
	unknown := map[string]*unknownColumn{}
	var unknownOrder []string
	err = read(func(first int, batch []json.RawMessage) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		v := ingest.Validate(t, batch, *source)
		rows += len(batch)
		bad += v.RejectedRows()
		for _, e := range v.Rejected {
			if strings.HasPrefix(e.Reason, "is not a column") {
				u := unknown[e.Field]
				if u == nil {
					u = &unknownColumn{first: first + e.Index + 1, reason: e.Reason}
					unknown[e.Field] = u
					unknownOrder = append(unknownOrder, e.Field)
				}
				u.records++
				continue
			}
			if listed < maxListedRejects {
				fmt.Fprintf(out, "record %d: %s %s\n", first+e.Index+1, e.Field, e.Reason)
			}
			listed++
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return interruptedError{}
		}
		return err
	}
	if listed > maxListedRejects {
		fmt.Fprintf(out, "… and %d more problems\n", listed-maxListedRejects)
	}
	for _, col := range unknownOrder {
		u := unknown[col]
		fmt.Fprintf(out, "column %q %s (in %d records, from record %d); columns of %s: %s\n",
			col, u.reason, u.records, u.first, t.Name, strings.Join(t.ColumnNames(), ", "))
	}
	if bad > 0 && !*partial {
		return fmt.Errorf("%d of %d records are invalid; nothing was imported (fix them, or pass --allow-partial to import the valid ones)", bad, rows)
	}

	st, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{Source: *source, AllowPartial: *partial})
	var total ingest.Result
	err = read(func(first int, batch []json.RawMessage) error {
		res, err := w.Write(ctx, t.Name, batch)
		total.Stored += res.Stored
		total.Duplicates += res.Duplicates
		if err != nil {
			return fmt.Errorf("records %d–%d: %w", first+1, first+len(batch), err)
		}
		return nil
	})
	if ctx.Err() != nil {
		// Batches are idempotent: what was stored stays, a re-run skips it as duplicates.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		_ = w.Flush(fctx)
		cancel()
		return interruptedError{stored: int64(total.Stored)}
	}
	if ferr := w.Flush(ctx); ferr != nil {
		err = errors.Join(err, ferr)
	}
	fmt.Fprintf(out, "%s: %d stored, %d already present, %d rejected (of %d records in %s)\n",
		t.Name, total.Stored, total.Duplicates, bad, rows, *file)
	return err
}
