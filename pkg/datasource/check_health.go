package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// MigrateHint tells an admin how to create or upgrade the schema.
const MigrateHint = "open PlatformLens › Configuration and press Migrate (or run `platformlens migrate`)"

// healthDetails is the JSON detail of the health result; the app's Configuration page reads it.
type healthDetails struct {
	PostgresVersion     string `json:"postgresVersion,omitempty"`
	TimescaleVersion    string `json:"timescaleVersion,omitempty"`
	Mode                string `json:"mode,omitempty"`
	SchemaVersion       int    `json:"schemaVersion"`
	LatestSchemaVersion int    `json:"latestSchemaVersion"`
	Migrated            bool   `json:"migrated"`
	Hint                string `json:"hint,omitempty"`
	// SQLMode is "enabled", or "refused" with SQLModeHint saying why and what SQL fixes it.
	SQLMode     string `json:"sqlMode"`
	SQLModeHint string `json:"sqlModeHint,omitempty"`
}

// CheckHealth connects with the configured settings and reports what it found: the PostgreSQL
// and TimescaleDB versions, the store mode and the schema version. Every failure says what to do.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	eng, err := d.getEngine(ctx)
	if err != nil {
		return healthError(Explain(err)), nil
	}
	h, err := eng.Health(ctx)
	if err != nil {
		return healthError(Explain(err)), nil
	}
	return healthResult(h), nil
}

// healthResult turns what the engine found into Grafana's health answer.
func healthResult(h Health) *backend.CheckHealthResult {
	det := healthDetails{PostgresVersion: h.PostgresVersion, TimescaleVersion: h.TimescaleVersion, Mode: h.Mode,
		SchemaVersion: h.SchemaVersion, LatestSchemaVersion: h.LatestSchemaVersion, Migrated: h.SchemaVersion > 0}
	ts := "TimescaleDB not installed"
	if h.TimescaleVersion != "" {
		ts = "TimescaleDB " + h.TimescaleVersion
	}
	conn := fmt.Sprintf("Connected to PostgreSQL %s (%s, store mode %s)", h.PostgresVersion, ts, h.Mode)

	status := backend.HealthStatusOk
	var msg string
	switch {
	case h.SchemaVersion == 0:
		status = backend.HealthStatusError
		det.Hint = MigrateHint
		msg = fmt.Sprintf("%s; schema not migrated — %s.", conn, MigrateHint)
	case h.SchemaVersion > h.LatestSchemaVersion:
		// A newer schema was written by a newer plugin; this build does not know its tables and
		// refuses to guess. Downgrading the schema would lose data, so the fix is an upgrade.
		status = backend.HealthStatusError
		det.Hint = "upgrade the PlatformLens app to the version that migrated this database"
		msg = fmt.Sprintf("%s; the database schema is version %d but this plugin only knows up to version %d — refusing to use it: %s.",
			conn, h.SchemaVersion, h.LatestSchemaVersion, det.Hint)
	case h.SchemaVersion < h.LatestSchemaVersion:
		status = backend.HealthStatusError
		det.Hint = MigrateHint
		msg = fmt.Sprintf("%s; schema version %d is older than this plugin's version %d — %s.", conn, h.SchemaVersion, h.LatestSchemaVersion, MigrateHint)
	default:
		msg = fmt.Sprintf("%s; schema version %d (up to date).", conn, h.SchemaVersion)
	}
	det.SQLMode, det.SQLModeHint = sqlModeHealth(h)
	if det.SQLModeHint != "" {
		msg += " " + det.SQLModeHint
	}
	body, _ := json.Marshal(det)
	return &backend.CheckHealthResult{Status: status, Message: msg, JSONDetails: body}
}

// sqlModeHealth says whether SQL mode can run on this connection, and if not (or only because an
// Admin allowed a privileged role) one sentence with the SQL that fixes it.
func sqlModeHealth(h Health) (string, string) {
	if h.Privileged != "" {
		fix := "connect the datasource as a least-privilege role instead, created by an admin with: " +
			compactSQL(store.LeastPrivilegeSQL(h.Schema, "platformlens_app")) + " (then migrate as that role)"
		if h.AllowPrivileged {
			return "enabled", fmt.Sprintf("Warning: %s and allowSqlModeWithPrivilegedRole is on, so SQL-mode queries can read server files and run programs; %s.", h.Privileged, fix)
		}
		return "refused", fmt.Sprintf("SQL mode is refused because %s (a query could read server files or run programs); %s.", h.Privileged, fix)
	}
	if h.SchemaVersion > 0 && !h.ReaderReady {
		return "refused", fmt.Sprintf("SQL mode is refused until the read-only role %s is usable by user %q: migrate as a role with CREATEROLE, or ask a database admin to run %s",
			h.ReaderRole, h.User, compactSQL(store.ReadRoleSQL(h.Schema, h.User)))
	}
	return "enabled", ""
}

func compactSQL(sql string) string { return strings.Join(strings.Fields(sql), " ") }

func healthError(msg string) *backend.CheckHealthResult {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg}
}
