package datasource

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// routes builds the resource API of docs/architecture.md ("Resource endpoints"). Every route
// declares the least Grafana role it needs; reads need Viewer, ingest needs Editor, and the
// operations that change the schema or bulk data (migrate, demo, PUT targets) need Admin.
func (d *Datasource) routes() http.Handler {
	mux := http.NewServeMux()
	d.handle(mux, "GET /catalog", RoleViewer, func(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		return metrics.Document(), nil
	})
	d.handle(mux, "GET /status", RoleViewer, func(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		return eng.Status(r.Context())
	})
	d.handle(mux, "GET /variables/{dimension}", RoleViewer, func(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		return eng.Variables(r.Context(), r.PathValue("dimension"), selections(r, "dimension"))
	})
	d.handle(mux, "GET /tag-keys", RoleViewer, func(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		return tagKeys(r.URL.Query().Get("metric"))
	})
	d.handle(mux, "GET /tag-values", RoleViewer, func(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		key := r.URL.Query().Get("key")
		if key == "" {
			return nil, &httpError{status: http.StatusBadRequest, msg: "query parameter key is missing", hint: "call /tag-values?key=<dimension>, e.g. key=team"}
		}
		// Tag values are the same lists as template variables.
		return eng.Variables(r.Context(), key, selections(r, "key", "metric"))
	})
	d.handle(mux, "GET /targets", RoleViewer, func(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		return eng.Targets(r.Context())
	})
	d.handle(mux, "PUT /targets", RoleAdmin, func(w http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		body, err := readBody(w, r, 1<<20)
		if err != nil {
			return nil, err
		}
		if !json.Valid(body) {
			return nil, &httpError{status: http.StatusBadRequest, msg: "PUT /targets body is not valid JSON", hint: `send an array like [{"key":"uptime","value":99.9}]`}
		}
		var targets []metrics.TargetRow
		if err := json.Unmarshal(body, &targets); err != nil {
			return nil, &httpError{status: http.StatusBadRequest, msg: "PUT /targets body must be an array of targets: " + err.Error(),
				hint: `send [{"key":"uptime","value":99.9}]`}
		}
		return eng.PutTargets(r.Context(), targets)
	})
	d.handle(mux, "POST /migrate", RoleAdmin, func(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		return eng.Migrate(r.Context())
	})
	d.handle(mux, "POST /demo", RoleAdmin, d.startDemo)
	d.handle(mux, "GET /demo", RoleViewer, d.demoStatus)
	d.handle(mux, "POST /ingest/{table}", RoleEditor, d.ingest)
	d.handle(mux, "GET /sources", RoleViewer, d.sources)
	d.handle(mux, "GET /ingest/errors", RoleViewer, func(_ http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
		limit := 100
		if s := r.URL.Query().Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 10000 {
				return nil, &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf("query parameter limit must be a number from 1 to 10000, got %q", s)}
			}
			limit = n
		}
		return eng.IngestErrors(r.Context(), limit)
	})
	return jsonFallback(mux)
}

// tagKeys lists the ad hoc filter keys of a metric ("" = all dimensions) with their labels.
func tagKeys(metric string) ([]Option, error) {
	keys, err := metrics.TagKeys(metric)
	if err != nil {
		return nil, downstream(err)
	}
	labels := map[string]string{}
	for _, d := range metrics.Dimensions() {
		labels[d.ID] = d.Label
	}
	out := make([]Option, len(keys))
	for i, k := range keys {
		out[i] = Option{Value: k, Text: k}
		if l, ok := labels[k]; ok {
			out[i].Text = l
		}
	}
	return out, nil
}

// handle registers a route behind its role check; the handler's answer is written as JSON.
func (d *Datasource) handle(mux *http.ServeMux, pattern string, min Role, h handler) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := requireRole(r, min); err != nil {
			writeError(w, r, err)
			return
		}
		eng, err := d.getEngine(r.Context())
		if err != nil {
			writeError(w, r, &engineUnavailable{err: err})
			return
		}
		v, err := h(w, r, eng)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if v != nil {
			writeJSON(w, http.StatusOK, v)
		}
	})
}

// jsonFallback answers requests that match no route (404, or 405 for a known path with another
// method) with the same JSON error shape as the routes instead of the ServeMux's plain text.
func jsonFallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{header: http.Header{}, status: http.StatusNotFound}
		h.ServeHTTP(rec, r)
		err := &httpError{status: rec.status, msg: fmt.Sprintf("no resource %s %s", r.Method, r.URL.Path),
			hint: "see the resource endpoints in docs/architecture.md"}
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
			err.msg = fmt.Sprintf("%s is not allowed on %s", r.Method, r.URL.Path)
			err.hint = "allowed: " + allow
		}
		writeError(w, r, err)
	})
}

// selections turns the query string into dimension → values, leaving out the named parameters.
func selections(r *http.Request, skip ...string) map[string][]string {
	out := map[string][]string{}
	for k, vs := range r.URL.Query() {
		if contains(skip, k) || len(vs) == 0 {
			continue
		}
		out[k] = vs
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
