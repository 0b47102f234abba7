package datasource

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/jackc/pgx/v5/pgconn"
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

// writeError maps an error to a status and a JSON body {error, hint?}:
// httpError keeps its status; timeouts are 504; cancellations 499 (client closed request);
// an unreachable database 503; other downstream errors (the request or the database the user
// configured is at fault) 400; anything else is a plugin fault, 500.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	var eu *engineUnavailable
	status := http.StatusInternalServerError
	body := map[string]any{}
	hint := ""
	switch {
	case errors.As(err, &he):
		status, hint = he.status, he.hint
		for k, v := range he.extra {
			body[k] = v
		}
	case errors.As(err, &eu):
		status = http.StatusServiceUnavailable
		hint = "check the connection settings on the datasource page and press Save & test"
	case isConnectError(err):
		status = http.StatusServiceUnavailable
		hint = "the database is unreachable; the plugin reconnects by itself once it is back"
	case errors.Is(err, context.DeadlineExceeded):
		status = http.StatusGatewayTimeout
		hint = "the database did not answer in time; narrow the request or raise statementTimeoutSeconds"
	case errors.Is(err, context.Canceled):
		status = 499
	case backend.IsDownstreamError(err):
		status = http.StatusBadRequest
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
