package api

import (
	"context"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/records"
)

// The catalog and DORA resolvers of the GraphQL schema (SchemaSDL).

type gqlDef struct{ d metrics.Definition }

func (g gqlDef) ID() string          { return g.d.ID }
func (g gqlDef) Title() string       { return g.d.Title }
func (g gqlDef) Category() string    { return g.d.Category }
func (g gqlDef) Description() string { return g.d.Description }
func (g gqlDef) Unit() string        { return g.d.Unit }
func (g gqlDef) Dimensions() []string {
	return append([]string{}, g.d.Dimensions...)
}
func (g gqlDef) Formats() []string {
	out := []string{}
	for _, f := range g.d.Formats {
		out = append(out, string(f))
	}
	return out
}
func (g gqlDef) Options() []string {
	out := []string{}
	for _, o := range g.d.Options {
		out = append(out, string(o))
	}
	return out
}
func (g gqlDef) TargetKey() *string {
	if g.d.TargetKey == "" {
		return nil
	}
	return &g.d.TargetKey
}

func (r *gqlRoot) Metrics() []gqlDef {
	var out []gqlDef
	for _, d := range metrics.Catalog() {
		out = append(out, gqlDef{d})
	}
	return out
}

type gqlDim struct{ ID, Label string }

func (r *gqlRoot) Dimensions() []gqlDim {
	var out []gqlDim
	for _, d := range metrics.Dimensions() {
		out = append(out, gqlDim{d.ID, d.Label})
	}
	return out
}

type gqlDora struct {
	Metric string
	Value  *float64
	Unit   string
	Band   *string
}

func (r *gqlRoot) Dora(ctx context.Context, args struct{ Team, From, To *string }) ([]gqlDora, error) {
	p := Params{Metric: "dora_summary", From: str(args.From), To: str(args.To), Filters: map[string][]string{}}
	if args.Team != nil {
		p.Filters["team"] = []string{*args.Team}
	}
	q, err := p.Query(r.s.now())
	if err != nil {
		return nil, err
	}
	def, _ := metrics.Lookup(p.Metric)
	res := &gqlResult{s: r.s, p: p, q: q, def: def}
	t, err := res.answer(ctx, metrics.FormatTable)
	if err != nil {
		return nil, err
	}
	out := []gqlDora{}
	for _, rec := range t.Records() {
		var d gqlDora
		for _, f := range rec {
			switch f.Key {
			case "metric":
				d.Metric = records.Text(f.Value)
			case "value":
				if v, ok := f.Value.(float64); ok {
					d.Value = &v
				}
			case "unit":
				d.Unit = records.Text(f.Value)
			case "band":
				if f.Value != nil {
					b := records.Text(f.Value)
					d.Band = &b
				}
			}
		}
		out = append(out, d)
	}
	return out, nil
}
