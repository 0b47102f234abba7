package sqlmode

import (
	"strings"
	"testing"
)

// The injection corpus: every payload must be refused by checkStatement, or be a single query
// whose only statement is harmless. The payloads from the red-team pass (issue 8) come first.
func TestCheckStatementCorpus(t *testing.T) {
	refused := []string{
		// Finding 1: PostgreSQL ends a -- comment at \r too; the old scanner saw "CSV" first.
		"-- x\rCOPY (SELECT 1) TO PROGRAM 'touch /tmp/pwn'\n--\nCSV",
		"-- x\rDO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch /tmp/pwn'''; END$$\n--\nSELECT",
		// Finding 2: the same bypass to hold locks.
		"-- x\rDO $$BEGIN LOCK TABLE builds IN ACCESS EXCLUSIVE MODE; PERFORM pg_sleep(30); END$$\n-- \nSELECT 1",
		// Finding 3: session state.
		"LISTEN x", "PREPARE p AS SELECT 1", "UNLISTEN *", "DISCARD ALL", "RESET ALL",
		"SET ROLE postgres", "SET search_path = public", "DEALLOCATE ALL", "CLOSE ALL",
		"DECLARE c CURSOR WITH HOLD FOR SELECT 1", "NOTIFY x",
		// Not a query.
		"COPY builds TO '/tmp/x'", "CALL p()", "DO $$ BEGIN END $$", "LOCK TABLE builds",
		"INSERT INTO builds DEFAULT VALUES", "UPDATE builds SET x = 1", "DELETE FROM builds",
		"TRUNCATE builds", "DROP TABLE builds", "CREATE TABLE x (y int)", "ALTER SYSTEM SET x = 1",
		"GRANT ALL ON builds TO PUBLIC", "VACUUM", "ANALYZE builds", "CHECKPOINT", "LOAD 'x'",
		"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s", "IMPORT FOREIGN SCHEMA x FROM SERVER s INTO y",
		"REFRESH MATERIALIZED VIEW x", "CLUSTER", "REINDEX TABLE builds", "SECURITY LABEL ON TABLE x IS 'y'",
		// EXPLAIN ANALYZE runs the statement.
		"EXPLAIN ANALYZE SELECT 1", "EXPLAIN (ANALYZE) SELECT 1", "explain (format json, analyse true) select 1",
		"EXPLAIN VERBOSE ANALYZE SELECT 1",
		// Comments and white space in every form PostgreSQL knows.
		"/* a /* nested */ comment still open: SELECT */ COPY x TO PROGRAM 'id'",
		"/* /* */ SELECT */ DO $$ BEGIN END $$",
		"\v\f\t COPY x TO STDOUT",
		"--\r\nCOPY x TO STDOUT",
		"(COPY x TO STDOUT)",
		// Two statements, with ';' hidden in every kind of literal before the real one.
		"SELECT 1; COPY x TO PROGRAM 'id'",
		"SELECT ';'; COPY x TO PROGRAM 'id'",
		"SELECT 'it''s;'; DO $$ BEGIN END $$",
		"SELECT E'\\';'; DO $$ BEGIN END $$",
		"SELECT $q$;$q$; DO $$ BEGIN END $$",
		"SELECT \";\"; LOCK builds",
		"SELECT U&';' ; LOCK builds",
		"SELECT 1 /* ; */ ; LOCK builds",
		"SELECT 1 -- ;\n; LOCK builds",
		"SELECT 1 -- ;\r; LOCK builds",
		// E'…' escapes: the quote after a backslash does not end the string.
		"SELECT E'\\'' ; COPY x TO PROGRAM 'id' --'",
		// Standard strings: a backslash does not escape, so the string ends at the next quote.
		"SELECT '\\'; COPY x TO PROGRAM 'id'; --'",
		// Unicode escapes: U&'\0027' is a quote character inside the string, not its end.
		"SELECT U&'\\0027'; COPY x TO PROGRAM 'id'",
		"SELECT U&\"\\0022\"; LOCK builds",
		// Unterminated literals and comments.
		"SELECT 'x", "SELECT \"x", "SELECT $a$ x", "SELECT 1 /* x", "SELECT E'\\'",
		// Empty and punctuation only.
		"", "   ", "-- only a comment", "/* only */", ";", "(", "'SELECT'", "\"SELECT\" 1",
		// Dollar tags are not words; a $ inside a word is part of it.
		"$$SELECT$$", "$x$SELECT$x$ ; COPY x TO STDOUT",
	}
	for _, sql := range refused {
		if err := checkStatement(sql); err == nil {
			t.Errorf("checkStatement(%q) allowed it; want refused", sql)
		}
	}
	allowed := []string{
		"SELECT 1",
		"select 1;",
		"SELECT 1; -- trailing comment",
		"SELECT 1;\n/* trailing */\n",
		"  -- comment\r\nSELECT 1",
		"/* /* nested */ still comment */ SELECT 1",
		"WITH x AS (SELECT 1) SELECT * FROM x",
		"VALUES (1), (2)",
		"TABLE builds",
		"((SELECT 1)) UNION SELECT 2",
		"EXPLAIN SELECT * FROM builds",
		"EXPLAIN (FORMAT JSON, VERBOSE) SELECT 1",
		"SELECT 'EXPLAIN ANALYZE; DROP' AS s",
		"SELECT E'it\\'s; fine', $tag$ ; DROP $tag$, \"we;ird\", U&'d\\0061t\\+000061;', B'1010', X'FF', N'x;'",
		"SELECT analyze_count FROM builds", // ANALYZE only matters after EXPLAIN, and only as a word
		"SELECT a$b$c FROM x",              // $ inside an identifier is not a dollar quote
		"SELECT $1",
		"SELECT 1 -- ; DROP TABLE builds",
		"SELECT 1 /* ; DROP TABLE builds */",
	}
	for _, sql := range allowed {
		if err := checkStatement(sql); err != nil {
			t.Errorf("checkStatement(%q) = %v; want allowed", sql, err)
		}
	}
}

func TestCheckStatementMessages(t *testing.T) {
	for sql, want := range map[string]string{
		"COPY x TO STDOUT":           "COPY statements are not allowed",
		"SELECT 1; SELECT 2":         "exactly one statement",
		"EXPLAIN ANALYZE SELECT 1":   "EXPLAIN ANALYZE",
		"-- nothing\n":               "empty",
		"SELECT 'open":               "unterminated quoted string",
		"/* open":                    "unterminated /* comment",
		"-- x\rCOPY (SELECT 1) TO 1": "COPY statements",
	} {
		if err := checkStatement(sql); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkStatement(%q) = %v; want %q", sql, err, want)
		}
	}
}
