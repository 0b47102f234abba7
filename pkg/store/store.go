// Package store owns PlatformLens's PostgreSQL/TimescaleDB connection: the pgx pool, store-mode
// detection, the embedded versioned migrations, table status and rollup refresh.
//
// Every pooled connection has search_path = <schema>, public, so the rest of the code base uses
// unqualified table names (docs/architecture.md, "Database conventions").
package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is a connection pool bound to one PlatformLens schema. It is safe for concurrent use.
type Store struct {
	pool   *pgxpool.Pool
	schema string
	now    func() time.Time

	modeMu sync.Mutex
	mode   *ModeInfo // cached by Mode; reset by DetectMode and Migrate
	caggs  *bool     // rollups are continuous aggregates; cached by RefreshRollups, reset by Migrate
}

// Open validates cfg and creates the pool. It does not connect: the first query (or Ping) does,
// so a datasource can be created while the database is down and recovers when it comes back.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg = cfg.withDefaults()
	if strings.TrimSpace(cfg.Schema) == "" {
		return nil, errors.New("schema name is empty")
	}
	pc, err := cfg.poolConfig()
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Store{pool: pool, schema: cfg.Schema, now: now}, nil
}

// Now returns the store's clock reading (Config.Now): what freshness and "recent" are measured from.
func (s *Store) Now() time.Time { return s.now() }

// Pool returns the underlying pgx pool (search_path and statement_timeout already set).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Schema returns the PostgreSQL schema that holds the PlatformLens tables.
func (s *Store) Schema() string { return s.schema }

// Ping checks that a connection can be established and answers; wrap its error with Explain
// for people.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Close closes every connection of the pool.
func (s *Store) Close() { s.pool.Close() }
