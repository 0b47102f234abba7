// Package datasource holds the Grafana handlers of the PlatformLens datasource: settings,
// CheckHealth, QueryData routing, CallResource routes and role checks. It delegates every database
// operation to an Engine (engine.go) so the handlers stay small.
package datasource

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
)

// PluginID is the id of the datasource plugin (src/datasource/plugin.json).
const PluginID = "platformlens-analytics-datasource"

// DefaultMaxIngestBytes bounds the body of POST /ingest/{table}: 1,000 events of a few hundred
// bytes each fit many times over, while a runaway client gets a 413 instead of exhausting memory.
const DefaultMaxIngestBytes = 8 << 20

// Opener opens the Engine of one datasource instance. OpenEngine is the real one.
type Opener func(ctx context.Context, s Settings) (Engine, error)

// Datasource is one configured PlatformLens datasource (one per Grafana datasource and settings
// version). The engine is opened lazily and re-opened after a failure, so an instance created
// while the database was down recovers by itself once it is back.
type Datasource struct {
	settings    Settings
	settingsErr error
	open        Opener
	resources   backend.CallResourceHandler
	queries     *datasource.QueryTypeMux // routes parsed queries by type (query_data.go)

	demos *demo.Jobs // background demo loads (POST/GET /demo)

	// MaxIngestBytes is the largest accepted ingest body; larger ones get 413.
	MaxIngestBytes int64

	// Now is the clock a demo load ends its data at (nil: time.Now). Tests set a fixed one so
	// that the data, and what the dashboards show of it, are the same on every run.
	Now func() time.Time

	mu     sync.Mutex
	engine Engine
	closed bool
}

// Compile-time checks that Datasource implements the SDK handlers Grafana calls.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// NewDatasource is the instance factory passed to datasource.Manage: it parses the settings and
// wires the real engine (OpenEngine). It never fails: invalid settings are reported by the health
// check and by every query, which is where a Grafana user sees them.
func NewDatasource(_ context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return New(s, OpenEngine), nil
}

// New builds a Datasource from instance settings with the given engine opener.
func New(s backend.DataSourceInstanceSettings, open Opener) *Datasource {
	settings, err := LoadSettings(s)
	if err != nil {
		log.DefaultLogger.Warn("PlatformLens datasource settings are invalid", "uid", s.UID, "error", err)
	} else {
		log.DefaultLogger.Debug("PlatformLens datasource instance", "uid", s.UID, "settings", settings.String())
	}
	d := &Datasource{settings: settings, settingsErr: err, open: open, MaxIngestBytes: DefaultMaxIngestBytes,
		demos: newDemoJobs()}
	d.resources = httpadapter.New(d.routes())
	d.queries = d.newQueryMux()
	return d
}

func (d *Datasource) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// Settings returns the parsed settings (secrets included; do not log them, use String).
func (d *Datasource) Settings() (Settings, error) { return d.settings, d.settingsErr }

// getEngine returns the open engine, opening it on first use. A failed open is not cached: the
// next request tries again, which is how the plugin recovers when the database comes back.
func (d *Datasource) getEngine(ctx context.Context) (Engine, error) {
	if d.settingsErr != nil {
		return nil, d.settingsErr
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, backend.PluginErrorf("the datasource instance was disposed (settings changed); retry the request")
	}
	if d.engine != nil {
		return d.engine, nil
	}
	eng, err := d.open(ctx, d.settings)
	if err != nil {
		return nil, err
	}
	d.engine = eng
	return eng, nil
}

// demoStopWait bounds how long Dispose waits for a cancelled demo load to roll back.
const demoStopWait = 15 * time.Second

// Dispose cancels a running demo load and closes the connection pool when Grafana drops this
// instance.
func (d *Datasource) Dispose() {
	// Outside d.mu: the load does not need it, and requests must not block behind the wait.
	if !d.demos.Stop(demoStopWait) {
		log.DefaultLogger.Warn("demo load did not stop in time after the instance was disposed", "waited", demoStopWait)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	if d.engine != nil {
		d.engine.Close()
		d.engine = nil
	}
}

// CallResource serves the resource routes (call_resource.go) through the SDK's http adapter.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return d.resources.CallResource(ctx, req, sender)
}

// handler is implemented by the route functions of call_resource.go: they return the answer
// (marshalled to JSON) or an error that writeError maps to a status and a JSON body.
type handler func(w http.ResponseWriter, r *http.Request, eng Engine) (any, error)
