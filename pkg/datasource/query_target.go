package datasource

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// targetHandler answers queryType "target": one number from the targets table, which alert rules
// compare a metric with (pkg/metrics/targets.go).
func targetHandler(ctx context.Context, eng Engine, r metrics.Request) (data.Frames, error) {
	return eng.Target(ctx, r.Target)
}
