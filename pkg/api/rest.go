package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/records"
)

var errTooManyRows = fmt.Errorf("the answer has more than %d records: narrow the time range, use a coarser interval or fewer groups", MaxRows)

// catalog answers GET /api/v1/metrics: the catalog's metrics and dimensions.
func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"metrics": metrics.Catalog(), "dimensions": metrics.Dimensions()})
}

// Params is a metric request in the API's terms (query parameters or GraphQL arguments).
type Params struct {
	Metric, From, To, GroupBy, Interval, Compare, Format, Stat, Funnel, Breakdown, BaseMetric string
	Filters                                                                                   map[string][]string
	Horizon                                                                                   int
	Sensitivity                                                                               float64
}

// parseTime reads RFC 3339 or a date (UTC).
func parseTime(name, v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s %q is not RFC 3339 (2026-05-01T00:00:00Z) or a date (2026-05-01)", name, v)
}

// Query turns p into a validated metrics.Query: to defaults to now, from to 30 days before to;
// the range is at most MaxRange. Errors are the user's (downstream).
func (p Params) Query(now time.Time) (metrics.Query, error) {
	to := now.UTC()
	var err error
	if p.To != "" {
		if to, err = parseTime("to", p.To); err != nil {
			return metrics.Query{}, backend.DownstreamError(err)
		}
	}
	from := to.AddDate(0, 0, -30)
	if p.From != "" {
		if from, err = parseTime("from", p.From); err != nil {
			return metrics.Query{}, backend.DownstreamError(err)
		}
	}
	if to.Sub(from) > MaxRange {
		return metrics.Query{}, backend.DownstreamErrorf("range %s – %s is longer than %d days; split it", from.Format(time.RFC3339), to.Format(time.RFC3339), int(MaxRange.Hours()/24))
	}
	if p.Format == "" {
		p.Format = "table"
	}
	body := map[string]any{"refId": "api", "metric": p.Metric, "groupBy": p.GroupBy, "interval": p.Interval,
		"compare": p.Compare, "format": p.Format, "stat": p.Stat, "funnel": p.Funnel, "breakdown": p.Breakdown,
		"baseMetric": p.BaseMetric, "filters": p.Filters}
	if p.Horizon != 0 {
		body["horizon"] = p.Horizon
	}
	if p.Sensitivity != 0 {
		body["sensitivity"] = p.Sensitivity
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return metrics.Query{}, err
	}
	return metrics.ParseQuery(raw, backend.TimeRange{From: from, To: to}, 0, 0)
}

// paramsFrom reads the query string: from, to, groupBy, interval, compare, format, stat, funnel,
// breakdown, baseMetric, horizon, sensitivity and repeatable filter=dim=v1,v2.
func paramsFrom(id string, v url.Values) (Params, error) {
	p := Params{Metric: id, From: v.Get("from"), To: v.Get("to"), GroupBy: v.Get("groupBy"), Interval: v.Get("interval"),
		Compare: v.Get("compare"), Format: v.Get("format"), Stat: v.Get("stat"), Funnel: v.Get("funnel"),
		Breakdown: v.Get("breakdown"), BaseMetric: v.Get("baseMetric"), Filters: map[string][]string{}}
	for _, f := range v["filter"] {
		k, vals, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return p, backend.DownstreamErrorf("filter %q is not dimension=value[,value…]", f)
		}
		p.Filters[k] = append(p.Filters[k], strings.Split(vals, ",")...)
	}
	var err error
	if h := v.Get("horizon"); h != "" {
		if p.Horizon, err = strconv.Atoi(h); err != nil {
			return p, backend.DownstreamErrorf("horizon %q is not a whole number of days", h)
		}
	}
	if k := v.Get("sensitivity"); k != "" {
		if p.Sensitivity, err = strconv.ParseFloat(k, 64); err != nil {
			return p, backend.DownstreamErrorf("sensitivity %q is not a number", k)
		}
	}
	return p, nil
}

// run computes p and converts the answer to records, refusing more than MaxRows.
func (s *Server) run(r *http.Request, p Params) (records.Table, data.Frames, error) {
	q, err := p.Query(s.now())
	if err != nil {
		return records.Table{}, nil, err
	}
	fr, err := s.eng.Run(r.Context(), q)
	if err != nil {
		return records.Table{}, nil, err
	}
	t := records.FromFrames(fr)
	if len(t.Rows) > MaxRows {
		return records.Table{}, nil, errTooManyRows
	}
	return t, fr, nil
}

// metric answers GET /api/v1/metrics/{id}: JSON records, or CSV when Accept asks for text/csv.
func (s *Server) metric(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := metrics.Lookup(id); !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("metric %q is not in the catalog; GET /api/v1/metrics lists the ids", id))
		return
	}
	p, err := paramsFrom(id, r.URL.Query())
	if err != nil {
		s.runError(w, err)
		return
	}
	s.answer(w, r, p)
}

// dora answers GET /api/v1/dora?team=…&from=&to=: the dora_summary table (metric, value, unit,
// band), filtered by team, tech_stack, product_line or service when given.
func (s *Server) dora(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	p := Params{Metric: "dora_summary", From: v.Get("from"), To: v.Get("to"), Filters: map[string][]string{}}
	for _, dim := range []string{"team", "tech_stack", "product_line", "service"} {
		if x := v[dim]; len(x) > 0 {
			for _, e := range x {
				p.Filters[dim] = append(p.Filters[dim], strings.Split(e, ",")...)
			}
		}
	}
	s.answer(w, r, p)
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, p Params) {
	t, _, err := s.run(r, p)
	if err != nil {
		if errors.Is(err, errTooManyRows) {
			writeError(w, http.StatusUnprocessableEntity, err.Error())
			return
		}
		s.runError(w, err)
		return
	}
	for _, n := range t.Notices {
		w.Header().Add("X-PlatformLens-Notice", strings.ToValidUTF8(strings.ReplaceAll(n, "\n", " "), "?"))
	}
	if strings.Contains(r.Header.Get("Accept"), "text/csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		_ = records.WriteCSV(w, t)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = records.WriteJSON(w, t)
}
