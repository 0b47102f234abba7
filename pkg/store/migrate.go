package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrSchemaNewer is returned (wrapped) when the database's schema version is higher than
// LatestVersion: a newer plugin migrated it, and this one must not touch or misread it.
var ErrSchemaNewer = errors.New("database schema is newer than this plugin")

// ErrChecksumMismatch is returned (wrapped) when an applied migration differs from the
// embedded file of the same version: migrations are forward-only and must never be edited.
var ErrChecksumMismatch = errors.New("applied migration differs from the embedded one")

// AppliedMigration names one migration applied by Migrate.
type AppliedMigration struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
}

// MigrateResult says what Migrate did.
type MigrateResult struct {
	Applied []AppliedMigration `json:"applied"` // empty when the schema was already current
	Version int                `json:"version"` // schema version afterwards
	Mode    Mode               `json:"mode"`    // store mode the migrations ran in
	Notices []string           `json:"notices"` // e.g. why TimescaleDB could not be enabled
}

// bootstrapSQL creates the bookkeeping table Migrate needs before any migration runs.
const bootstrapSQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    int         PRIMARY KEY,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    mode       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)`

// migrateLockKey is the advisory lock key for migrations of one schema. Two Grafana replicas
// (or the CLI and a replica) that migrate at once serialize on it: the first applies, the
// second waits, then finds nothing left to do.
func migrateLockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("platformlens.migrate:" + schema))
	return int64(h.Sum64())
}

// Migrate creates the schema if needed and applies every pending migration, each in its own
// transaction, while holding a session-level advisory lock. It is idempotent.
func (s *Store) Migrate(ctx context.Context) (MigrateResult, error) {
	ms, err := migrations()
	if err != nil {
		return MigrateResult{}, err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return MigrateResult{}, fmt.Errorf("migrate: %s", Explain(err))
	}
	defer conn.Release()

	key := migrateLockKey(s.schema)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return MigrateResult{}, fmt.Errorf("migrate: wait for the migration lock: %w", err)
	}
	defer func() {
		// A fresh context: the caller's may be cancelled, and the lock must not outlive us.
		// If unlocking fails the connection is broken, and closing it releases the lock.
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			_ = conn.Conn().Close(uctx)
		}
	}()

	res := MigrateResult{Applied: []AppliedMigration{}, Notices: []string{}}
	schemaIdent := pgx.Identifier{s.schema}.Sanitize()
	var fresh bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NULL",
		pgx.Identifier{s.schema, "schema_migrations"}.Sanitize()).Scan(&fresh); err != nil {
		return res, fmt.Errorf("migrate: %w", err)
	}
	if fresh {
		if notice := s.enableTimescale(ctx, conn); notice != "" {
			res.Notices = append(res.Notices, notice)
		}
	}
	info, err := detectMode(ctx, conn)
	if err != nil {
		return res, err
	}
	s.modeMu.Lock()
	s.mode, s.caggs = &info, nil
	s.modeMu.Unlock()
	res.Mode = info.Mode

	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schemaIdent); err != nil {
		return res, fmt.Errorf("migrate: create schema %s: %w (the database user needs CREATE privilege on the database, or an admin creates the schema)", schemaIdent, err)
	}
	if _, err := conn.Exec(ctx, "SET search_path = "+schemaIdent+", public"); err != nil {
		return res, err
	}
	if _, err := conn.Exec(ctx, bootstrapSQL); err != nil {
		return res, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	applied, err := appliedMigrations(ctx, conn)
	if err != nil {
		return res, err
	}
	if err := checkApplied(ms, applied); err != nil {
		return res, err
	}
	res.Version = maxVersion(applied)
	for _, m := range ms {
		if _, done := applied[m.Version]; done {
			continue
		}
		if err := applyMigration(ctx, conn, schemaIdent, info.Mode, ms, m); err != nil {
			return res, fmt.Errorf("migrate: version %d (%s) in %s mode: %w", m.Version, m.Name, info.Mode, err)
		}
		res.Applied = append(res.Applied, AppliedMigration{Version: m.Version, Name: m.Name})
		res.Version = m.Version
	}
	return res, nil
}

// enableTimescale installs the TimescaleDB extension (into public, where the search_path finds
// it) when the server offers it but this database lacks it. It runs only before the first
// migration: the store mode is fixed by the objects the migrations create. Failure (library not
// in shared_preload_libraries, no privilege) is not an error — the schema is built for plain
// PostgreSQL — but is reported so that an Admin can fix it before loading data.
func (s *Store) enableTimescale(ctx context.Context, conn *pgxpool.Conn) string {
	var available, installed bool
	var preload string
	err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),
		EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'),
		current_setting('shared_preload_libraries')`).Scan(&available, &installed, &preload)
	if err != nil || !available || installed {
		return ""
	}
	const after = "; the schema was created for plain PostgreSQL. To use TimescaleDB, fix that, then migrate into a new schema."
	// Without preloading, CREATE EXTENSION ends the session with FATAL: do not even try.
	if !strings.Contains(preload, "timescaledb") {
		return "TimescaleDB is installed on the server but not loaded (add timescaledb to shared_preload_libraries and restart PostgreSQL)" + after
	}
	// A separate, unpooled connection: if the attempt kills the session, the migration lock
	// survives, and a pool with MaxConns = 1 cannot deadlock.
	other, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return ""
	}
	defer other.Close(context.Background())
	if _, err := other.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public"); err != nil {
		return "TimescaleDB is available on the server but could not be enabled (" + Explain(err) + ")" + after
	}
	return ""
}

// renderMigration returns the SQL of m for a store mode.
func renderMigration(mode Mode, ms []migration, m migration) string {
	var b strings.Builder
	hasRollups := false
	for _, sec := range m.sections {
		switch sec.kind {
		case sectionAll:
		case sectionHypertables:
			if !mode.HasHypertables() {
				continue
			}
		case sectionTimescale:
			if !mode.HasContinuousAggregates() {
				continue
			}
		case sectionPlain:
			if mode.HasContinuousAggregates() {
				continue
			}
		case sectionRollup:
			hasRollups = true
			b.WriteString(sec.rollup.ddl(mode))
			b.WriteString("\n")
			continue
		}
		b.WriteString(sec.sql)
		b.WriteString("\n")
	}
	if hasRollups {
		// The function covers every rollup known at this version, so a later migration that
		// adds one simply redefines it.
		b.WriteString(refreshFunctionSQL(mode, rollupsUpTo(ms, m.Version)))
	}
	return b.String()
}

func applyMigration(ctx context.Context, conn *pgxpool.Conn, schemaIdent string, mode Mode, ms []migration, m migration) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	// Migrations may rewrite big tables: the pool's statement_timeout is for queries.
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0; SET LOCAL search_path = "+schemaIdent+", public"); err != nil {
		return err
	}
	// Simple protocol: a migration is a multi-statement script without parameters.
	if _, err := tx.Exec(ctx, renderMigration(mode, ms, m), pgx.QueryExecModeSimpleProtocol); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, checksum, mode) VALUES ($1, $2, $3, $4)",
		m.Version, m.Name, m.Checksum, string(mode)); err != nil {
		return err
	}
	if err := pauseJobs(ctx, tx, mode); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

type appliedRow struct {
	name, checksum string
}

func appliedMigrations(ctx context.Context, conn *pgxpool.Conn) (map[int]appliedRow, error) {
	rows, err := conn.Query(ctx, "SELECT version, name, checksum FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	out := map[int]appliedRow{}
	for rows.Next() {
		var v int
		var r appliedRow
		if err := rows.Scan(&v, &r.name, &r.checksum); err != nil {
			return nil, err
		}
		out[v] = r
	}
	return out, rows.Err()
}

func maxVersion(applied map[int]appliedRow) int {
	v := 0
	for k := range applied {
		v = max(v, k)
	}
	return v
}

// checkApplied refuses a newer schema and edited migrations.
func checkApplied(ms []migration, applied map[int]appliedRow) error {
	if v := maxVersion(applied); v > LatestVersion {
		return newerError(v)
	}
	for _, m := range ms {
		if a, ok := applied[m.Version]; ok && a.checksum != m.Checksum {
			return fmt.Errorf("%w: version %d (%s) was applied with checksum %.12s… but this plugin embeds %.12s…; "+
				"migrations must not change after release — restore the original file, or in development drop the schema and migrate again",
				ErrChecksumMismatch, m.Version, m.Name, a.checksum, m.Checksum)
		}
	}
	return nil
}

func newerError(v int) error {
	return fmt.Errorf("%w: the database is at schema version %d but this plugin supports up to version %d; "+
		"upgrade the PlatformLens plugin (or point it at another schema)", ErrSchemaNewer, v, LatestVersion)
}

// SchemaVersion returns the highest applied migration, or 0 when the schema was never migrated
// (the schema or its schema_migrations table does not exist).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL",
		pgx.Identifier{s.schema, "schema_migrations"}.Sanitize()).Scan(&exists); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := s.pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+
		pgx.Identifier{s.schema, "schema_migrations"}.Sanitize()).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// CheckSchema returns nil when the schema is exactly at LatestVersion, an error wrapping
// ErrSchemaNewer when it is newer, and a "run the migration" error when it is older.
func (s *Store) CheckSchema(ctx context.Context) error {
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case v > LatestVersion:
		return newerError(v)
	case v == 0:
		return fmt.Errorf("schema %q is not migrated: run the migration (app Configuration page, or `platformlens migrate`)", s.schema)
	case v < LatestVersion:
		return fmt.Errorf("schema %q is at version %d, the plugin needs %d: run the migration (app Configuration page, or `platformlens migrate`)", s.schema, v, LatestVersion)
	}
	return nil
}
