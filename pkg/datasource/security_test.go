package datasource

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/sqlmode/sqlmodetest"
)

func healthDetailsOf(t *testing.T, res *backend.CheckHealthResult) healthDetails {
	t.Helper()
	var det healthDetails
	if err := json.Unmarshal(res.JSONDetails, &det); err != nil {
		t.Fatalf("health details %s: %v", res.JSONDetails, err)
	}
	return det
}

// Finding 6 of issue 8: a superuser connection was reported healthy without a word, and SQL
// mode let any Viewer call pg_read_file & co. Now health says so with the SQL of a
// least-privilege role, and SQL mode is refused unless an Admin sets
// allowSqlModeWithPrivilegedRole.
func TestHealthFlagsPrivilegedLoginRole(t *testing.T) {
	d, db := newDBDatasource(t) // the test server's superuser
	migrate(t, d)
	res := health(t, d)
	wantHealth(t, res, backend.HealthStatusOk, "(up to date)", `SQL mode is refused because user "postgres" is a superuser`,
		"CREATE ROLE \"platformlens_app\" LOGIN", "NOSUPERUSER")
	if det := healthDetailsOf(t, res); det.SQLMode != "refused" || det.SQLModeHint == "" {
		t.Errorf("details = %+v; want sqlMode refused with a hint", det)
	}
	resp := runQueries(t, d, query("A", "sql", sqlmodetest.QueryJSON(sqlmodetest.ReadServerFile, "")))
	wantQueryError(t, resp, "A", backend.ErrorSourceDownstream, "is a superuser", "least-privilege role")

	js := dbJSON(db)
	js["allowSqlModeWithPrivilegedRole"] = true
	allowed := New(instanceSettings(t, js, nil), OpenEngine)
	t.Cleanup(allowed.Dispose)
	res = health(t, allowed)
	wantHealth(t, res, backend.HealthStatusOk, "Warning:", "allowSqlModeWithPrivilegedRole is on")
	if det := healthDetailsOf(t, res); det.SQLMode != "enabled" {
		t.Errorf("details = %+v; want sqlMode enabled", det)
	}
	// Allowed, the query still runs as the read role, which may not read server files.
	resp = runQueries(t, allowed, query("A", "sql", sqlmodetest.QueryJSON(sqlmodetest.ReadServerFile, "")), query("B", "sql", sqlmodetest.QueryJSON(sqlmodetest.CurrentUser, "")))
	wantQueryError(t, resp, "A", backend.ErrorSourceDownstream, "permission denied")
	if r := resp.Responses["B"]; r.Error != nil || *r.Frames[0].Fields[0].At(0).(*string) != "platformlens_reader" {
		t.Errorf("allowed SQL mode: %v %v; want it to run as platformlens_reader", r.Error, r.Frames)
	}
}

func TestHealthOfLeastPrivilegeRoles(t *testing.T) {
	d, _ := newLeastPrivilegeDatasource(t)
	migrate(t, d)
	res := health(t, d)
	wantHealth(t, res, backend.HealthStatusOk, "(up to date)")
	if strings.Contains(res.Message, "SQL mode") || healthDetailsOf(t, res).SQLMode != "enabled" {
		t.Errorf("least-privilege role with read role: %q %s; want SQL mode enabled and no warning", res.Message, res.JSONDetails)
	}

	// Without CREATEROLE the migration still succeeds; health says what an admin runs.
	db := testdb.New(t)
	user, dsn := db.Role(t, "NOSUPERUSER NOCREATEROLE")
	js := dbJSON(db)
	js["user"] = user
	plain := New(instanceSettings(t, js, map[string]string{"password": testdb.Password(dsn)}), OpenEngine)
	t.Cleanup(plain.Dispose)
	migrate(t, plain)
	res = health(t, plain)
	wantHealth(t, res, backend.HealthStatusOk, "SQL mode is refused until the read-only role platformlens_reader is usable", "GRANT \"platformlens_reader\" TO")
	resp := runQueries(t, plain, query("A", "sql", sqlmodetest.QueryJSON(sqlmodetest.SelectOneBare, "")))
	wantQueryError(t, resp, "A", backend.ErrorSourceDownstream, "read-only role")
}
