package datasource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// Status is the store's report (mode, versions, tables, freshness, ingest errors).
func (e *pgEngine) Status(ctx context.Context) (any, error) {
	st, err := e.st.Status(ctx)
	if err != nil {
		return nil, dbError(err)
	}
	return st, nil
}

// Variables lists the values of a dimension for template variables.
func (e *pgEngine) Variables(ctx context.Context, dimension string, selections map[string][]string) ([]Option, error) {
	vals, err := e.metrics.Values(ctx, dimension, selections)
	if err != nil {
		return nil, downstream(err)
	}
	out := make([]Option, len(vals))
	for i, v := range vals {
		out[i] = Option{Value: v.Value, Text: v.Text}
	}
	return out, nil
}

// TagKeys lists the ad hoc filter keys of a metric with their labels.
func (e *pgEngine) TagKeys(_ context.Context, metric string) ([]Option, error) {
	keys, err := metrics.TagKeys(metric)
	if err != nil {
		return nil, downstream(err)
	}
	labels := map[string]string{}
	for _, d := range metrics.Dimensions() {
		labels[d.ID] = d.Label
	}
	out := make([]Option, len(keys))
	for i, k := range keys {
		out[i] = Option{Value: k, Text: k}
		if l, ok := labels[k]; ok {
			out[i].Text = l
		}
	}
	return out, nil
}

// TagValues lists the values of an ad hoc filter key: the same lists as template variables.
func (e *pgEngine) TagValues(ctx context.Context, key string, selections map[string][]string) ([]Option, error) {
	return e.Variables(ctx, key, selections)
}

// CheckSchema fails unless the schema is migrated and current (cached like the query path's check).
func (e *pgEngine) CheckSchema(ctx context.Context) error { return e.checkSchema(ctx) }

// Demo loads the deterministic demo data set. Another load on the same database (another Grafana
// replica, the CLI) is a 409-style error with what to do.
func (e *pgEngine) Demo(ctx context.Context, tier string, seed int64, end time.Time, progress func(demo.Progress)) (demo.Result, error) {
	if seed < 0 {
		return demo.Result{}, &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf("demo seed must not be negative, got %d", seed)}
	}
	if err := e.checkSchema(ctx); err != nil {
		return demo.Result{}, err
	}
	res, err := demo.Load(ctx, e.st, demo.Options{Tier: demo.Tier(tier), Seed: uint64(seed), End: end, Progress: progress})
	if errors.Is(err, demo.ErrBusy) {
		return res, &httpError{status: http.StatusConflict, msg: "another demo load is running on this database (another Grafana instance or the CLI)",
			hint: "wait for it to finish, then load the demo data again"}
	}
	if err != nil {
		return res, dbError(err)
	}
	return res, nil
}

// Target is one row of the targets table (GET/PUT /targets).
type Target struct {
	Key            string     `json:"key"`
	Value          *float64   `json:"value"`
	Unit           *string    `json:"unit,omitempty"`
	HigherIsBetter *bool      `json:"higherIsBetter,omitempty"`
	Description    *string    `json:"description,omitempty"`
	UpdatedAt      *time.Time `json:"updatedAt,omitempty"`
}

// Targets lists the targets table.
func (e *pgEngine) Targets(ctx context.Context) (any, error) {
	return e.readTargets(ctx, e.st.Pool())
}

func (e *pgEngine) readTargets(ctx context.Context, db rowQuerier) ([]Target, error) {
	rows, err := db.Query(ctx, `SELECT key, value, unit, higher_is_better, description, updated_at FROM targets ORDER BY key`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []Target{}
	for rows.Next() {
		var t Target
		if err := rows.Scan(&t.Key, &t.Value, &t.Unit, &t.HigherIsBetter, &t.Description, &t.UpdatedAt); err != nil {
			return nil, dbError(err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(err)
	}
	return out, nil
}

// PutTargets upserts targets given as a JSON array in one transaction: value is required, unit,
// higherIsBetter and description keep their stored values when omitted. It answers the table.
func (e *pgEngine) PutTargets(ctx context.Context, body json.RawMessage) (any, error) {
	var in []Target
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, &httpError{status: http.StatusBadRequest, msg: "PUT /targets body must be an array of targets: " + err.Error(),
			hint: `send [{"key":"uptime","value":99.9}]`}
	}
	for i, t := range in {
		switch {
		case strings.TrimSpace(t.Key) == "":
			return nil, &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf("target %d has no key", i)}
		case t.Value == nil || math.IsNaN(*t.Value) || math.IsInf(*t.Value, 0):
			return nil, &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf("target %d (%s) needs a finite number as value", i, t.Key)}
		}
	}
	var out []Target
	err := pgx.BeginFunc(ctx, e.st.Pool(), func(tx pgx.Tx) error {
		for _, t := range in {
			// Omitted fields keep their stored values; the VALUES row must already be complete
			// because NOT NULL is checked before ON CONFLICT.
			if _, err := tx.Exec(ctx, `INSERT INTO targets (key, value, unit, higher_is_better, description, updated_at)
				VALUES ($1, $2,
					coalesce($3, (SELECT unit FROM targets WHERE key = $1)),
					coalesce($4, (SELECT higher_is_better FROM targets WHERE key = $1)),
					coalesce($5, (SELECT description FROM targets WHERE key = $1), ''),
					now())
				ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, unit = EXCLUDED.unit,
					higher_is_better = EXCLUDED.higher_is_better, description = EXCLUDED.description,
					updated_at = EXCLUDED.updated_at`, t.Key, *t.Value, t.Unit, t.HigherIsBetter, t.Description); err != nil {
				var pgErr *pgconn.PgError
				if errors.As(err, &pgErr) && pgErr.Code == "23502" {
					return &httpError{status: http.StatusBadRequest,
						msg: fmt.Sprintf("target %s is new, so it needs unit and higherIsBetter as well as value", t.Key)}
				}
				return fmt.Errorf("target %s: %w", t.Key, err)
			}
		}
		var err error
		out, err = e.readTargets(ctx, tx)
		return err
	})
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			return nil, err
		}
		return nil, dbError(err)
	}
	return out, nil
}
