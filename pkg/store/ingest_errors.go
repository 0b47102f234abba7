package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// IngestError is one row of ingest_errors: a row the ingest path (ingest API, importer,
// receivers) rejected and why. The table's SQL, reading and writing, lives in this file.
type IngestError struct {
	ID       int64     `json:"id"` // assigned by the database; ignored by RecordIngestErrors
	At       time.Time `json:"at"`
	Table    string    `json:"table"`
	Source   *string   `json:"source"`
	RowIndex *int      `json:"rowIndex"`
	Field    *string   `json:"field"`
	Reason   string    `json:"reason"`
}

// CopyFromer is what RecordIngestErrors writes through: a pool, a connection or a transaction.
type CopyFromer interface {
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
}

// RecordIngestErrors appends rows to ingest_errors through db (a transaction makes them commit
// with the rows stored beside them), for the Configuration page and GET /status.
func RecordIngestErrors(ctx context.Context, db CopyFromer, rows []IngestError) error {
	if len(rows) == 0 {
		return nil
	}
	src := pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
		e := rows[i]
		var index any
		if e.RowIndex != nil {
			index = int32(*e.RowIndex)
		}
		return []any{e.At, e.Table, e.Source, index, e.Field, e.Reason}, nil
	})
	_, err := db.CopyFrom(ctx, pgx.Identifier{"ingest_errors"},
		[]string{"at", "table_name", "source", "row_index", "field", "reason"}, src)
	if err != nil {
		return fmt.Errorf("record rejected rows in ingest_errors: %w", err)
	}
	return nil
}

// IngestErrors lists the newest limit rows of ingest_errors (rows the ingest path rejected),
// newest first: GET /ingest/errors and the status report.
func (s *Store) IngestErrors(ctx context.Context, limit int) ([]IngestError, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, at, table_name, source, row_index, field, reason
		FROM ingest_errors ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("read ingest_errors: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (IngestError, error) {
		var e IngestError
		err := r.Scan(&e.ID, &e.At, &e.Table, &e.Source, &e.RowIndex, &e.Field, &e.Reason)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("read ingest_errors: %w", err)
	}
	if out == nil {
		out = []IngestError{}
	}
	return out, nil
}
