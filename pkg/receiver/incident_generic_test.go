package receiver

import "testing"

func TestMapGenericIncident(t *testing.T) {
	cases := []mapCase{
		{name: "generic", fixture: "incident_generic.json", table: "incidents",
			row: map[string]any{"external_id": "INC-4711", "severity": "p2", "service": "checkout", "team": "payments",
				"opened_at": ts("2026-11-20T14:00:00Z"), "resolved_at": ts("2026-11-20T14:30:00Z"),
				"caused_by_deployment": "deployment:145988746"}},
		{name: "opsgenie create", fixture: "opsgenie_alert_create.json", table: "incidents",
			row: map[string]any{"external_id": "alert:a3e2ac1b-07d3-4a0c-8b8e-3bb9d3a4fa19-1731070000000", "severity": "p2",
				"service": "inventory", "team": Unassigned, "opened_at": ts("2026-11-26T13:00:00Z"),
				"title": "Inventory service unreachable", "caused_by_deployment": "deployment:777"}},
		{name: "opsgenie close", fixture: "opsgenie_alert_close.json", table: "incidents",
			row: map[string]any{"resolved_at": ts("2026-11-26T13:30:00Z")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, p := MapGenericIncident(fixture(t, c.fixture), testMapper(t))
			if p != nil {
				t.Fatal(p)
			}
			checkMapped(t, c, m)
		})
	}
}

func TestSeverityWords(t *testing.T) {
	for in, want := range map[string]string{"P1": "p1", "sev-2": "p2", "severity::3": "p3", "P5": "p3", "critical": "p1", "blue": ""} {
		if got := normalizeSeverity(in); got != want {
			t.Errorf("normalizeSeverity(%q) = %q, want %q", in, got, want)
		}
	}
}
