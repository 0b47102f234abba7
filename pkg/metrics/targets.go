package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
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

// TargetFrames answers a target query with one frame holding one number (field "target", no
// time field: Grafana's expressions read it as a number without labels). A key that is neither
// in the table nor defaulted answers an empty frame, which alert rules treat as NoData.
func (e *Engine) TargetFrames(ctx context.Context, q TargetQuery) (data.Frames, error) {
	if q.Key == "" || len(q.Key) > maxTargetKey {
		return nil, backend.DownstreamErrorf("a target query needs \"key\": the key of a row of the targets table (at most %d characters), e.g. \"build_success_rate\"", maxTargetKey)
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
