package store

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Explain turns a connection or query error into one actionable sentence for people (the
// datasource health check, the CLI, the app's Configuration page): what went wrong and what to
// change. It never includes the password. Unknown errors are returned as their text.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	where := "the database server"
	var cfg *pgconn.Config
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Config != nil {
		cfg = ce.Config
		where = fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
	}

	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return explainPgError(pgErr, cfg, where)
	}

	var uaErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invErr x509.CertificateInvalidError
	var dnsErr *net.DNSError
	msg := err.Error()
	switch {
	case strings.Contains(msg, "server refused TLS connection"):
		return fmt.Sprintf("%s does not support TLS (its ssl setting is off): set sslMode to disable, or enable ssl on the server", where)
	case errors.As(err, &uaErr) || strings.Contains(msg, "certificate signed by unknown authority"):
		return fmt.Sprintf("the TLS certificate of %s is not signed by a trusted CA: paste the server's CA certificate (PEM) into the TLS CA certificate setting, or use sslMode=require to encrypt without verifying", where)
	case errors.As(err, &hostErr) || strings.Contains(msg, "certificate is valid for"):
		return fmt.Sprintf("the TLS certificate of %s does not name this host (%v): connect with a host name the certificate lists, or use sslMode=verify-ca", where, lastPart(msg))
	case errors.As(err, &invErr):
		return fmt.Sprintf("the TLS certificate of %s is not valid (%s): renew the server certificate or fix the machine clock", where, invErr.Error())
	case strings.Contains(msg, "tls:") || strings.Contains(msg, "x509:"):
		return fmt.Sprintf("TLS handshake with %s failed (%s): check sslMode and the CA certificate", where, lastPart(msg))
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("host %q cannot be resolved (DNS): check the host name", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connection refused by %s: nothing listens on that port — check host and port, and that PostgreSQL is running", where)
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("%s is unreachable from the Grafana server: check the host, the network and firewalls", where)
	case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || isNetTimeout(err):
		return fmt.Sprintf("timed out talking to %s: check host, port and firewalls; for slow queries narrow the time range or raise the statement timeout", where)
	case errors.Is(err, context.Canceled):
		return "the request was cancelled"
	case strings.Contains(msg, "sslmode is invalid"):
		return "sslMode is invalid: use disable, require, verify-ca or verify-full"
	}
	return msg
}

func explainPgError(e *pgconn.PgError, cfg *pgconn.Config, where string) string {
	user, db := "", ""
	if cfg != nil {
		user, db = cfg.User, cfg.Database
	}
	switch e.Code {
	case "28P01": // invalid_password
		if cfg != nil && cfg.Password == "" {
			return fmt.Sprintf("%s requires a password for user %q but none is set: enter the password in the datasource settings", where, user)
		}
		return fmt.Sprintf("password authentication failed for user %q on %s: check the user name and password", user, where)
	case "28000": // invalid_authorization_specification, e.g. no pg_hba.conf entry
		return fmt.Sprintf("%s refused user %q: %s — ask the database admin to allow this host/user (pg_hba.conf), or check sslMode", where, user, e.Message)
	case "3D000": // invalid_catalog_name
		if db == "" {
			return fmt.Sprintf("%s: create the database or fix the database name", e.Message)
		}
		return fmt.Sprintf("database %q does not exist on %s: create it (CREATE DATABASE) or fix the database name", db, where)
	case "53300": // too_many_connections
		return fmt.Sprintf("%s has no free connection slots (%s): lower maxConns or raise max_connections on the server", where, e.Message)
	case "57P03": // cannot_connect_now
		return fmt.Sprintf("%s is starting up or shutting down: try again shortly", where)
	case "57014": // query_canceled
		return "the query was cancelled (statement timeout or request cancelled): narrow the time range or raise the statement timeout"
	case "42501": // insufficient_privilege
		return fmt.Sprintf("permission denied: %s — grant the database user the needed privilege", e.Message)
	case "3F000": // invalid_schema_name
		return fmt.Sprintf("%s: run the migration to create the schema, or fix the schema setting", e.Message)
	case "42P01": // undefined_table
		return fmt.Sprintf("%s: the schema is not migrated — run the migration (app Configuration page or `platformlens migrate`)", e.Message)
	case "25006": // read_only_sql_transaction
		return fmt.Sprintf("%s: writes are not allowed here", e.Message)
	}
	return fmt.Sprintf("%s (SQLSTATE %s)", e.Message, e.Code)
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func lastPart(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}
