package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

// Finding 8 of issue 8: a NUL character in a string reached PostgreSQL, whose error named
// neither row nor field; and an event without "source" was stored as "api" although the README
// says every event carries one. Now both are rejected per row and field, on the real database.
func TestWriteRejectsNULAndMissingSource(t *testing.T) {
	st := migratedStore(t)
	ctx := context.Background()
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{Source: ingest.DefaultSource, RequireSource: true})
	rows := buildRows(0, 6)
	withField := func(i int, key string, val any) {
		var m map[string]any
		if err := json.Unmarshal(rows[i], &m); err != nil {
			t.Fatal(err)
		}
		if val == nil {
			delete(m, key)
		} else {
			m[key] = val
		}
		b, _ := json.Marshal(m)
		rows[i] = b
	}
	for i := range rows {
		withField(i, "source", "ci")
	}
	withField(1, "repo", "shop\x00evil")                                                                   // \u0000 escape in JSON
	withField(2, "source", nil)                                                                            // no source
	rows[3] = json.RawMessage(strings.Replace(string(rows[3]), `"pipeline":"`, "\"pipeline\":\"x\x00", 1)) // raw NUL byte
	withField(4, "source", "ci\x00")
	res, err := w.Write(ctx, "builds", rows)
	if !errors.Is(err, ingest.ErrRejected) {
		t.Fatalf("Write = %+v, %v; want ErrRejected", res, err)
	}
	want := map[int]string{1: "repo", 2: "source", 3: "pipeline", 4: "source"}
	got := map[int]string{}
	for _, r := range res.Rejected {
		got[r.Index] = r.Field
		if r.Field != "source" || r.Index == 4 {
			if !strings.Contains(r.Reason, "NUL") {
				t.Errorf("row %d %s: reason %q does not name the NUL character", r.Index, r.Field, r.Reason)
			}
		}
	}
	for i, f := range want {
		if got[i] != f {
			t.Errorf("row %d rejected with field %q, want %q (all: %+v)", i, got[i], f, res.Rejected)
		}
	}
	if n := count(t, st, "SELECT count(*) FROM builds"); n != 0 {
		t.Errorf("%d rows stored from a rejected batch", n)
	}
	// Without RequireSource (the CLI importer names the source of a file) the default applies.
	cli := ingest.NewWriter(st.Pool(), st, ingest.Options{Source: "import"})
	if res, err := cli.Write(ctx, "builds", rows[2:3]); err != nil || res.Stored != 1 {
		t.Fatalf("importer write without source = %+v, %v", res, err)
	}
	if n := count(t, st, "SELECT count(*) FROM builds WHERE source = 'import'"); n != 1 {
		t.Errorf("importer default source not applied")
	}
}
