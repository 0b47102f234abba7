package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/records"
)

type costCtx struct{}

// graphql answers POST /graphql ({"query", "variables", "operationName"}).
func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "body is not a GraphQL request {\"query\": …} within 64 KiB: "+err.Error())
		return
	}
	ctx := context.WithValue(r.Context(), costCtx{}, new(atomic.Int32))
	resp := s.schema.Exec(ctx, req.Query, req.OperationName, req.Variables)
	w.Header().Set("Content-Type", "application/json")
	if len(resp.Errors) > 0 && resp.Data == nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	_ = json.NewEncoder(w).Encode(resp)
}

// gqlRoot resolves Query.
type gqlRoot struct{ s *Server }

type filterInput struct {
	Dimension string
	Values    []string
}

type metricArgs struct {
	ID                                                                        string
	From, To, GroupBy, Interval, Compare, Stat, Funnel, Breakdown, BaseMetric *string
	Horizon                                                                   *int32
	Sensitivity                                                               *float64
	Filters                                                                   *[]filterInput
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Metric validates the arguments at once (a bad option fails the field) and leaves the engine
// queries to the selected fields.
func (r *gqlRoot) Metric(args metricArgs) (*gqlResult, error) {
	p := Params{Metric: args.ID, From: str(args.From), To: str(args.To), GroupBy: str(args.GroupBy),
		Interval: str(args.Interval), Compare: str(args.Compare), Stat: str(args.Stat), Funnel: str(args.Funnel),
		Breakdown: str(args.Breakdown), BaseMetric: str(args.BaseMetric), Filters: map[string][]string{}}
	if args.Horizon != nil {
		p.Horizon = int(*args.Horizon)
	}
	if args.Sensitivity != nil {
		p.Sensitivity = *args.Sensitivity
	}
	if args.Filters != nil {
		for _, f := range *args.Filters {
			p.Filters[f.Dimension] = append(p.Filters[f.Dimension], f.Values...)
		}
	}
	q, err := p.Query(r.s.now())
	if err != nil {
		return nil, err
	}
	def, _ := metrics.Lookup(args.ID)
	return &gqlResult{s: r.s, p: p, q: q, def: def}, nil
}

// gqlResult runs the table and the time-series query at most once each, when selected.
type gqlResult struct {
	s   *Server
	p   Params
	q   metrics.Query
	def metrics.Definition

	mu      sync.Mutex
	answers map[metrics.Format]records.Table
}

// answer runs the query in format f (once), counting it against the request's cost limit.
func (g *gqlResult) answer(ctx context.Context, f metrics.Format) (records.Table, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.answers[f]; ok {
		return t, nil
	}
	if c, ok := ctx.Value(costCtx{}).(*atomic.Int32); ok && c.Add(1) > MaxCost {
		return records.Table{}, fmt.Errorf("query cost limit: at most %d metric computations per request; split the query", MaxCost)
	}
	if !g.def.HasFormat(f) {
		return records.Table{}, fmt.Errorf("metric %q has no %s answer; it supports %v", g.def.ID, f, g.def.Formats)
	}
	q := g.q
	q.Format = f
	fr, err := g.s.eng.Run(ctx, q)
	if err != nil {
		if backend.IsDownstreamError(err) {
			return records.Table{}, err
		}
		g.s.log.Error("graphql query failed", "metric", g.def.ID, "err", err)
		return records.Table{}, fmt.Errorf("the query of %s failed in the database; see the serve log", g.def.ID)
	}
	t := records.FromFrames(fr)
	if len(t.Rows) > MaxRows {
		return records.Table{}, errTooManyRows
	}
	if g.answers == nil {
		g.answers = map[metrics.Format]records.Table{}
	}
	g.answers[f] = t
	return t, nil
}

func (g *gqlResult) Definition() gqlDef { return gqlDef{g.def} }
func (g *gqlResult) From() string       { return g.q.From.Format(time.RFC3339) }
func (g *gqlResult) To() string         { return g.q.To.Format(time.RFC3339) }

func (g *gqlResult) Value(ctx context.Context) (*float64, error) {
	t, err := g.answer(ctx, metrics.FormatTable)
	if err != nil {
		return nil, err
	}
	for i, c := range t.Columns {
		if c == "value" && len(t.Rows) > 0 {
			if v, ok := t.Rows[0][i].(float64); ok {
				return &v, nil
			}
		}
	}
	return nil, nil
}

type gqlTable struct {
	Columns []string
	Rows    [][]*string
}

func (g *gqlResult) Table(ctx context.Context) (*gqlTable, error) {
	t, err := g.answer(ctx, metrics.FormatTable)
	if err != nil {
		return nil, err
	}
	out := &gqlTable{Columns: append([]string{}, t.Columns...), Rows: [][]*string{}}
	for _, row := range t.Rows {
		cells := make([]*string, len(row))
		for i, v := range row {
			if v != nil {
				s := records.Text(v)
				cells[i] = &s
			}
		}
		out.Rows = append(out.Rows, cells)
	}
	return out, nil
}

type gqlLabel struct{ Name, Value string }
type gqlPoint struct {
	Time  string
	Value *float64
}
type gqlSeries struct {
	Name   string
	Labels []gqlLabel
	Points []gqlPoint
}

// Series groups the long-form time-series records by their label columns.
func (g *gqlResult) Series(ctx context.Context) ([]*gqlSeries, error) {
	t, err := g.answer(ctx, metrics.FormatTimeSeries)
	if err != nil {
		return nil, err
	}
	var out []*gqlSeries
	index := map[string]*gqlSeries{}
	for _, rec := range t.Records() {
		var labels []gqlLabel
		key := ""
		var p gqlPoint
		for _, f := range rec {
			switch f.Key {
			case "time":
				p.Time = records.Text(f.Value)
			case "value":
				if v, ok := f.Value.(float64); ok {
					p.Value = &v
				}
			default:
				if f.Value != nil {
					labels = append(labels, gqlLabel{f.Key, records.Text(f.Value)})
					key += f.Key + "=" + records.Text(f.Value) + "\x00"
				}
			}
		}
		s := index[key]
		if s == nil {
			s = &gqlSeries{Name: g.def.Title, Labels: labels, Points: []gqlPoint{}}
			if len(labels) > 0 {
				s.Name = ""
				for i, l := range labels {
					if i > 0 {
						s.Name += " "
					}
					s.Name += l.Value
				}
			}
			index[key] = s
			out = append(out, s)
		}
		s.Points = append(s.Points, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (g *gqlResult) Notices(ctx context.Context) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := []string{}
	for _, f := range []metrics.Format{metrics.FormatTable, metrics.FormatTimeSeries} {
		out = append(out, g.answers[f].Notices...)
	}
	return out
}
