package metrics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// fill says what a bucket without any row is worth for one aggregate.
type fill int

const (
	fillNull fill = iota // ratios, means, percentiles: unknown
	fillZero             // counts and sums: nothing happened
)

// aggSpec describes an aggregate metric over one row source. The engine adds the time range,
// filters, group-by and buckets around Source, so the metric's SQL is written once.
type aggSpec struct {
	// Source is a SELECT yielding ts (the event time), one column per dimension in Dims (named
	// like the dimension) and the measure columns Values aggregate.
	Source string
	Dims   Columns
	// Values are aggregate expressions over the measure columns; Fill says how each fills an
	// empty bucket.
	Values []string
	Fill   []fill
	// Latest keeps only the latest row per (bucket, Latest column) before aggregating: metrics
	// over "each repo's latest snapshot".
	Latest string
	// Post combines Values into the metric's value, given the part of the bucket inside the
	// range; nil means Values[0].
	Post func(v []*float64, span time.Duration) *float64
	// Rollups serve long ranges (checked in order, coarsest first).
	Rollups []rollup
	// Args are named arguments Source uses besides @from/@to (and @mid_from/@mid_to in rollups).
	Args pgx.NamedArgs
}

// rollup is a cheaper row source with the same measure columns, built from a rollup table for
// the whole grain-aligned middle of the range [@mid_from, @mid_to) plus raw rows for the partial
// grains at both edges, so it answers exactly what the raw source answers.
type rollup struct {
	Grain  time.Duration
	Source string
	Dims   Columns
}

// minRollupRange is the range from which rollups are worth reading.
const minRollupRange = 7 * 24 * time.Hour

// pickRollup returns the rollup that can answer q and the grain-aligned middle of its range.
func (s *aggSpec) pickRollup(q Query) (*rollup, time.Time, time.Time) {
	if s.Latest != "" || q.To.Sub(q.From) < minRollupRange {
		return nil, time.Time{}, time.Time{}
	}
	for i := range s.Rollups {
		r := &s.Rollups[i]
		if q.Format == FormatTimeSeries && !q.Bucket.AtLeast(r.Grain) {
			continue
		}
		if !usesOnly(q, r.Dims) {
			continue
		}
		midFrom, midTo := q.From.Truncate(r.Grain), q.To.Truncate(r.Grain)
		if midFrom.Before(q.From) {
			midFrom = midFrom.Add(r.Grain)
		}
		if midFrom.Before(midTo) {
			return r, midFrom, midTo
		}
	}
	return nil, time.Time{}, time.Time{}
}

// buildSQL returns the statement and its arguments for q over spec.
func (s *aggSpec) buildSQL(env *Env, q Query, useRollups bool) (string, pgx.NamedArgs, error) {
	args := pgx.NamedArgs{"from": q.From, "to": q.To}
	for k, v := range s.Args {
		args[k] = v
	}
	source, dims := s.Source, s.Dims
	if useRollups {
		if r, mf, mt := s.pickRollup(q); r != nil {
			source, dims = r.Source, r.Dims
			args["mid_from"], args["mid_to"] = mf, mt
		}
	}
	where, err := FilterSQL(q, dims, args)
	if err != nil {
		return "", nil, err
	}
	g, err := groupColumn(q, dims)
	if err != nil {
		return "", nil, err
	}
	vals := make([]string, len(s.Values))
	for i, v := range s.Values {
		vals[i] = fmt.Sprintf("(%s)::double precision AS v%d", v, i)
	}
	t := "@from::timestamptz"
	if q.Format == FormatTimeSeries {
		t = bucketSQL(env.Timescale(), q.Bucket, "s.ts")
	}
	cond := "s.ts >= @from AND s.ts < @to" + where
	if s.Latest == "" {
		return fmt.Sprintf("SELECT %s AS t, %s AS g, %s\nFROM (%s) s\nWHERE %s\nGROUP BY 1, 2 ORDER BY 1, 2",
			t, g, strings.Join(vals, ", "), source, cond), args, nil
	}
	latest := "s." + s.Latest
	return fmt.Sprintf("SELECT t, g, %s\nFROM (SELECT DISTINCT ON (1, %s) %s AS t, %s AS g, s.*\n  FROM (%s) s\n  WHERE %s\n  ORDER BY 1, %s, s.ts DESC) s\nGROUP BY 1, 2 ORDER BY 1, 2",
		strings.Join(vals, ", "), latest, t, g, source, cond, latest), args, nil
}

// runAgg runs spec for q and returns gap-filled series on q's grid.
func runAgg(ctx context.Context, env *Env, q Query, s *aggSpec) (*Result, error) {
	return runAggPath(ctx, env, q, s, !env.rawOnly)
}

// runAggPath is runAgg with the rollup path switchable (tests compare both paths).
func runAggPath(ctx context.Context, env *Env, q Query, s *aggSpec, useRollups bool) (*Result, error) {
	sql, args, err := s.buildSQL(env, q, useRollups)
	if err != nil {
		return nil, err
	}
	cells, err := queryGrid(ctx, env, q, sql, args, scanFloats(len(s.Values)), nil)
	if err != nil {
		return nil, err
	}
	series, err := cells.series(ctx, func(start time.Time, vals []*float64, ok bool) *float64 {
		if !ok {
			vals = s.emptyBucket()
		}
		return s.value(vals, bucketSpan(q, start))
	})
	if err != nil {
		return nil, err
	}
	return &Result{SQL: sql, Series: series}, nil
}

func (s *aggSpec) emptyBucket() []*float64 {
	vals := make([]*float64, len(s.Values))
	for i := range vals {
		if i < len(s.Fill) && s.Fill[i] == fillZero {
			vals[i] = fptr(0)
		}
	}
	return vals
}

func (s *aggSpec) value(vals []*float64, span time.Duration) *float64 {
	if s.Post != nil {
		return s.Post(vals, span)
	}
	return vals[0]
}

func fptr(v float64) *float64 { return &v }

// perDay divides a count by the days of the span (deployment frequency).
func perDay(v []*float64, span time.Duration) *float64 {
	if v[0] == nil || span <= 0 {
		return nil
	}
	return fptr(*v[0] / (span.Hours() / 24))
}

// aggMetric registers def computed by spec.
func registerAgg(def Definition, spec *aggSpec) {
	if def.Dimensions == nil {
		def.Dimensions = spec.Dims.keys()
	}
	RegisterSeries(def, func(ctx context.Context, env *Env, q Query) (*Result, error) {
		return runAgg(ctx, env, q, spec)
	})
}
