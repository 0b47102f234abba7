package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestAPIKeysAndRateLimits(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	path := "/api/v1/metrics"
	t.Run("missing, unknown and revoked keys are 401", func(t *testing.T) {
		k, secret, err := f.keys.Create(ctx, "to revoke", 0, 0, now)
		if err != nil {
			t.Fatal(err)
		}
		if resp, body := f.get(t, path, secret, ""); resp.StatusCode != 200 {
			t.Fatalf("fresh key: %d %s", resp.StatusCode, body)
		}
		if err := f.keys.Revoke(ctx, k.ID, now); err != nil {
			t.Fatal(err)
		}
		if err := f.keys.Revoke(ctx, k.ID, now); err == nil {
			t.Error("revoking twice did not say the key is not active")
		}
		for name, key := range map[string]string{"missing": "", "unknown": "plk_" + strings.Repeat("A", 43), "not a key": "hello", "revoked": secret} {
			resp, body := f.get(t, path, key, "")
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "error") || resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s key: %d %s", name, resp.StatusCode, body)
			}
			resp, _ = f.gql(t, key, "{ dimensions { id } }")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s key on GraphQL: %d", name, resp.StatusCode)
			}
		}
		keys, err := f.keys.List(ctx)
		if err != nil || len(keys) != 2 || keys[0].RevokedAt == nil && keys[1].RevokedAt == nil {
			t.Errorf("list = %+v, %v", keys, err)
		}
	})
	t.Run("over the hourly limit is 429 with Retry-After until the hour ends", func(t *testing.T) {
		_, secret, err := f.keys.Create(ctx, "small", 2, 1, now)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if resp, body := f.get(t, path, secret, ""); resp.StatusCode != 200 {
				t.Fatalf("request %d: %d %s", i+1, resp.StatusCode, body)
			}
		}
		resp, body := f.get(t, path, secret, "")
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1200" {
			t.Errorf("third REST request: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		// GraphQL has its own budget.
		if resp, body := f.gql(t, secret, "{ dimensions { id } }"); resp.StatusCode != 200 {
			t.Errorf("first GraphQL query: %d %s", resp.StatusCode, body)
		}
		if resp, _ := f.gql(t, secret, "{ dimensions { id } }"); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("second GraphQL query: %d, want 429", resp.StatusCode)
		}
		// Another key is not affected.
		if resp, _ := f.get(t, path, f.key, ""); resp.StatusCode != 200 {
			t.Errorf("other key: %d", resp.StatusCode)
		}
	})
	t.Run("default limits are 1,000 REST and 500 GraphQL per hour", func(t *testing.T) {
		k, _, err := f.keys.Create(ctx, "defaults", 0, 0, now)
		if err != nil || k.RESTPerHour != 1000 || k.GraphQLPerHour != 500 {
			t.Errorf("%+v %v", k, err)
		}
	})
}

func TestAPIHostileInput(t *testing.T) {
	f := newFixture(t, false)
	long := "from=2020-01-01&to=2026-01-01"
	cases := []struct {
		name, path string
		status     int
		msg        string
	}{
		{"unknown metric", "/api/v1/metrics/nope", 404, "not in the catalog"},
		{"range too long", "/api/v1/metrics/uptime?" + long, 400, "longer than 400 days"},
		{"bad time", "/api/v1/metrics/uptime?from=yesterday", 400, "not RFC 3339"},
		{"empty range", "/api/v1/metrics/uptime?from=2026-01-02&to=2026-01-01", 400, "empty"},
		{"filter on a dimension the metric lacks", "/api/v1/metrics/uptime?filter=team=x", 400, "not available"},
		{"filter without =", "/api/v1/metrics/uptime?filter=team", 400, "dimension=value"},
		{"SQL in a group-by", "/api/v1/metrics/deployments?groupBy=team%3BDROP%20TABLE%20builds", 400, "not available"},
		{"NUL in a filter value", "/api/v1/metrics/deployments?filter=team=a%00b", 400, "NUL"},
		{"bad horizon", "/api/v1/metrics/forecast?baseMetric=deployments&horizon=many", 400, "whole number"},
		{"huge query string", "/api/v1/metrics/uptime?x=" + strings.Repeat("a", 9000), 414, "8 KiB"},
	}
	for _, c := range cases {
		resp, body := f.get(t, c.path, f.key, "")
		if resp.StatusCode != c.status || !strings.Contains(body, c.msg) {
			t.Errorf("%s: %d %s, want %d with %q", c.name, resp.StatusCode, body, c.status, c.msg)
		}
	}
	gql := []struct{ name, query, msg string }{
		{"unknown metric id fails validation", `{ metric(id: nope) { value } }`, "nope"},
		{"a shallow query passes", `{ metrics { id dimensions } }`, ""},
		{"depth limit", `query { __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }`, "depth"},
		{"cost limit", `{ ` + aliases(21) + ` }`, "cost limit"},
		{"range too long", `{ metric(id: uptime, from: "2020-01-01", to: "2026-01-01") { value } }`, "longer than 400 days"},
	}
	for _, c := range gql {
		_, body := f.gql(t, f.key, c.query)
		if c.msg == "" {
			if strings.Contains(body, `"errors"`) {
				t.Errorf("%s: %s", c.name, body)
			}
			continue
		}
		if !strings.Contains(body, `"errors"`) || !strings.Contains(body, c.msg) {
			t.Errorf("%s: %s, want an error with %q", c.name, body, c.msg)
		}
	}
	// A body over 64 KiB is refused before parsing.
	req, _ := http.NewRequest("POST", f.srv.URL+"/graphql", bytes.NewReader(append([]byte(`{"query":"`), bytes.Repeat([]byte("a"), 70_000)...)))
	req.Header.Set("Authorization", "Bearer "+f.key)
	if resp, body := do(t, req); resp.StatusCode != 400 || !strings.Contains(body, "64 KiB") {
		t.Errorf("huge body: %d %s", resp.StatusCode, body)
	}

}

// aliases selects uptime n times under different aliases: n engine queries.
func aliases(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("a")
		b.WriteString(strings.Repeat("x", i))
		b.WriteString(`: metric(id: uptime, from: "2026-05-01", to: "2026-05-02") { value } `)
	}
	return b.String()
}
