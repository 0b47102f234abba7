package store

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultSchema is the PostgreSQL schema that holds PlatformLens tables unless configured otherwise.
const DefaultSchema = "platformlens"

// Defaults applied by Open when the corresponding Config field is zero.
const (
	DefaultMaxConns         = 10
	DefaultStatementTimeout = 30 * time.Second
)

// Config holds the connection settings of a Store. Either DSN is set (CLI, tests), or the
// individual fields are (the Grafana datasource settings); see docs/architecture.md.
type Config struct {
	// DSN, when non-empty, is a libpq-style URL or key=value string. It takes the place of
	// Host, Port, Database, User, Password and SSLMode, which are then ignored.
	DSN string

	Host     string // default "localhost"
	Port     int    // default 5432
	Database string // default "platformlens"
	User     string
	Password string
	// SSLMode is disable, require, verify-ca or verify-full (default require).
	SSLMode string
	// CACertPEM is a PEM-encoded CA certificate that verify-ca / verify-full trust instead of
	// the system pool.
	CACertPEM string

	Schema           string        // default DefaultSchema
	MaxConns         int32         // default DefaultMaxConns
	StatementTimeout time.Duration // default DefaultStatementTimeout; negative disables it

	// Now is the clock that status freshness is measured against (default time.Now). Tests pass a
	// fixed one so that their answers do not depend on the day they run.
	Now func() time.Time
}

// ConfigFromDSN returns a Config for a connection string; schema may be empty for the default.
func ConfigFromDSN(dsn, schema string) Config {
	return Config{DSN: dsn, Schema: schema}
}

// validSSLModes are the modes offered in the datasource settings. libpq's allow/prefer are
// accepted only through a DSN (they silently fall back to plaintext, which the UI should not offer).
var validSSLModes = map[string]bool{"disable": true, "require": true, "verify-ca": true, "verify-full": true}

func (c Config) withDefaults() Config {
	if c.Host == "" {
		c.Host = "localhost"
	}
	if c.Port == 0 {
		c.Port = 5432
	}
	if c.Database == "" {
		c.Database = "platformlens"
	}
	if c.SSLMode == "" {
		c.SSLMode = "require"
	}
	if c.Schema == "" {
		c.Schema = DefaultSchema
	}
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
	if c.StatementTimeout == 0 {
		c.StatementTimeout = DefaultStatementTimeout
	}
	return c
}

// connString renders the individual fields as a URL so that pgx parses them exactly like a DSN;
// url.URL takes care of escaping user names and passwords.
func (c Config) connString() (string, error) {
	if !validSSLModes[c.SSLMode] {
		return "", fmt.Errorf("sslMode %q is not one of disable, require, verify-ca, verify-full", c.SSLMode)
	}
	if c.Port < 1 || c.Port > 65535 {
		return "", fmt.Errorf("port %d is out of range 1-65535", c.Port)
	}
	u := url.URL{Scheme: "postgres", Host: c.Host + ":" + strconv.Itoa(c.Port), Path: "/" + c.Database}
	if strings.Contains(c.Host, ":") && !strings.HasPrefix(c.Host, "[") { // IPv6 literal
		u.Host = "[" + c.Host + "]:" + strconv.Itoa(c.Port)
	}
	switch {
	case c.Password != "":
		u.User = url.UserPassword(c.User, c.Password)
	case c.User != "":
		u.User = url.User(c.User)
	}
	q := url.Values{}
	q.Set("sslmode", c.SSLMode)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// poolConfig turns c into a pgxpool configuration. Every connection gets
// search_path = <schema>, public (public holds TimescaleDB's functions) and statement_timeout.
func (c Config) poolConfig() (*pgxpool.Config, error) {
	c = c.withDefaults()
	dsn := c.DSN
	if dsn == "" {
		var err error
		if dsn, err = c.connString(); err != nil {
			return nil, err
		}
	}
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx error texts may quote the DSN including the password; say what is wrong instead.
		return nil, fmt.Errorf("invalid connection settings: %s", redactDSNError(err, c.Password))
	}
	if c.CACertPEM != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(c.CACertPEM)) {
			return nil, errors.New("the TLS CA certificate is not valid PEM: paste the CA certificate including the BEGIN/END CERTIFICATE lines")
		}
		// pgx's verify-ca callback reads RootCAs from this same tls.Config at handshake time,
		// so setting it after parsing covers verify-ca as well as verify-full.
		if pc.ConnConfig.TLSConfig != nil {
			pc.ConnConfig.TLSConfig.RootCAs = pool
		}
		for _, fb := range pc.ConnConfig.Fallbacks {
			if fb.TLSConfig != nil {
				fb.TLSConfig.RootCAs = pool
			}
		}
	}
	pc.MaxConns = c.MaxConns
	if pc.ConnConfig.RuntimeParams == nil {
		pc.ConnConfig.RuntimeParams = map[string]string{}
	}
	pc.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{c.Schema}.Sanitize() + ", public"
	timeoutMS := int64(0)
	if c.StatementTimeout > 0 {
		timeoutMS = c.StatementTimeout.Milliseconds()
	}
	pc.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(timeoutMS, 10)
	pc.ConnConfig.RuntimeParams["application_name"] = "platformlens"
	if pc.ConnConfig.ConnectTimeout == 0 {
		pc.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	return pc, nil
}

func redactDSNError(err error, password string) string {
	msg := err.Error()
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "xxxxx")
		msg = strings.ReplaceAll(msg, url.QueryEscape(password), "xxxxx")
	}
	return msg
}
