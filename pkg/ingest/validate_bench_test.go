package ingest_test

import (
	"testing"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

// BenchmarkValidate measures the Go side of the ingest path alone (1,000 builds per op).
func BenchmarkValidate(b *testing.B) {
	batch := benchBatch(0)
	table, _ := ingest.Lookup("builds")
	for b.Loop() {
		v := ingest.Validate(table, batch, "api")
		if len(v.Rejected) > 0 {
			b.Fatal(v.Rejected)
		}
	}
}
