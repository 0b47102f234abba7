package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// serveDeps is what `platformlens serve` hands every part it mounts.
type serveDeps struct {
	Store  *store.Store
	Logger *slog.Logger
	Now    func() time.Time // the clock; tests pass a fixed one
}

// serveMount adds routes to serve's mux and may start background work that stops with ctx.
type serveMount func(ctx context.Context, mux *http.ServeMux, deps serveDeps) error

// serveMounts are registered from init() by each part of serve (receivers, API, reports).
var serveMounts []serveMount
