package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/jackc/pgx/v5"
)

var testRange = backend.TimeRange{From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)}

func TestParseQueryValid(t *testing.T) {
	q, err := ParseQuery([]byte(`{"refId":"A","metric":"build_success_rate","filters":{"tech_stack":["java","go"]},
		"adhocFilters":[{"key":"team","operator":"!=","value":"payments"}],"groupBy":"tech_stack","interval":"day",
		"format":"table","compare":"mom","datasource":{"uid":"platformlens"},"intervalMs":60000,"maxDataPoints":800}`),
		testRange, time.Minute, 800)
	if err != nil {
		t.Fatal(err)
	}
	if q.Metric != "build_success_rate" || q.Format != FormatTable || q.Compare != CompareMoM || q.GroupBy != "tech_stack" ||
		q.Bucket.Name != "1d" || len(q.Filters["tech_stack"]) != 2 || q.AdHoc[0].Operator != "!=" {
		t.Errorf("parsed %+v", q)
	}
	q, err = ParseQuery([]byte(`{"metric":"build_duration"}`), testRange, 0, 0)
	if err != nil || q.Stat != "p50" || q.Format != FormatTimeSeries || q.QueryType != "metric" {
		t.Errorf("defaults: %+v %v", q, err)
	}
}

func TestParseQueryErrors(t *testing.T) {
	cases := map[string]string{
		`{`:                                   "not valid JSON",
		`{"metric":"nope"}`:                   `metric "nope" is not in the catalog`,
		`{}`:                                  "no metric selected",
		`{"metric":"builds","format":"csv"}`:  `format "csv" is unknown`,
		`{"metric":"builds","compare":"dod"}`: `compare "dod" is unknown`,
		`{"metric":"builds","interval":"fortnight"}`:                                        `interval "fortnight" is unknown`,
		`{"metric":"builds","filters":{"severity":["p1"]}}`:                                 `filter "severity" is not available for metric "builds"; valid keys: pipeline, repo, service, status, team, tech_stack`,
		`{"metric":"builds","groupBy":"funnel"}`:                                            `group by "funnel" is not available`,
		`{"metric":"builds","adhocFilters":[{"key":"team","operator":"=~","value":"p.*"}]}`: `operator "=~" on "team" is not supported; use = or !=`,
		`{"metric":"build_duration","stat":"p42"}`:                                          `stat "p42" is unknown`,
		`{"queryType":"sql"}`:                                                               "SQL query is empty",
		`{"queryType":"graphql"}`:                                                           `queryType "graphql" is unknown`,
		`{"metric":"builds","horizon":-3}`:                                                  "horizon",
	}
	for raw, want := range cases {
		_, err := ParseQuery([]byte(raw), testRange, 0, 0)
		if err == nil {
			t.Errorf("%s: accepted", raw)
			continue
		}
		if !backend.IsDownstreamError(err) {
			t.Errorf("%s: error %v is not marked downstream", raw, err)
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %q does not contain %q", raw, err, want)
		}
	}
	_, err := ParseQuery([]byte(`{"metric":"builds"}`), backend.TimeRange{From: testRange.To, To: testRange.From}, 0, 0)
	if err == nil || !strings.Contains(err.Error(), "time range is empty") {
		t.Errorf("reversed range: %v", err)
	}
}

func TestFilterSQLBindsEverything(t *testing.T) {
	q := Query{Metric: "m", Filters: map[string][]string{"tech_stack": {"java'; DROP TABLE builds; --"}, "team": {}},
		AdHoc: []AdHocFilter{{Key: "service", Operator: "=", Value: "$1"}, {Key: "service", Operator: "!=", Value: "x"}}}
	args := pgx.NamedArgs{"from": 1}
	sql, err := FilterSQL(q, sameNameColumns("tech_stack", "team", "service"), args)
	if err != nil {
		t.Fatal(err)
	}
	want := " AND tech_stack = ANY(@f2::text[]) AND service = @f3::text AND service IS DISTINCT FROM @f4::text"
	if sql != want {
		t.Errorf("sql = %q\nwant  %q", sql, want)
	}
	if strings.Contains(sql, "DROP") || strings.Contains(sql, "$1") {
		t.Error("a value reached the SQL text")
	}
	if len(args) != 4 {
		t.Errorf("args = %v", args)
	}
	_, err = FilterSQL(Query{Metric: "m", Filters: map[string][]string{"tech_stack; DROP": {"x"}}}, sameNameColumns("team"), pgx.NamedArgs{})
	if err == nil || !strings.Contains(err.Error(), "valid keys: team") {
		t.Errorf("unknown key: %v", err)
	}
}

func TestCatalog(t *testing.T) {
	defs := Catalog()
	if len(defs) < 38 {
		t.Errorf("catalog has %d metrics", len(defs))
	}
	for i, d := range defs {
		if i > 0 && defs[i-1].Category > d.Category {
			t.Errorf("catalog not sorted by category at %s", d.ID)
		}
		if d.GrafanaUnit == "" || d.Description == "" || len(d.Formats) == 0 {
			t.Errorf("%s incomplete: %+v", d.ID, d)
		}
		// Lists are served as [] when empty: the frontend iterates them (a null crashed the
		// Catalog page).
		if d.Dimensions == nil || d.GroupBy == nil {
			t.Errorf("%s serves a null list: dimensions %v, groupBy %v", d.ID, d.Dimensions, d.GroupBy)
		}
	}
	keys, err := TagKeys("mttr")
	if err != nil || strings.Join(keys, ",") != "platform,service,severity,team" {
		t.Errorf("TagKeys(mttr) = %v %v", keys, err)
	}
	if _, err := TagKeys("nope"); err == nil {
		t.Error("TagKeys of unknown metric")
	}
}
