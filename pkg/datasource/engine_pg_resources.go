package datasource

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Status is the store's report (mode, versions, tables, freshness, ingest errors).
func (e *pgEngine) Status(ctx context.Context) (store.Status, error) {
	st, err := e.st.Status(ctx)
	if err != nil {
		return st, dbError(err)
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

// Targets lists the targets table.
func (e *pgEngine) Targets(ctx context.Context) ([]metrics.TargetRow, error) {
	return e.metrics.Targets(ctx)
}

// PutTargets upserts targets and answers the table (validation and SQL: pkg/metrics/targets.go).
func (e *pgEngine) PutTargets(ctx context.Context, targets []metrics.TargetRow) ([]metrics.TargetRow, error) {
	return e.metrics.PutTargets(ctx, targets)
}
