package store_test

import (
	"reflect"
	"testing"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// What RecordIngestErrors writes (in a transaction, with and without a field) IngestErrors reads
// back, newest first; a rolled-back transaction records nothing.
func TestIngestErrorsRoundTrip(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	src, field := "ci", "status"
	one, two := 3, 7
	rows := []store.IngestError{
		{At: testNow, Table: "builds", Source: &src, RowIndex: &one, Field: &field, Reason: "must be success, failure or cancelled"},
		{At: testNow, Table: "builds", Source: &src, RowIndex: &two, Reason: "not a JSON object"},
	}
	tx, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.RecordIngestErrors(ctx, tx, rows); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := st.IngestErrors(ctx, 10); err != nil || len(got) != 0 {
		t.Fatalf("after a rollback: %+v, %v; want none", got, err)
	}
	if err := store.RecordIngestErrors(ctx, st.Pool(), rows); err != nil {
		t.Fatal(err)
	}
	got, err := st.IngestErrors(ctx, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("IngestErrors = %+v, %v; want 2 rows", got, err)
	}
	for i, want := range []store.IngestError{rows[1], rows[0]} { // newest (highest id) first
		want.ID = got[i].ID
		got[i].At = got[i].At.UTC()
		if got[i].ID == 0 || !reflect.DeepEqual(got[i], want) {
			t.Errorf("row %d = %+v; want %+v", i, got[i], want)
		}
	}
}
