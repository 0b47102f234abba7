package datasource

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// sqlHandler answers queryType "sql": analyst SQL with macros, read-only (pkg/sqlmode). Every
// frame carries the query's refId so Grafana matches multi-frame answers to the query.
func sqlHandler(ctx context.Context, eng Engine, r metrics.Request) (data.Frames, error) {
	frames, err := eng.SQL(ctx, r.SQL)
	for _, f := range frames {
		f.RefID = r.RefID
	}
	return frames, err
}
