package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Target is one row of the targets table: the value a metric should reach.
type Target struct {
	Key            string
	Value          float64
	Unit           string
	HigherIsBetter bool
}

// Thresholds colours a field by the target: green on the good side of it, red on the other.
func (t Target) Thresholds() *data.ThresholdsConfig {
	below, above := "red", "green"
	if !t.HigherIsBetter {
		below, above = "green", "red"
	}
	return &data.ThresholdsConfig{Mode: data.ThresholdsModeAbsolute, Steps: []data.Threshold{
		data.NewThreshold(math.Inf(-1), below, ""),
		data.NewThreshold(t.Value, above, ""),
	}}
}

// Target reads the target with key; nil (no error) when key is "" or not in the table, so a
// deleted target only removes the colouring.
func (e *Env) Target(ctx context.Context, key string) (*Target, error) {
	if key == "" {
		return nil, nil
	}
	t := Target{Key: key}
	var unit *string
	var hib *bool
	err := e.DB.QueryRow(ctx, `SELECT value, unit, higher_is_better FROM targets WHERE key = $1`, key).Scan(&t.Value, &unit, &hib)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, dbError("read target "+key, err)
	}
	if unit != nil {
		t.Unit = *unit
	}
	t.HigherIsBetter = hib == nil || *hib
	return &t, nil
}

// SettingFloat reads a numeric setting (settings.value is jsonb: a number or a numeric string)
// and returns def when it is absent.
func (e *Env) SettingFloat(ctx context.Context, key string, def float64) (float64, error) {
	var raw []byte
	err := e.DB.QueryRow(ctx, `SELECT value::text FROM settings WHERE key = $1`, key).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return def, nil
	}
	if err != nil {
		return 0, dbError("read setting "+key, err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return def, nil
	}
	switch x := v.(type) {
	case float64:
		return x, nil
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return f, nil
		}
	}
	return def, nil
}

// SettingString reads a text setting from the settings table, def when unset or not a string.
func (e *Env) SettingString(ctx context.Context, key, def string) (string, error) {
	var raw []byte
	err := e.DB.QueryRow(ctx, `SELECT value::text FROM settings WHERE key = $1`, key).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return def, nil
	}
	if err != nil {
		return "", dbError("read setting "+key, err)
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil || v == "" {
		return def, nil
	}
	return v, nil
}

// TargetRow is one row of the targets table as GET/PUT /targets serve it. On PUT, nil fields
// other than Value keep their stored values.
type TargetRow struct {
	Key            string     `json:"key"`
	Value          *float64   `json:"value"`
	Unit           *string    `json:"unit,omitempty"`
	HigherIsBetter *bool      `json:"higherIsBetter,omitempty"`
	Description    *string    `json:"description,omitempty"`
	UpdatedAt      *time.Time `json:"updatedAt,omitempty"`
}

// Targets lists the targets table, ordered by key.
func (e *Engine) Targets(ctx context.Context) ([]TargetRow, error) { return readTargets(ctx, e.db) }

func readTargets(ctx context.Context, db Querier) ([]TargetRow, error) {
	rows, err := db.Query(ctx, `SELECT key, value, unit, higher_is_better, description, updated_at FROM targets ORDER BY key`)
	if err != nil {
		return nil, dbError("read targets", err)
	}
	defer rows.Close()
	out := []TargetRow{}
	for rows.Next() {
		var t TargetRow
		if err := rows.Scan(&t.Key, &t.Value, &t.Unit, &t.HigherIsBetter, &t.Description, &t.UpdatedAt); err != nil {
			return nil, dbError("read targets", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("read targets", err)
	}
	return out, nil
}

// txBeginner is the part of a pool PutTargets needs for its transaction.
type txBeginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// PutTargets upserts targets in one transaction and returns the whole table: value is required;
// unit, higherIsBetter and description keep their stored values when omitted (a new key needs
// unit and higherIsBetter). Invalid input is a downstream error that says which target is wrong.
func (e *Engine) PutTargets(ctx context.Context, in []TargetRow) ([]TargetRow, error) {
	for i, t := range in {
		switch {
		case strings.TrimSpace(t.Key) == "":
			return nil, backend.DownstreamErrorf("target %d has no key", i)
		case t.Value == nil || math.IsNaN(*t.Value) || math.IsInf(*t.Value, 0):
			return nil, backend.DownstreamErrorf("target %d (%s) needs a finite number as value", i, t.Key)
		}
	}
	db, ok := e.db.(txBeginner)
	if !ok {
		return nil, backend.PluginErrorf("the metrics engine's database cannot open transactions")
	}
	var out []TargetRow
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
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
					return backend.DownstreamErrorf("target %s is new, so it needs unit and higherIsBetter as well as value", t.Key)
				}
				return dbError("store target "+t.Key, err)
			}
		}
		var err error
		out, err = readTargets(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TargetQuery is the query JSON of queryType "target": the value of one row of the targets table,
// so that alert rules compare a metric with the target the Configuration page edits instead of
// a copy of it. Default answers when the row does not exist (the minimum-volume guards of the
// alert rules, which an Admin adds to the table only to change them).
type TargetQuery struct {
	Key     string   `json:"key"`
	Default *float64 `json:"default"`
}

// maxTargetKey bounds the key read from hostile query JSON.
const maxTargetKey = 100

// validate checks the key (Parse and TargetFrames share it).
func (q TargetQuery) validate() error {
	if q.Key == "" || len(q.Key) > maxTargetKey {
		return fmt.Errorf("a target query needs \"key\": the key of a row of the targets table (at most %d characters), e.g. \"build_success_rate\"", maxTargetKey)
	}
	return nil
}

// TargetFrames answers a target query with one frame holding one number (field "target", no
// time field: Grafana's expressions read it as a number without labels). A key that is neither
// in the table nor defaulted answers an empty frame, which alert rules treat as NoData.
func (e *Engine) TargetFrames(ctx context.Context, q TargetQuery) (data.Frames, error) {
	if err := q.validate(); err != nil {
		return nil, backend.DownstreamError(err)
	}
	env, done, err := e.env(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	t, err := env.Target(ctx, q.Key)
	if err != nil {
		return nil, err
	}
	f := data.NewFrame("target")
	switch {
	case t != nil:
		f.Fields = append(f.Fields, data.NewField("target", nil, []float64{t.Value}))
	case q.Default != nil:
		f.Fields = append(f.Fields, data.NewField("target", nil, []float64{*q.Default}))
	default:
		f.Fields = append(f.Fields, data.NewField("target", nil, []float64{}))
		addNotice(f, data.NoticeSeverityWarning, "no target "+strconv.Quote(q.Key)+" in the targets table: add it on the Configuration page")
		return data.Frames{f}, nil
	}
	f.Fields[0].Config = &data.FieldConfig{DisplayName: q.Key}
	return data.Frames{f}, nil
}
