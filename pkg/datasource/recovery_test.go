package datasource

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/sqlmode/sqlmodetest"
)

// TestPoolRecoversAfterConnectionsAreKilled kills every connection of the datasource's pool on
// the server side (what a database restart or a failover does) and checks that the next query
// answers: the pool must drop the dead connections and open new ones by itself.
func TestPoolRecoversAfterConnectionsAreKilled(t *testing.T) {
	d, db := newLeastPrivilegeDatasource(t)
	migrate(t, d)
	sql := query("A", "sql", sqlmodetest.QueryJSON(sqlmodetest.Answer, "table"))
	if r := runQueries(t, d, sql).Responses["A"]; r.Error != nil {
		t.Fatalf("query before the kill: %v", r.Error)
	}

	ctx := context.Background()
	admin, err := pgx.Connect(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	killed, err := testdb.TerminateBackends(ctx, admin, db.Name, false)
	if err != nil {
		t.Fatal(err)
	}
	if killed == 0 {
		t.Fatal("the pool held no connection to kill; the test would prove nothing")
	}

	if r := runQueries(t, d, sql).Responses["A"]; r.Error != nil {
		t.Fatalf("first query after killing %d connections failed: %v", killed, r.Error)
	}
	if res := health(t, d); res.Message == "" {
		t.Fatal("empty health message")
	}
}
