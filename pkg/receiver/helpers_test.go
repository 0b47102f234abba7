package receiver

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// testMapper maps the octo-org repositories and one PagerDuty service; the rest is unassigned.
func testMapper(t testing.TB) *Mapper {
	t.Helper()
	m := NewMapper()
	f, err := parseMapping(strings.NewReader("name,team,tech_stack,product_line,service\n" +
		"octo-org/*,platform,go,core,\n" +
		"octo-org/octo-repo,checkout,java,commerce,checkout-api\n" +
		"API Service,sre,go,core,api\n"))
	if err != nil {
		t.Fatal(err)
	}
	m.file = f
	return m
}

// mapCase is one row of the mapping tables: a fixture, what it must become.
type mapCase struct {
	name    string
	fixture string
	event   string // GitHub: X-GitHub-Event
	cfg     Config
	table   string         // "" = nothing stored
	row     map[string]any // expected columns (subset)
	ignored int
}

func checkMapped(t *testing.T, c mapCase, m Mapped) {
	t.Helper()
	if m.Ignored != c.ignored {
		t.Errorf("ignored = %d (%v), want %d", m.Ignored, m.Reasons, c.ignored)
	}
	if c.table == "" {
		if len(m.Events) != 0 {
			t.Errorf("events = %+v, want none", m.Events)
		}
		return
	}
	if len(m.Events) != 1 {
		t.Fatalf("events = %+v, want one %s row", m.Events, c.table)
	}
	ev := m.Events[0]
	if ev.Table != c.table {
		t.Errorf("table = %s, want %s", ev.Table, c.table)
	}
	for k, want := range c.row {
		if got := ev.Row[k]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", k, got, want)
		}
	}
}
