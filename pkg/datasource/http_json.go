package datasource

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// httpError is an error with the HTTP status and the hint of its JSON answer.
type httpError struct {
	status int
	msg    string
	hint   string
	// extra fields merged into the JSON body (e.g. the ingest result next to the error)
	extra map[string]any
}

func (e *httpError) Error() string { return e.msg }

// errorBody is the JSON shape of every error answer of the resource routes.
type errorBody struct {
	Error string `json:"error"`
	Hint  string `json:"hint,omitempty"`
}

// engineUnavailable marks a failure to open the engine (database unreachable, wrong password,
// …) so it is answered with 503 and the actionable explanation.
type engineUnavailable struct{ err error }

func (e *engineUnavailable) Error() string { return e.err.Error() }
func (e *engineUnavailable) Unwrap() error { return e.err }

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.DefaultLogger.Warn("writing resource answer", "error", err)
	}
}

// writeError maps an error to a status and a JSON body {error, hint?} (see statusOf).
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	body := map[string]any{}
	status, hint := statusOf(err)
	if errors.As(err, &he) {
		for k, v := range he.extra {
			body[k] = v
		}
	}
	if status >= 500 {
		log.DefaultLogger.Error("resource call failed", "method", r.Method, "path", r.URL.Path, "status", status, "error", err)
	}
	body["error"] = err.Error()
	if hint != "" {
		body["hint"] = hint
	}
	writeJSON(w, status, body)
}

// statusOf is the one mapping of errors to HTTP statuses, for the resource routes and QueryData:
// an httpError keeps its status; cancellations are 499 (client closed request); a database that
// cannot serve now (unreachable, shutting down 57P0x, out of connection slots 53300) is 503 so
// clients retry; a statement that ran out of time (57014, the request's deadline) is 504; other
// downstream errors (the request, or data the user sent) are 400; anything else is a plugin
// fault, 500.
func statusOf(err error) (int, string) {
	var he *httpError
	var eu *engineUnavailable
	switch {
	case errors.As(err, &he):
		return he.status, he.hint
	case errors.As(err, &eu):
		return http.StatusServiceUnavailable, "check the connection settings on the datasource page and press Save & test"
	case errors.Is(err, context.Canceled):
		return 499, ""
	}
	switch store.HTTPStatus(err) {
	case http.StatusServiceUnavailable:
		return http.StatusServiceUnavailable, "the database is unavailable (down, restarting or out of connections); retry shortly — the plugin reconnects by itself once it is back"
	case http.StatusGatewayTimeout:
		return http.StatusGatewayTimeout, "the database did not finish in time; narrow the request or raise statementTimeoutSeconds"
	}
	if backend.IsDownstreamError(err) {
		return http.StatusBadRequest, ""
	}
	return http.StatusInternalServerError, ""
}

// isConnectError reports whether err is a failure to connect to the database.
func isConnectError(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}

// statusRecorder captures the status the ServeMux would answer for an unmatched request (404 or
// 405 with its Allow header) so the answer can be rewritten as JSON.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header         { return s.header }
func (s *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (s *statusRecorder) WriteHeader(code int)        { s.status = code }
