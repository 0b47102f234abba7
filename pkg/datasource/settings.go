package datasource

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// Defaults of the datasource settings (docs/architecture.md, "Datasource settings").
const (
	DefaultHost             = "localhost"
	DefaultPort             = 5432
	DefaultDatabase         = "platformlens"
	DefaultSchema           = "platformlens"
	DefaultSSLMode          = "require"
	DefaultMaxConns         = 10
	DefaultStatementTimeout = 30 * time.Second
	DefaultRowLimit         = 100000
	DefaultResultLimitMB    = 4
)

// Settings is the parsed configuration of one datasource instance. Password and TLSCACert come
// from secureJsonData only; String redacts them so a Settings value can be logged safely.
type Settings struct {
	Host             string
	Port             int
	Database         string
	User             string
	Schema           string
	SSLMode          string
	MaxConns         int
	StatementTimeout time.Duration
	RowLimit         int
	// ResultLimitBytes caps the size of an SQL-mode result (jsonData resultLimitMB).
	ResultLimitBytes int
	// AllowSQLModeWithPrivilegedRole lets SQL mode run although the login role is a superuser
	// or a member of pg_execute_server_program / pg_read_server_files / pg_write_server_files
	// (jsonData allowSqlModeWithPrivilegedRole; off by default, an Admin's explicit choice).
	AllowSQLModeWithPrivilegedRole bool
	// DORABands is the band set dora_summary uses when a query does not name one ("" = the
	// catalog default); jsonData.doraBands.
	DORABands string

	Password  string
	TLSCACert string
}

// String describes the settings for logs without the password or the CA certificate.
func (s Settings) String() string {
	pw := "unset"
	if s.Password != "" {
		pw = "set"
	}
	return fmt.Sprintf("host=%s port=%d database=%s user=%s schema=%s sslMode=%s maxConns=%d statementTimeout=%s rowLimit=%d resultLimitBytes=%d allowSqlModeWithPrivilegedRole=%t password=%s",
		s.Host, s.Port, s.Database, s.User, s.Schema, s.SSLMode, s.MaxConns, s.StatementTimeout, s.RowLimit, s.ResultLimitBytes, s.AllowSQLModeWithPrivilegedRole, pw)
}

// GoString keeps %#v from printing the secrets too.
func (s Settings) GoString() string { return "datasource.Settings{" + s.String() + "}" }

// jsonSettings mirrors jsonData. Numbers are json.RawMessage because Grafana's config forms and
// hand-written provisioning files store them as numbers or strings ("5432"); both are accepted.
type jsonSettings struct {
	Host                    string          `json:"host"`
	Port                    json.RawMessage `json:"port"`
	Database                string          `json:"database"`
	User                    string          `json:"user"`
	Schema                  string          `json:"schema"`
	SSLMode                 string          `json:"sslMode"`
	MaxConns                json.RawMessage `json:"maxConns"`
	StatementTimeoutSeconds json.RawMessage `json:"statementTimeoutSeconds"`
	RowLimit                json.RawMessage `json:"rowLimit"`
	ResultLimitMB           json.RawMessage `json:"resultLimitMB"`
	// AllowSQLModeWithPrivilegedRole is a plain bool: only a deliberate true turns it on.
	AllowSQLModeWithPrivilegedRole bool   `json:"allowSqlModeWithPrivilegedRole"`
	DORABands                      string `json:"doraBands"`
}

// SettingsError names the setting that is wrong, so the health check and the logs can point the
// user at the exact field of the configuration page.
type SettingsError struct {
	Field  string // jsonData / secureJsonData key
	Reason string
}

func (e *SettingsError) Error() string {
	return fmt.Sprintf("datasource setting %q %s", e.Field, e.Reason)
}

// LoadSettings reads jsonData and the decrypted secureJsonData of a datasource instance, applies
// the defaults and validates every field. Errors are *SettingsError wrapped as downstream errors
// (the user's configuration is at fault, not the plugin).
func LoadSettings(s backend.DataSourceInstanceSettings) (Settings, error) {
	var js jsonSettings
	if raw := bytes.TrimSpace(s.JSONData); len(raw) > 0 && !bytes.Equal(raw, []byte("null")) {
		if err := json.Unmarshal(raw, &js); err != nil {
			return Settings{}, backend.DownstreamError(&SettingsError{Field: "jsonData", Reason: "is not valid JSON: " + err.Error()})
		}
	}
	out := Settings{
		Host:      firstNonEmpty(js.Host, DefaultHost),
		Database:  firstNonEmpty(js.Database, s.Database, DefaultDatabase),
		User:      firstNonEmpty(js.User, s.User),
		Schema:    firstNonEmpty(js.Schema, DefaultSchema),
		SSLMode:   firstNonEmpty(js.SSLMode, DefaultSSLMode),
		Password:  s.DecryptedSecureJSONData["password"],
		TLSCACert: s.DecryptedSecureJSONData["tlsCACert"],
		DORABands: js.DORABands,
	}
	var err error
	if out.Port, err = intSetting("port", js.Port, DefaultPort, 1, 65535); err != nil {
		return Settings{}, err
	}
	if out.MaxConns, err = intSetting("maxConns", js.MaxConns, DefaultMaxConns, 1, 1000); err != nil {
		return Settings{}, err
	}
	timeout, err := intSetting("statementTimeoutSeconds", js.StatementTimeoutSeconds, int(DefaultStatementTimeout/time.Second), 1, 3600)
	if err != nil {
		return Settings{}, err
	}
	out.StatementTimeout = time.Duration(timeout) * time.Second
	if out.RowLimit, err = intSetting("rowLimit", js.RowLimit, DefaultRowLimit, 1, 10_000_000); err != nil {
		return Settings{}, err
	}
	mb, err := intSetting("resultLimitMB", js.ResultLimitMB, DefaultResultLimitMB, 1, 200)
	if err != nil {
		return Settings{}, err
	}
	out.ResultLimitBytes = mb << 20
	out.AllowSQLModeWithPrivilegedRole = js.AllowSQLModeWithPrivilegedRole
	if err := out.validate(); err != nil {
		return Settings{}, backend.DownstreamError(err)
	}
	return out, nil
}

func (s Settings) validate() error {
	if strings.ContainsAny(s.Host, " /?#@") {
		return &SettingsError{Field: "host", Reason: fmt.Sprintf("must be a host name or IP address, got %q", s.Host)}
	}
	if s.User == "" {
		return &SettingsError{Field: "user", Reason: "is empty: enter the PostgreSQL user the plugin connects as"}
	}
	if s.DORABands != "" && !metrics.ValidBandSet(s.DORABands) {
		return &SettingsError{Field: "doraBands", Reason: fmt.Sprintf("names no DORA band set, got %q; use one of the choices of the metrics' bands option (e.g. 2023 or 2021)", s.DORABands)}
	}
	switch s.SSLMode {
	case "disable", "require", "verify-ca", "verify-full":
	default:
		return &SettingsError{Field: "sslMode", Reason: fmt.Sprintf("must be one of disable, require, verify-ca, verify-full, got %q", s.SSLMode)}
	}
	if (s.SSLMode == "verify-ca" || s.SSLMode == "verify-full") && s.TLSCACert != "" &&
		!strings.Contains(s.TLSCACert, "-----BEGIN CERTIFICATE-----") {
		return &SettingsError{Field: "tlsCACert", Reason: "is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)"}
	}
	if s.Schema != strings.TrimSpace(s.Schema) || len(s.Schema) > 63 {
		return &SettingsError{Field: "schema", Reason: fmt.Sprintf("must be a PostgreSQL identifier of at most 63 characters without surrounding spaces, got %q", s.Schema)}
	}
	return nil
}

// intSetting parses a number given as JSON number or numeric string; absent, null and "" mean
// the default.
func intSetting(field string, raw json.RawMessage, def, min, max int) (int, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) || bytes.Equal(raw, []byte(`""`)) {
		return def, nil
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, backend.DownstreamError(&SettingsError{Field: field, Reason: "is not a valid string: " + err.Error()})
		}
		text = strings.TrimSpace(text)
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, backend.DownstreamError(&SettingsError{Field: field, Reason: fmt.Sprintf("must be a whole number, got %s", raw)})
	}
	if n < min || n > max {
		return 0, backend.DownstreamError(&SettingsError{Field: field, Reason: fmt.Sprintf("must be between %d and %d, got %d", min, max, n)})
	}
	return n, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// withDefaults applies the datasource's query defaults: its DORA band set replaces the catalog
// default when the query reads bands (Bands was filled at parse time) but did not name a set.
func (s Settings) withDefaults(q metrics.Query) metrics.Query {
	if !q.BandsExplicit && q.Bands != "" && s.DORABands != "" {
		q.Bands = s.DORABands
	}
	return q
}
