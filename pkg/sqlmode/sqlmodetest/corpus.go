// Package sqlmodetest is the shared corpus of SQL-mode statements the tests send: harmless probes
// that must run, and the hostile payloads (issue 8's red team) that must be refused. pkg/sqlmode
// runs them against its executor and pkg/datasource through QueryData, so both guard the same
// statements and no test of the datasource carries SQL of its own.
package sqlmodetest

import "encoding/json"

// Harmless statements SQL mode must run.
const (
	// SelectOne answers one row with the column one = 1.
	SelectOne = "SELECT 1 AS one"
	// SelectOneBare is SelectOne without a column name (refusals before execution).
	SelectOneBare = "SELECT 1"
	// Answer answers one row with the column answer = 42.
	Answer = "SELECT 42 AS answer"
	// CurrentUser answers the role the statement runs as, in the text column u.
	CurrentUser = "SELECT current_user::text AS u"
)

// Statements SQL mode must refuse.
const (
	// DeleteBuilds writes: the first-keyword allowlist refuses it.
	DeleteBuilds = "DELETE FROM builds"
	// ReadServerFile reads a file of the database server; the read role has no right to.
	ReadServerFile = "SELECT pg_read_file('/etc/hostname')"
)

// RedTeam is the red-team corpus of issue 8: each payload must be refused without effect (no
// program run, no lock held, no row changed). marker is a path the two COPY … TO PROGRAM
// payloads try to create.
func RedTeam(marker string) []string {
	return []string{
		"-- x\rCOPY (SELECT 1) TO PROGRAM 'touch " + marker + "'\n--\nCSV",
		"-- x\rDO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch " + marker + "'''; END$$\n--\nSELECT",
		"-- x\rDO $$BEGIN LOCK TABLE builds IN ACCESS EXCLUSIVE MODE; PERFORM pg_sleep(30); END$$\n--\nSELECT 1",
		ReadServerFile,
		"SELECT pg_ls_dir('.')",
		"SELECT lo_import('/etc/hostname')",
		"SELECT pg_reload_conf()",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()",
		"SELECT * FROM pg_authid",
		"SELECT * FROM public.builds", // outside the schema: the read role has no grant there
	}
}

// QueryJSON is the query JSON of a SQL-mode query running sql, with format ("table",
// "time_series") when not empty.
func QueryJSON(sql, format string) string {
	b, err := json.Marshal(struct {
		RawSQL string `json:"rawSql"`
		Format string `json:"format,omitempty"`
	}{sql, format})
	if err != nil {
		panic(err) // two strings always marshal
	}
	return string(b)
}
