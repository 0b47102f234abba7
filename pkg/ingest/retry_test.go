package ingest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestRetryClassification: deadlocks, serialization failures and a vanished staging table are
// retried (PostgreSQL rolled the transaction back); everything else is final at once.
func TestRetryClassification(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "40P01"}, true},                                // deadlock_detected
		{&pgconn.PgError{Code: "40001"}, true},                                // serialization_failure
		{fmt.Errorf("copy builds: %w", &pgconn.PgError{Code: "40P01"}), true}, // wrapped
		{fmt.Errorf("stage: %w", errStageMissing), true},
		{&pgconn.PgError{Code: "23505"}, false}, // unique_violation: the data is wrong, not the moment
		{&pgconn.PgError{Code: "42P01"}, false}, // undefined_table
		{errors.New("connection refused"), false},
		{context.Canceled, false},
	}
	for _, c := range cases {
		if got := retryable(c.err); got != c.want {
			t.Errorf("retryable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// TestWithRetryRepeatsOnlyTransientFailures: two deadlocks then success is one success after three
// calls; a constraint violation is returned after one call; a persistent deadlock gives up.
func TestWithRetryRepeatsOnlyTransientFailures(t *testing.T) {
	ctx := context.Background()
	calls := 0
	err := withRetry(ctx, func() error {
		if calls++; calls <= 2 {
			return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("transient failures: err %v after %d calls; want success on the 3rd", err, calls)
	}

	calls = 0
	unique := &pgconn.PgError{Code: "23505"}
	if err := withRetry(ctx, func() error { calls++; return unique }); !errors.Is(err, unique) || calls != 1 {
		t.Fatalf("final failure: err %v after %d calls; want it returned after 1", err, calls)
	}

	calls = 0
	err = withRetry(ctx, func() error { calls++; return &pgconn.PgError{Code: "40001"} })
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "40001" || calls < 2 {
		t.Fatalf("persistent serialization failure: err %v after %d calls; want it after several attempts", err, calls)
	}
}
