// Package api serves the keyed, read-only metric API of `platformlens serve`: REST under
// /api/v1 (catalog, one metric, DORA, OpenAPI document) and GraphQL at /graphql with a schema
// generated from the catalog. Every number comes from the metric engine, converted by
// pkg/records, so the API answers what the dashboards and the CLI answer.
//
// Bounded work, as in the datasource: a range of at most MaxRange, MaxRows records per answer,
// MaxBody bytes of request body, a per-request deadline, GraphQL depth and cost limits, and
// per-key hourly rate limits (429 with Retry-After).
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	graphql "github.com/graph-gophers/graphql-go"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Limits of one request.
const (
	MaxRange       = 400 * 24 * time.Hour // a year plus room for year-over-year compare
	MaxRows        = 100_000
	MaxBody        = 64 << 10
	MaxQueryString = 8 << 10
	RequestTimeout = 30 * time.Second
	MaxDepth       = 8  // GraphQL selection depth
	MaxCost        = 20 // engine queries one GraphQL request may run
)

// Runner computes one metric query; *metrics.Engine implements it.
type Runner interface {
	Run(ctx context.Context, q metrics.Query) (data.Frames, error)
}

// Server is the API. Create it with New and mount it with Register.
type Server struct {
	eng    Runner
	keys   Keys
	lim    limiter
	log    *slog.Logger
	now    func() time.Time
	schema *graphql.Schema
}

// New returns the API over st; now is the clock (rate-limit windows, default ranges).
func New(st *store.Store, log *slog.Logger, now func() time.Time) (*Server, error) {
	return NewWith(metrics.NewEngine(st), Keys{DB: st.Pool()}, log, now)
}

// NewWith returns the API over any engine and key store (tests).
func NewWith(eng Runner, keys Keys, log *slog.Logger, now func() time.Time) (*Server, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{eng: eng, keys: keys, log: log, now: now}
	schema, err := graphql.ParseSchema(SchemaSDL(), &gqlRoot{s: s}, graphql.MaxDepth(MaxDepth),
		graphql.MaxQueryLength(MaxBody), graphql.UseFieldResolvers())
	if err != nil {
		return nil, err
	}
	s.schema = schema
	return s, nil
}

// Register adds the API's routes to mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	mux.Handle("GET /api/v1/metrics", s.keyed("rest", s.catalog))
	mux.Handle("GET /api/v1/metrics/{id}", s.keyed("rest", s.metric))
	mux.Handle("GET /api/v1/dora", s.keyed("rest", s.dora))
	mux.Handle("POST /graphql", s.keyed("graphql", s.graphql))
}

type keyCtx struct{}

// keyed authenticates the request's key (Authorization: Bearer plk_… or X-API-Key), applies the
// key's hourly limit for kind, bounds the request and logs it with the key id.
func (s *Server) keyed(kind string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		keyID := "-"
		defer func() {
			s.log.Info("api request", "key", keyID, "kind", kind, "method", r.Method, "path", r.URL.Path,
				"status", rec.status, "ms", s.now().Sub(start).Milliseconds())
		}()
		secret := strings.TrimSpace(r.Header.Get("X-API-Key"))
		if a := r.Header.Get("Authorization"); secret == "" && len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
			secret = strings.TrimSpace(a[7:])
		}
		if secret == "" {
			rec.Header().Set("WWW-Authenticate", `Bearer realm="platformlens"`)
			writeError(rec, http.StatusUnauthorized, "no API key: send Authorization: Bearer <key> (an Admin creates keys with `platformlens apikey create`)")
			return
		}
		key, err := s.keys.Authenticate(r.Context(), secret)
		if errors.Is(err, ErrNoKey) {
			rec.Header().Set("WWW-Authenticate", `Bearer realm="platformlens", error="invalid_token"`)
			writeError(rec, http.StatusUnauthorized, "API key unknown or revoked: ask an Admin for a new one")
			return
		}
		if err != nil {
			s.log.Error("api key lookup failed", "err", err)
			writeError(rec, http.StatusServiceUnavailable, "cannot check the API key: the database is unavailable; retry later")
			return
		}
		keyID = key.ID
		limit := key.RESTPerHour
		if kind == "graphql" {
			limit = key.GraphQLPerHour
		}
		if ok, wait := s.lim.allow(key.ID, kind, limit, s.now()); !ok {
			secs := int(wait.Seconds() + 0.999)
			rec.Header().Set("Retry-After", strconv.Itoa(secs))
			writeError(rec, http.StatusTooManyRequests, "rate limit of "+strconv.Itoa(limit)+" "+kind+" requests per hour reached for key "+key.ID+"; retry after "+strconv.Itoa(secs)+" s")
			return
		}
		if len(r.URL.RawQuery) > MaxQueryString {
			writeError(rec, http.StatusRequestURITooLong, "query string longer than 8 KiB")
			return
		}
		r.Body = http.MaxBytesReader(rec, r.Body, MaxBody)
		ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), keyCtx{}, key), RequestTimeout)
		defer cancel()
		h(rec, r.WithContext(ctx))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// writeError answers {"error": msg} with status.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// runError answers an engine error: user faults (downstream) are 400, timeouts 504, the rest 502
// (the database failed) — never the internals of a panic.
func (s *Server) runError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, "the query took longer than 30 s: narrow the time range or the filters")
	case errors.Is(err, errTooManyRows):
		writeError(w, http.StatusUnprocessableEntity, err.Error())
	case errors.As(err, new(*pgconn.PgError)) || errors.As(err, new(*pgconn.ConnectError)):
		s.log.Error("api query failed in the database", "err", err)
		writeError(w, http.StatusBadGateway, "the query failed in the database; see the serve log")
	case backend.IsDownstreamError(err):
		writeError(w, http.StatusBadRequest, err.Error())
	default:
		s.log.Error("api query failed", "err", err)
		writeError(w, http.StatusBadGateway, "the query failed in the database; see the serve log")
	}
}
