package grafanahost

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/internal/testworld"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// demoEnd is the suite's fixed "now": the demo year ends there and every relative time range
// ("now-30d", an alert's 3600 s window) is resolved against it, so no test depends on today's
// date. A Wednesday afternoon: the Operations dashboard's "latest hour" panels and the weekday
// annotations have data.
var demoEnd = testworld.WeekdayEnd

// world is the setting of the host suite: a database with demo tier S ending at demoEnd, the
// plugin process, the datasource as provisioning defines it, and the metric engine in-process
// (the reference answer for value checks).
type world struct {
	h        *host
	db       *testdb.Database
	st       *store.Store
	eng      *metrics.Engine
	settings *pluginv2.DataSourceInstanceSettings

	valuesChecked int // key panels whose values were compared with the engine
	cycles        int // alert scenarios that went Normal → Alerting → Normal
}

func newWorld(t *testing.T) *world {
	t.Helper()
	began := time.Now()
	st, db := testworld.DemoStore(t, demoEnd)
	t.Logf("demo tier S up to %s ready in %s", demoEnd.Format(time.RFC3339), time.Since(began).Round(time.Millisecond))
	w := &world{h: startHost(t), db: db, st: st, eng: metrics.NewEngine(st)}
	w.settings = provisionedSettings(t, db)
	return w
}

// as is the plugin context of a request by a user with role ("" = no user).
func (w *world) as(role string) *pluginv2.PluginContext {
	return withRole(&pluginv2.PluginContext{OrgId: 1, PluginId: pluginID, DataSourceInstanceSettings: w.settings}, role)
}

// TestGrafanaHost is the suite: one database and one plugin process, then each part of the
// contract. Alerting runs last because it writes failures into the data.
func TestGrafanaHost(t *testing.T) {
	if testing.Short() {
		t.Skip("loads demo tier S and starts the plugin executable; skipped with -short")
	}
	w := newWorld(t)
	t.Run("provisioned datasource is healthy", w.testHealth)
	t.Run("dashboards", w.testDashboards)
	if w.valuesChecked < 9 {
		t.Errorf("compared the values of %d key panels with the engine, want at least 9 (a key panel was renamed?)", w.valuesChecked)
	}
	t.Run("roles", w.testRoles)
	t.Run("alert rules", w.testAlertRules)
}
