package datasource

import (
	"context"
	"net/http"

	"github.com/platformlens/platformlens-analytics-app/pkg/receiver"
)

// SourcesEngine is implemented by engines that can report the bookkeeping of `platformlens
// serve` (per source: counts and last event time; unmapped repositories). It is separate from
// Engine so the route is an addition that engines without it answer with 501.
type SourcesEngine interface {
	Sources(ctx context.Context) (receiver.SourcesReport, error)
}

// Sources reads receiver_sources and receiver_unmapped.
func (e *pgEngine) Sources(ctx context.Context) (receiver.SourcesReport, error) {
	rep, err := receiver.ReadSources(ctx, e.st.Pool(), e.st.Schema())
	if err != nil {
		return rep, dbError(err)
	}
	return rep, nil
}

// sources answers GET /sources: what `platformlens serve` received from each tool, for the Data page.
func (d *Datasource) sources(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
	se, ok := eng.(SourcesEngine)
	if !ok {
		return nil, &httpError{status: http.StatusNotImplemented, msg: "this datasource engine does not report receiver sources"}
	}
	return se.Sources(r.Context())
}
