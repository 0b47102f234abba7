package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Mode is the store mode: what the connected database can do (docs/architecture.md).
type Mode string

// The three store modes. See shared/spec/timescaledb-notes.md.
const (
	// ModeTimescaleDB: TimescaleDB under the Timescale License — hypertables, continuous
	// aggregates, compression and retention policies.
	ModeTimescaleDB Mode = "timescaledb"
	// ModeTimescaleApache: TimescaleDB with license=apache (some managed services) —
	// hypertables and time_bucket only; rollups are plain tables as on PostgreSQL.
	ModeTimescaleApache Mode = "timescaledb-apache"
	// ModePostgreSQL: no TimescaleDB extension; plain tables, date_bin/date_trunc buckets.
	ModePostgreSQL Mode = "postgresql"
)

// HasHypertables reports whether event tables are (or become) hypertables in this mode.
func (m Mode) HasHypertables() bool { return m == ModeTimescaleDB || m == ModeTimescaleApache }

// HasContinuousAggregates reports whether rollups are continuous aggregates (with compression
// and retention policies) rather than plain tables refreshed by refresh_rollups().
func (m Mode) HasContinuousAggregates() bool { return m == ModeTimescaleDB }

// ModeInfo describes the connected server.
type ModeInfo struct {
	Mode               Mode   `json:"mode"`
	PostgresVersion    string `json:"postgresVersion"`    // server_version, e.g. "15.20 (Debian …)"
	PostgresVersionNum int    `json:"postgresVersionNum"` // server_version_num, e.g. 150020
	TimescaleVersion   string `json:"timescaleVersion"`   // extversion, "" without the extension
	TimescaleLicense   string `json:"timescaleLicense"`   // timescaledb.license, "" without the extension
}

// Mode returns the store mode, detecting it on first use and caching it afterwards
// (DetectMode and Migrate refresh the cache, e.g. after the extension was installed).
func (s *Store) Mode(ctx context.Context) (ModeInfo, error) {
	s.modeMu.Lock()
	cached := s.mode
	s.modeMu.Unlock()
	if cached != nil {
		return *cached, nil
	}
	return s.DetectMode(ctx)
}

// DetectMode asks the server which mode applies and updates the cache.
func (s *Store) DetectMode(ctx context.Context) (ModeInfo, error) {
	info, err := detectMode(ctx, s.pool)
	if err != nil {
		return ModeInfo{}, err
	}
	s.modeMu.Lock()
	s.mode = &info
	s.modeMu.Unlock()
	return info, nil
}

// queryRower is what detectMode needs; pools, connections and transactions satisfy it.
type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// detectMode reads the server version, the installed TimescaleDB version and its license.
// current_setting(…, true) yields NULL when the GUC is unknown (extension library not loaded).
func detectMode(ctx context.Context, db queryRower) (ModeInfo, error) {
	var info ModeInfo
	var tsVersion, license *string
	err := db.QueryRow(ctx, `SELECT current_setting('server_version'),
		current_setting('server_version_num')::int,
		(SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),
		current_setting('timescaledb.license', true)`).Scan(&info.PostgresVersion, &info.PostgresVersionNum, &tsVersion, &license)
	if err != nil {
		return ModeInfo{}, fmt.Errorf("detect store mode: %w", err)
	}
	info.Mode = ModePostgreSQL
	if tsVersion != nil {
		info.TimescaleVersion = *tsVersion
		if license != nil {
			info.TimescaleLicense = *license
		}
		// Only the Timescale License enables continuous aggregates and policies; an unknown
		// license (library not preloaded) is treated as the restrictive Apache edition.
		if info.TimescaleLicense == "timescale" {
			info.Mode = ModeTimescaleDB
		} else {
			info.Mode = ModeTimescaleApache
		}
	}
	return info, nil
}
