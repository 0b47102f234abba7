package datasource

import (
	"testing"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/sqlmode/sqlmodetest"
)

// TestQueryJSONIsDecodedOnce runs one query of every type (and both annotation paths, the SQL
// kinds and the anomalies that read a metric query) through QueryData against the real database
// and counts the query JSON documents the backend decoded: exactly one per query. The router, the
// handlers, SQL mode and the anomaly annotations all work on the variant metrics.Parse built.
func TestQueryJSONIsDecodedOnce(t *testing.T) {
	// A least-privilege login role: SQL mode is (rightly) refused on a superuser connection.
	d, _ := newLeastPrivilegeDatasource(t)
	migrate(t, d)
	qs := []struct{ refID, queryType, json string }{
		{"metric", "", `{"metric":"build_success_rate","groupBy":"team"}`},
		{"typed", "metric", `{"queryType":"metric","metric":"build_duration","format":"table"}`},
		{"sql", "sql", sqlmodetest.QueryJSON(sqlmodetest.SelectOne, "table")},
		{"deploys", "annotations", `{"kind":"deployments","filters":{"team":["payments"]}}`},
		{"anomalies", "annotations", `{"kind":"anomalies","baseMetric":"build_success_rate","interval":"hour"}`},
		{"variable", "variable", `{"dimension":"team","filters":{"tech_stack":"java"}}`},
		{"target", "target", `{"queryType":"target","key":"build_success_rate"}`},
	}
	before := metrics.QueryJSONDecodes()
	for _, q := range qs {
		r := runQueries(t, d, query(q.refID, q.queryType, q.json)).Responses[q.refID]
		if r.Error != nil {
			t.Fatalf("%s: %v", q.refID, r.Error)
		}
	}
	if got := metrics.QueryJSONDecodes() - before; got != int64(len(qs)) {
		t.Fatalf("%d queries decoded %d query JSON documents; want exactly one each", len(qs), got)
	}
}
