package datasource

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/platformlens/platformlens-analytics-app/pkg/receiver"
)

func TestSourcesReportsReceiverBookkeeping(t *testing.T) {
	d, db := newDBDatasource(t)
	var before receiver.SourcesReport
	if code, body := call(t, d, "Viewer", "GET", "/sources", nil); code != http.StatusOK || json.Unmarshal(body, &before) != nil || before.Installed {
		t.Fatalf("before migration: %d %s", code, body)
	}
	migrate(t, d)
	// What `platformlens serve` writes (pkg/receiver tests cover how it gets there).
	db.LoadFixture(t, "receiver_bookkeeping")
	code, body := call(t, d, "Viewer", "GET", "/sources", nil)
	var rep receiver.SourcesReport
	if err := json.Unmarshal(body, &rep); err != nil || code != http.StatusOK {
		t.Fatalf("GET /sources = %d %s (%v)", code, body, err)
	}
	if !rep.Installed || len(rep.Sources) != 2 || len(rep.Unmapped) != 1 {
		t.Fatalf("report = %+v", rep)
	}
	b := rep.Sources[1]
	if b.Source != "github" || b.Table != "builds" || b.Stored != 2 || b.Duplicates != 1 || b.LastEventAt == nil ||
		b.LastEventAt.UTC().Format("2006-01-02T15:04:05Z") != "2026-11-20T08:07:30Z" {
		t.Errorf("github/builds = %+v", b)
	}
	if u := rep.Unmapped[0]; u.Name != "gitlab-org/gitlab-test" || u.Events != 4 {
		t.Errorf("unmapped = %+v", u)
	}
}
