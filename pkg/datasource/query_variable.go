package datasource

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// variableHandler answers queryType "variable": a template variable query stored in a dashboard
// ({"dimension": "team", "filters": {"tech_stack": "java"}}) as a frame of text and value, the
// shape Grafana reads variable options from. The editor resolves variables through
// GET /variables/{dimension}; this serves the same list to backend callers (alerting, reports).
func variableHandler(ctx context.Context, eng Engine, r metrics.Request) (data.Frames, error) {
	opts, err := eng.Variables(ctx, r.Variable.Dimension, r.Variable.Selections)
	if err != nil {
		return nil, err
	}
	texts, values := make([]string, len(opts)), make([]string, len(opts))
	for i, o := range opts {
		texts[i], values[i] = o.Text, o.Value
	}
	return data.Frames{data.NewFrame(r.Variable.Dimension,
		data.NewField("text", nil, texts), data.NewField("value", nil, values))}, nil
}
