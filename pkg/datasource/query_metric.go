package datasource

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// metricHandler answers queryType "metric" (the default): one catalog metric, computed by pkg/metrics.
func metricHandler(ctx context.Context, eng Engine, r metrics.Request) (data.Frames, error) {
	return eng.Metric(ctx, r.Metric)
}
