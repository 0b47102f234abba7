package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics/stats"
)

// The forecast metric: the base metric's daily or weekly series, Holt's linear trend or additive
// Holt-Winters (weekly season, daily series with ≥ 2 full weeks), forecast for 30, 60 or 90
// days with 80 % and 95 % prediction intervals, and the back-test MAPE. Math: forecast_math.go.

func init() {
	Register(Definition{
		ID: "forecast", Title: "Forecast", Category: "advanced-analytics", Unit: "as base metric", GrafanaUnit: "short",
		Description: "Forecast of a base metric's daily series (weekly when the interval is week or month): Holt's " +
			"linear trend, or additive Holt-Winters with a weekly season when the daily series covers at least two " +
			"full weeks; smoothing parameters minimise the squared one-step errors over a 0.05 grid. Horizon 30, 60 or " +
			"90 days (default 30). 80 % and 95 % prediction intervals from the models' analytical error variance " +
			"(ETS(A,A,N) / ETS(A,A,A)) with the root mean squared one-step error. The back-test MAPE refits on the " +
			"first 80 % of the points and forecasts the last 20 %. Only complete intervals are used; fewer than 8 " +
			"points gives no forecast. Time series: actual, forecast, lower_80, upper_80, lower_95, upper_95 per series; " +
			"table: the model, parameters, MAPE and the forecast at the horizon's end.",
		Dimensions: allDimensions(), GroupBy: allDimensions(), Formats: []Format{FormatTimeSeries, FormatTable},
		Options: []Option{OptionBaseMetric, OptionHorizon, OptionStat},
	}, runForecast)
}

// forecastBucket is the modelling interval: weekly for week/month intervals, daily otherwise,
// and the natural season of that interval (7 days; none for weeks).
func forecastBucket(q Query) (Bucket, int) {
	if q.Interval == "week" || q.Interval == "month" || q.Bucket.AtLeast(7*24*time.Hour) {
		return step("1w"), 0
	}
	return step("1d"), 7
}

// forecastResult is the forecast of one base series.
type forecastResult struct {
	base  baseSeries
	fit   stats.Fit
	times []time.Time
	point []float64
	sd    []float64
	mape  *float64
}

func runForecast(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	horizon := q.Horizon
	if horizon == 0 {
		horizon = defaultHorizon
	}
	if horizon != 30 && horizon != 60 && horizon != 90 {
		return nil, backend.DownstreamErrorf("forecast horizon %d is not supported; use 30, 60 or 90 days", horizon)
	}
	bucket, season := forecastBucket(q)
	def, series, sql, baseNotes, err := loadBase(ctx, env, q, bucket)
	if err != nil {
		return nil, err
	}
	steps := horizon
	if season == 0 {
		steps = (horizon + 6) / 7
	}
	var results []forecastResult
	var notices []data.Notice
	for _, s := range series {
		name := displayName(def, s.Labels, "")
		if len(s.Values) < stats.MinSmoothPoints {
			notices = append(notices, infoNotice("%s: %d complete %s points, fewer than the %d a forecast needs; widen the time range.", name, len(s.Values), bucket.Name, stats.MinSmoothPoints))
			continue
		}
		m := stats.ChooseSeason(len(s.Values), season)
		r := forecastResult{base: s, fit: stats.BestSmooth(s.Values, m), mape: stats.BacktestMAPE(s.Values, season)}
		t := s.Times[len(s.Times)-1]
		for h := 1; h <= steps; h++ {
			t = bucket.Next(t)
			r.times = append(r.times, t)
			r.point = append(r.point, r.fit.Point(h))
			r.sd = append(r.sd, r.fit.StdDev(h))
		}
		if s.Filled > 0 {
			notices = append(notices, infoNotice("%s: %d interval(s) without a value were interpolated linearly.", name, s.Filled))
		}
		notices = append(notices, infoNotice("%s: %s, alpha %.2f, beta %.2f%s; back-test MAPE %s.", name, modelName(r.fit),
			r.fit.Alpha, r.fit.Beta, gammaText(r.fit), mapeText(r.mape)))
		results = append(results, r)
	}
	if len(results) == 0 {
		reason := fmt.Sprintf("No forecast for %s: no complete %s interval with data between %s and %s.", def.ID, bucket.Name,
			q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
		if len(notices) > 0 {
			reason = notices[0].Text
			notices = notices[1:]
		}
		f := EmptyFrame("forecast", reason)
		setExecuted(data.Frames{f}, sql, append(notices, baseNotes...))
		return data.Frames{f}, nil
	}
	var frames data.Frames
	if q.Format == FormatTable {
		frames = data.Frames{forecastTable(def, q.GroupBy, results)}
	} else {
		for _, r := range results {
			frames = append(frames, forecastFrame(def, r))
		}
	}
	setExecuted(frames, sql, append(notices, baseNotes...))
	return frames, nil
}

// forecastFrame is the wide frame of one series: time, actual, forecast and the four band
// edges. The forecast and the bands start at the last actual point (zero-wide there) so the
// lines join; a panel draws the bands with "fill below to" overrides (upper_95 → lower_95).
func forecastFrame(def Definition, r forecastResult) *data.Frame {
	n, h := len(r.base.Values), len(r.times)
	times := append(append([]time.Time(nil), r.base.Times...), r.times...)
	cols := make([][]*float64, 6) // actual, forecast, lower_80, upper_80, lower_95, upper_95
	for i := range cols {
		cols[i] = make([]*float64, n+h)
	}
	for i, v := range r.base.Values {
		cols[0][i] = fptr(v)
	}
	last := r.base.Values[n-1]
	for c := 1; c < 6; c++ {
		cols[c][n-1] = fptr(last)
	}
	for i := 0; i < h; i++ {
		p, sd := r.point[i], r.sd[i]
		cols[1][n+i] = fptr(clampToScale(def, p))
		cols[2][n+i], cols[3][n+i] = fptr(clampToScale(def, p-stats.Z80*sd)), fptr(clampToScale(def, p+stats.Z80*sd))
		cols[4][n+i], cols[5][n+i] = fptr(clampToScale(def, p-stats.Z95*sd)), fptr(clampToScale(def, p+stats.Z95*sd))
	}
	names := []string{"actual", "forecast", "lower_80", "upper_80", "lower_95", "upper_95"}
	displays := []string{"", "forecast", "lower 80 %", "upper 80 %", "lower 95 %", "upper 95 %"}
	f := data.NewFrame("forecast", data.NewField("time", nil, times))
	for c, name := range names {
		fld := data.NewField(name, r.base.Labels, cols[c])
		fld.Config = baseField(def, displayName(def, r.base.Labels, displays[c]))
		f.Fields = append(f.Fields, fld)
	}
	f.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: typeVersion, Custom: forecastMeta(r)}
	return f
}

// forecastMeta is the model summary in the frame's custom metadata.
func forecastMeta(r forecastResult) map[string]any {
	m := map[string]any{"model": modelName(r.fit), "alpha": r.fit.Alpha, "beta": r.fit.Beta, "sigma": r.fit.Sigma()}
	if r.fit.Season > 0 {
		m["gamma"], m["season"] = r.fit.Gamma, r.fit.Season
	}
	if r.mape != nil {
		m["mape"] = *r.mape
	}
	return m
}

// forecastTable has one row per series: model, parameters, back-test MAPE, the last actual
// value and the forecast with its 95 % interval at the end of the horizon.
func forecastTable(def Definition, groupBy string, results []forecastResult) *data.Frame {
	var groups, models []string
	var alpha, beta, gamma, mape, lastActual, end, lo, hi []*float64
	var endTimes []time.Time
	for _, r := range results {
		groups, models = append(groups, r.base.Labels[groupBy]), append(models, modelName(r.fit))
		alpha, beta = append(alpha, fptr(r.fit.Alpha)), append(beta, fptr(r.fit.Beta))
		var g *float64
		if r.fit.Season > 0 {
			g = fptr(r.fit.Gamma)
		}
		gamma, mape = append(gamma, g), append(mape, r.mape)
		lastActual = append(lastActual, fptr(r.base.Values[len(r.base.Values)-1]))
		k := len(r.point) - 1
		end, endTimes = append(end, fptr(clampToScale(def, r.point[k]))), append(endTimes, r.times[k])
		lo = append(lo, fptr(clampToScale(def, r.point[k]-stats.Z95*r.sd[k])))
		hi = append(hi, fptr(clampToScale(def, r.point[k]+stats.Z95*r.sd[k])))
	}
	t := newTable("forecast")
	if groupBy != "" {
		t.str(groupBy, dimensionLabels[groupBy], groups)
	}
	t.str("model", "Model", models).
		num("alpha", "Alpha", "none", alpha).num("beta", "Beta", "none", beta).num("gamma", "Gamma", "none", gamma).
		num("mape", "Back-test MAPE", "percent", mape).
		num("last_actual", "Last actual", def.GrafanaUnit, lastActual)
	endField := data.NewField("horizon_end", nil, endTimes)
	endField.Config = &data.FieldConfig{DisplayNameFromDS: "Horizon end"}
	t.f.Fields = append(t.f.Fields, endField)
	t.num("forecast", "Forecast at horizon end", def.GrafanaUnit, end).
		num("lower_95", "Lower 95 %", def.GrafanaUnit, lo).num("upper_95", "Upper 95 %", def.GrafanaUnit, hi)
	return t.frame("")
}

// nonNegativeUnits are the units whose values cannot fall below zero (counts, rates, durations,
// money), so a forecast band of, say, deployments per day stops at 0 instead of going negative.
var nonNegativeUnits = map[string]bool{"count": true, "/day": true, "h": true, "min": true, "ms": true, "currency": true}

// clampToScale keeps a forecast value inside the base metric's scale: its Min/Max when the
// catalog fixes them (percent, scores), else at least 0 for non-negative units. The model itself
// is unbounded; only what is shown is clamped.
func clampToScale(def Definition, v float64) float64 {
	if def.Min != nil && v < *def.Min {
		v = *def.Min
	} else if def.Min == nil && nonNegativeUnits[def.Unit] && v < 0 {
		v = 0
	}
	if def.Max != nil && v > *def.Max {
		v = *def.Max
	}
	return v
}

func modelName(f stats.Fit) string {
	if f.Season > 0 {
		return fmt.Sprintf("Holt-Winters additive (season %d)", f.Season)
	}
	return "Holt linear trend"
}

func gammaText(f stats.Fit) string {
	if f.Season == 0 {
		return ""
	}
	return fmt.Sprintf(", gamma %.2f", f.Gamma)
}

func mapeText(m *float64) string {
	if m == nil {
		return "not available (too few points or only zeros held out)"
	}
	return fmt.Sprintf("%.1f %%", *m)
}
