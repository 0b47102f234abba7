package metrics

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Format is the shape of a query's answer.
type Format string

// The formats a query may ask for.
const (
	FormatTimeSeries Format = "time_series" // one value per interval bucket
	FormatTable      Format = "table"       // one row per group for the whole range
)

// Definition describes one metric of the catalog. It is what the /catalog route serves, what the
// query editor lists and what the docs print, so Description is the definition in words.
type Definition struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Category    string   `json:"category"`
	Description string   `json:"description"`
	Unit        string   `json:"unit"`        // human unit: %, ms, h, min, count, currency, /day, 0–100, A–F, table
	GrafanaUnit string   `json:"grafanaUnit"` // Grafana field unit id: percent, ms, h, m, short, currencyUSD …
	Dimensions  []string `json:"dimensions"`  // dimensions accepted for filters
	// GroupBy lists the dimensions the metric can group by. Series metrics group by every
	// dimension (filled in at registration); a table metric lists only those its rows honour, so
	// a group-by it cannot honour is refused rather than silently answering the ungrouped rows.
	GroupBy   []string `json:"groupBy"`
	Formats   []Format `json:"formats"`
	TargetKey string   `json:"targetKey,omitempty"` // key in the targets table, "" if none
	// Options are the query options the metric reads; the catalog serves them with their specs
	// (defaults, choices: options.go, MarshalJSON).
	Options []Option `json:"-"`
	// Min and Max bound the value when the scale is fixed (percent, scores); nil otherwise.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// Mappings turn numeric values into text in panels (the A–F grade); optional.
	Mappings data.ValueMappings `json:"-"`
}

// HasOption reports whether the metric reads option o.
func (d Definition) HasOption(o Option) bool {
	for _, x := range d.Options {
		if x == o {
			return true
		}
	}
	return false
}

// HasFormat reports whether the metric can answer in format f.
func (d Definition) HasFormat(f Format) bool {
	for _, x := range d.Formats {
		if x == f {
			return true
		}
	}
	return false
}

// CanGroupBy reports whether the metric honours a group-by on dim.
func (d Definition) CanGroupBy(dim string) bool {
	for _, x := range d.GroupBy {
		if x == dim {
			return true
		}
	}
	return false
}

// HasDimension reports whether dim is accepted for filters and group-by.
func (d Definition) HasDimension(dim string) bool {
	for _, x := range d.Dimensions {
		if x == dim {
			return true
		}
	}
	return false
}

// RunFunc computes a metric straight into frames. Env gives the database and helpers.
type RunFunc func(ctx context.Context, env *Env, q Query) (data.Frames, error)

// SeriesFunc computes a metric as series on the query's bucket grid; the engine adds compare
// periods and builds the frames.
type SeriesFunc func(ctx context.Context, env *Env, q Query) (*Result, error)

type entry struct {
	def    Definition
	run    RunFunc
	series SeriesFunc
}

var (
	registryMu sync.RWMutex
	registry   = map[string]entry{}
)

// Register adds a metric computed by a RunFunc. It panics on a duplicate or incomplete
// definition: registration happens in init, so the mistake shows at the first test run.
func Register(def Definition, run RunFunc) {
	add(entry{def: def, run: run})
}

// RegisterSeries adds a metric computed by a SeriesFunc; it supports both formats and compare.
func RegisterSeries(def Definition, fn SeriesFunc) {
	if len(def.Formats) == 0 {
		def.Formats = []Format{FormatTimeSeries, FormatTable}
	}
	if !def.HasOption(OptionCompare) {
		def.Options = append(def.Options, OptionCompare)
	}
	if def.GroupBy == nil {
		def.GroupBy = def.Dimensions
	}
	add(entry{def: def, series: fn})
}

func add(e entry) {
	d := e.def
	if d.ID == "" || d.Title == "" || d.Category == "" || d.Description == "" || d.Unit == "" {
		panic(fmt.Sprintf("metrics: definition %q lacks id, title, category, description or unit", d.ID))
	}
	if len(d.Formats) == 0 {
		panic(fmt.Sprintf("metrics: definition %q declares no format", d.ID))
	}
	for _, dim := range d.Dimensions {
		if _, ok := dimensionLabels[dim]; !ok {
			panic(fmt.Sprintf("metrics: definition %q uses unknown dimension %q", d.ID, dim))
		}
	}
	for _, dim := range d.GroupBy {
		if !d.HasDimension(dim) {
			panic(fmt.Sprintf("metrics: definition %q groups by %q, which is not among its dimensions", d.ID, dim))
		}
	}
	if d.GroupBy == nil {
		d.GroupBy = []string{} // served as [] (no group-by), not null
	}
	if d.Dimensions == nil {
		d.Dimensions = []string{} // served as [] (no filters), not null: clients iterate it
	}
	if d.GrafanaUnit == "" {
		d.GrafanaUnit = "short"
	}
	e.def = d
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[d.ID]; dup {
		panic(fmt.Sprintf("metrics: metric %q registered twice", d.ID))
	}
	registry[d.ID] = e
}

func lookup(id string) (entry, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	e, ok := registry[id]
	return e, ok
}

// Lookup returns the definition of metric id.
func Lookup(id string) (Definition, bool) {
	e, ok := lookup(id)
	return e.def, ok
}

// Catalog returns every definition, sorted by category and then id.
func Catalog() []Definition {
	registryMu.RLock()
	defs := make([]Definition, 0, len(registry))
	for _, e := range registry {
		defs = append(defs, e.def)
	}
	registryMu.RUnlock()
	sort.Slice(defs, func(i, j int) bool {
		if defs[i].Category != defs[j].Category {
			return defs[i].Category < defs[j].Category
		}
		return defs[i].ID < defs[j].ID
	})
	return defs
}

// MetricIDs returns the sorted ids of the catalog.
func MetricIDs() []string {
	defs := Catalog()
	ids := make([]string, len(defs))
	for i, d := range defs {
		ids[i] = d.ID
	}
	sort.Strings(ids)
	return ids
}

// Catalog returns the engine's catalog (the package-level registry).
func (e *Engine) Catalog() []Definition { return Catalog() }
