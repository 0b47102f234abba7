package receiver

import "testing"

func TestMapPagerDuty(t *testing.T) {
	cases := []mapCase{
		{name: "triggered", fixture: "pagerduty_incident_triggered.json", table: "incidents",
			row: map[string]any{"external_id": "incident:PGR0VU2", "opened_at": ts("2026-11-20T13:00:00Z"), "severity": "p1",
				"service": "API Service", "team": "sre", "title": "A little bump in the road"}},
		{name: "resolved", fixture: "pagerduty_incident_resolved.json", table: "incidents",
			row: map[string]any{"external_id": "incident:PGR0VU2", "resolved_at": ts("2026-11-20T13:40:00Z")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, p := MapPagerDuty(fixture(t, c.fixture), testMapper(t))
			if p != nil {
				t.Fatal(p)
			}
			checkMapped(t, c, m)
		})
	}
	t.Run("unmapped service takes the PagerDuty team", func(t *testing.T) {
		m, _ := MapPagerDuty(fixture(t, "pagerduty_incident_triggered.json"), NewMapper())
		if m.Events[0].Row["team"] != "Engineering" {
			t.Fatalf("team = %v", m.Events[0].Row["team"])
		}
	})
	t.Run("not an incident", func(t *testing.T) {
		m, p := MapPagerDuty([]byte(`{"event":{"event_type":"service.updated","data":{"type":"service"}}}`), NewMapper())
		if p != nil || m.Ignored != 1 || len(m.Events) != 0 {
			t.Fatalf("%+v %v", m, p)
		}
	})
	t.Run("v2 payload", func(t *testing.T) {
		if _, p := MapPagerDuty([]byte(`{"messages":[]}`), NewMapper()); p == nil || p.status != 400 {
			t.Fatalf("problem = %v", p)
		}
	})
}
