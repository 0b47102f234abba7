package store_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// fieldsConfig returns a field-based Config (as the datasource builds it) for db.
func fieldsConfig(t *testing.T, db *testdb.Database) store.Config {
	t.Helper()
	port, err := strconv.Atoi(db.Port)
	if err != nil {
		t.Fatal(err)
	}
	return store.Config{Host: db.Host, Port: port, Database: db.Name, User: db.User, SSLMode: "disable"}
}

// pingErr opens a store with cfg and returns Explain of the first connection attempt.
func pingErr(t *testing.T, cfg store.Config) (error, string) {
	t.Helper()
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = st.Ping(ctx)
	t.Logf("Explain: %s", store.Explain(err))
	return err, store.Explain(err)
}

func TestExplainRealConnectionFailures(t *testing.T) {
	db := testdb.New(t)

	t.Run("nothing listens on the port", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		cfg := fieldsConfig(t, db)
		cfg.Port = port
		err, msg := pingErr(t, cfg)
		want := fmt.Sprintf("connection refused by 127.0.0.1:%d", port)
		if err == nil || !strings.Contains(msg, want) || !strings.Contains(msg, "check host and port") {
			t.Fatalf("Explain = %q; want it to contain %q (err %v)", msg, want, err)
		}
	})

	t.Run("database does not exist", func(t *testing.T) {
		cfg := fieldsConfig(t, db)
		cfg.Database = db.Name + "_missing"
		_, msg := pingErr(t, cfg)
		if !strings.Contains(msg, fmt.Sprintf("database %q does not exist", cfg.Database)) || !strings.Contains(msg, "CREATE DATABASE") {
			t.Fatalf("Explain = %q", msg)
		}
	})

	var ssl string
	conn := newStore(t, db, "")
	if err := conn.Pool().QueryRow(context.Background(), "SHOW ssl").Scan(&ssl); err != nil {
		t.Fatal(err)
	}
	if ssl == "off" {
		t.Run("server without TLS, sslMode require", func(t *testing.T) {
			cfg := fieldsConfig(t, db)
			cfg.SSLMode = "require"
			_, msg := pingErr(t, cfg)
			if !strings.Contains(msg, "does not support TLS") || !strings.Contains(msg, "sslMode to disable") {
				t.Fatalf("Explain = %q", msg)
			}
		})
		return
	}
	t.Logf("server has ssl=on: testing certificate failures instead of a refused TLS connection")

	t.Run("sslMode require encrypts without verifying", func(t *testing.T) {
		cfg := fieldsConfig(t, db)
		cfg.SSLMode = "require"
		if err, msg := pingErr(t, cfg); err != nil {
			t.Fatalf("require against a TLS server failed: %s", msg)
		}
	})

	t.Run("verify-ca with a CA that did not sign the server certificate", func(t *testing.T) {
		cfg := fieldsConfig(t, db)
		cfg.SSLMode = "verify-ca"
		cfg.CACertPEM = selfSignedCA(t)
		err, msg := pingErr(t, cfg)
		var ua x509.UnknownAuthorityError
		if !errors.As(err, &ua) && !strings.Contains(err.Error(), "unknown authority") {
			t.Logf("underlying error: %v", err)
		}
		if !strings.Contains(msg, "not signed by a trusted CA") || !strings.Contains(msg, "CA certificate") {
			t.Fatalf("Explain = %q (err %v)", msg, err)
		}
	})

	t.Run("verify-full against an IP the certificate does not name", func(t *testing.T) {
		cfg := fieldsConfig(t, db)
		cfg.SSLMode = "verify-full"
		cfg.CACertPEM = selfSignedCA(t)
		_, msg := pingErr(t, cfg)
		// Either failure is a certificate problem the message must name.
		if !strings.Contains(msg, "TLS certificate") {
			t.Fatalf("Explain = %q", msg)
		}
	})
}

func TestExplainServerErrors(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&pgconn.PgError{Code: "28P01", Message: "password authentication failed for user \"bob\""}, "password authentication failed"},
		{&pgconn.PgError{Code: "57014", Message: "canceling statement due to statement timeout"}, "raise the statement timeout"},
		{&pgconn.PgError{Code: "42P01", Message: `relation "builds" does not exist`}, "run the migration"},
		{&pgconn.PgError{Code: "53300", Message: "sorry, too many clients already"}, "lower maxConns"},
		{fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "42501", Message: "permission denied for schema x"}), "grant the database user"},
		{&pgconn.PgError{Code: "22012", Message: "division by zero"}, "division by zero (SQLSTATE 22012)"},
		{context.DeadlineExceeded, "timed out"},
		{errors.New("something else"), "something else"},
	}
	for _, c := range cases {
		if got := store.Explain(c.err); !strings.Contains(got, c.want) {
			t.Errorf("Explain(%v) = %q; want it to contain %q", c.err, got, c.want)
		}
	}
	if store.Explain(nil) != "" {
		t.Error("Explain(nil) should be empty")
	}
}

func TestConfigFieldsSetSessionAndLimits(t *testing.T) {
	ctx := ctxT(t)
	db := testdb.New(t)
	cfg := fieldsConfig(t, db)
	cfg.Schema = "lens"
	cfg.StatementTimeout = 300 * time.Millisecond
	cfg.MaxConns = 3
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var searchPath, timeout string
	if err := st.Pool().QueryRow(ctx, "SELECT current_setting('search_path'), current_setting('statement_timeout')").Scan(&searchPath, &timeout); err != nil {
		t.Fatal(err)
	}
	if searchPath != `"lens", public` || timeout != "300ms" {
		t.Fatalf("search_path = %q, statement_timeout = %q", searchPath, timeout)
	}
	if got := st.Pool().Config().MaxConns; got != 3 {
		t.Fatalf("MaxConns = %d", got)
	}
	_, err = st.Pool().Exec(ctx, "SELECT pg_sleep(2)")
	if msg := store.Explain(err); !strings.Contains(msg, "statement timeout") {
		t.Fatalf("slow query: Explain = %q (err %v)", msg, err)
	}
}

func TestConfigRejectsBadSettings(t *testing.T) {
	ctx := context.Background()
	for name, cfg := range map[string]store.Config{
		"ssl mode": {Host: "localhost", SSLMode: "sometimes"},
		"port":     {Host: "localhost", Port: 70000},
		"ca pem":   {Host: "localhost", SSLMode: "verify-full", CACertPEM: "not a certificate"},
		"dsn":      {DSN: "postgres://%zz"},
	} {
		if st, err := store.Open(ctx, cfg); err == nil {
			st.Close()
			t.Errorf("%s: Open accepted %+v", name, cfg)
		}
	}
	_, err := store.Open(ctx, store.Config{Host: "h", User: "u", Password: "s3cr3t!", DSN: "postgres://u:s3cr3t!@h:bad/db"})
	if err == nil || strings.Contains(err.Error(), "s3cr3t!") {
		t.Fatalf("bad DSN error must not leak the password: %v", err)
	}
}

// selfSignedCA returns a PEM CA certificate that signed nothing the server presents.
func selfSignedCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "PlatformLens test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
