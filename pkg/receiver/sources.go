package receiver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SourceStatus is what serve has received from one source into one table (table "" for
// deliveries mapped to no table: ignored events, bad signatures, malformed bodies).
type SourceStatus struct {
	Source            string     `json:"source"`
	Table             string     `json:"table"`
	Received          int64      `json:"received"`
	Stored            int64      `json:"stored"`
	Duplicates        int64      `json:"duplicates"`
	Rejected          int64      `json:"rejected"`
	Ignored           int64      `json:"ignored"`
	SignatureFailures int64      `json:"signatureFailures"`
	Malformed         int64      `json:"malformed"`
	LastEventAt       *time.Time `json:"lastEventAt"`
	LastReceivedAt    *time.Time `json:"lastReceivedAt"`
}

// UnmappedName is a repository or service whose events were stored as "unassigned".
type UnmappedName struct {
	Source    string    `json:"source"`
	Name      string    `json:"name"`
	Events    int64     `json:"events"`
	FirstSeen time.Time `json:"firstSeen"`
	LastSeen  time.Time `json:"lastSeen"`
}

// SourcesReport is the answer of the datasource's GET /sources (the Data page).
type SourcesReport struct {
	// Installed is false when the schema predates the receiver tables (run the migration).
	Installed bool           `json:"installed"`
	Sources   []SourceStatus `json:"sources"`
	Unmapped  []UnmappedName `json:"unmapped"`
}

// maxUnmappedListed bounds the unmapped names returned (most events first).
const maxUnmappedListed = 200

// ReadSources reads serve's bookkeeping (flushed every few seconds by serve).
func ReadSources(ctx context.Context, pool *pgxpool.Pool, schema string) (SourcesReport, error) {
	rep := SourcesReport{Installed: true, Sources: []SourceStatus{}, Unmapped: []UnmappedName{}}
	rows, err := pool.Query(ctx, fmt.Sprintf(`SELECT source, table_name, received, stored, duplicates, rejected, ignored,
			signature_failures, malformed, last_event_at, last_received_at
		FROM %s ORDER BY source, table_name LIMIT 1000`, pgx.Identifier{schema, "receiver_sources"}.Sanitize()))
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table: not migrated yet
			rep.Installed = false
			return rep, nil
		}
		return rep, err
	}
	rep.Sources, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (SourceStatus, error) {
		var s SourceStatus
		err := r.Scan(&s.Source, &s.Table, &s.Received, &s.Stored, &s.Duplicates, &s.Rejected, &s.Ignored,
			&s.SignatureFailures, &s.Malformed, &s.LastEventAt, &s.LastReceivedAt)
		return s, err
	})
	if err != nil {
		return rep, err
	}
	rows, err = pool.Query(ctx, fmt.Sprintf(`SELECT source, name, events, first_seen, last_seen FROM %s
		ORDER BY events DESC, source, name LIMIT %d`, pgx.Identifier{schema, "receiver_unmapped"}.Sanitize(), maxUnmappedListed))
	if err != nil {
		return rep, err
	}
	rep.Unmapped, err = pgx.CollectRows(rows, pgx.RowToStructByPos[UnmappedName])
	return rep, err
}
