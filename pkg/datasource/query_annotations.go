package datasource

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// annotationHandler answers queryType "annotations": deployments, incidents or the anomalies of a
// base metric, as one frame of time, timeEnd, title, text and tags (pkg/metrics/annotations.go).
func annotationHandler(ctx context.Context, eng Engine, r metrics.Request) (data.Frames, error) {
	return eng.Annotations(ctx, r.Annotation)
}
