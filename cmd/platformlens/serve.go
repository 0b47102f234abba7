package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/receiver"
)

func init() {
	register(command{
		name:    "serve",
		summary: "receive events from GitHub, GitLab, PagerDuty and OpenTelemetry (long-running HTTP server)",
		usage:   "[--listen ADDR] [--dsn DSN] [--schema NAME] [--github-secret-file PATH] [--repo-map FILE] …",
		run:     runServe,
	})
}

// Limits that keep one hostile or broken client from exhausting the server. Webhook payloads
// are small (GitHub caps them at 25 MB, real ones are tens of KB); OTLP batches from a Collector
// are the biggest legitimate bodies.
const (
	defaultListen       = "127.0.0.1:8787"
	defaultMaxBodyBytes = 8 << 20
	serveReadHeader     = 10 * time.Second
	serveReadTimeout    = 30 * time.Second
	serveWriteTimeout   = 60 * time.Second
	serveIdleTimeout    = 120 * time.Second
	serveShutdownGrace  = 20 * time.Second
)

// serveOptions are serve's settings after flag parsing.
type serveOptions struct {
	listen       string
	maxBodyBytes int64
	receivers    receiver.Config
	repoMap      string
}

func runServe(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlagSet("serve")
	db := addDBFlags(fs)
	opts := serveOptions{}
	fs.StringVar(&opts.listen, "listen", defaultListen, "address to listen on (host:port); use 0.0.0.0:8787 to accept from other hosts")
	fs.Int64Var(&opts.maxBodyBytes, "max-body-bytes", defaultMaxBodyBytes, "largest request body accepted (bytes, after gzip decompression)")
	rf := addReceiverFlags(fs)
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	if opts.maxBodyBytes <= 0 {
		return usagef("--max-body-bytes must be positive")
	}
	var err error
	if opts.receivers, err = rf.config(opts.maxBodyBytes); err != nil {
		return err
	}
	opts.repoMap = rf.repoMap
	st, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	logger := slog.New(slog.NewTextHandler(out, nil))
	deps := serveDeps{Store: st, Logger: logger, Now: time.Now}

	// Mounts' background work stops with this context, after the HTTP server has drained.
	mountCtx, stopMounts := context.WithCancel(context.WithoutCancel(ctx))
	defer stopMounts()
	handler, stop, err := newServeHandler(mountCtx, deps, opts)
	if err != nil {
		return err
	}
	defer stop() // after the server drained: flush counters and rollup refreshes
	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (is another serve running? pick another --listen)", opts.listen, err)
	}
	logger.Info("platformlens serve listening", "addr", ln.Addr().String(), "schema", st.Schema())
	return serveUntilDone(ctx, ln, handler, logger)
}

// newServeHandler builds serve's routes: health, the receivers, then every registered mount. It
// is separate from runServe so tests drive the real handler through httptest with a fixed clock.
// stop flushes the receivers' bookkeeping; call it once the server has stopped.
func newServeHandler(ctx context.Context, deps serveDeps, opts serveOptions) (http.Handler, func(), error) {
	mux := http.NewServeMux()
	rh, stop, err := mountReceivers(ctx, deps, opts.receivers, opts.repoMap)
	if err != nil {
		return nil, nil, err
	}
	rh.Mount(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		hctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		if err := deps.Store.Ping(hctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, `{"status":"error","reason":"database unreachable"}`)
			return
		}
		fmt.Fprintln(w, `{"status":"ok"}`)
	})
	for _, m := range serveMounts {
		if err := m(ctx, mux, deps); err != nil {
			stop()
			return nil, nil, err
		}
	}
	return limitBody(mux, opts.maxBodyBytes), stop, nil
}

// limitBody caps every request body; handlers that decompress gzip apply the same cap again
// to the decompressed stream.
func limitBody(next http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			http.Error(w, fmt.Sprintf("request body of %d bytes exceeds the limit of %d bytes", r.ContentLength, max), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// serveUntilDone serves on ln until ctx is cancelled (SIGINT/SIGTERM), then stops accepting,
// lets in-flight requests finish for up to serveShutdownGrace and returns.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: serveReadHeader,
		ReadTimeout:       serveReadTimeout,
		WriteTimeout:      serveWriteTimeout,
		IdleTimeout:       serveIdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), serveShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
