package receiver

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Generic incident mapping (POST /webhooks/incident, "Authorization: Bearer <token>"). Two shapes:
//
// PlatformLens' own, for any tool that can send a templated webhook (Alertmanager, Grafana
// OnCall, scripts):
//
//	{"id": "INC-42", "title": "…", "severity": "p1", "service": "checkout", "team": "payments",
//	 "opened_at": "2025-05-01T10:00:00Z", "resolved_at": null, "caused_by_deployment": "deployment:123"}
//
// → incidents: external_id = id, severity normalised (p1–p3, sev1, critical/high/…; default p3),
// team from the payload, else the service mapping.
//
// Opsgenie's webhook integration ({"action": "Create"|"Close"|…, "alert": {…}}): alertId →
// external_id "alert:<alertId>", message → title, priority P1–P5 → severity, createdAt →
// opened_at, action Close → resolved_at = updatedAt; service from details.service, else entity;
// caused_by_deployment from details.caused_by_deployment. Other actions store the alert as open.

type genericIncident struct {
	ID                 string `json:"id"`
	Title              string `json:"title"`
	Severity           string `json:"severity"`
	Service            string `json:"service"`
	Team               string `json:"team"`
	Platform           string `json:"platform"`
	OpenedAt           Time   `json:"opened_at"`
	ResolvedAt         Time   `json:"resolved_at"`
	CausedByDeployment string `json:"caused_by_deployment"`
	// Opsgenie
	Action string `json:"action"`
	Alert  *struct {
		AlertID   string            `json:"alertId"`
		Message   string            `json:"message"`
		Priority  string            `json:"priority"`
		Entity    string            `json:"entity"`
		CreatedAt Time              `json:"createdAt"`
		UpdatedAt Time              `json:"updatedAt"`
		Details   map[string]string `json:"details"`
	} `json:"alert"`
}

func (h *Handler) incident(w http.ResponseWriter, r *http.Request) {
	if len(h.cfg.IncidentToken) == 0 {
		disabled(w, "generic incident webhook", "PLATFORMLENS_INCIDENT_WEBHOOK_TOKEN", "--incident-token-file")
		return
	}
	token := bearer(r)
	h.webhook(w, r, SourceIncident, func([]byte) bool { return token != "" && equalToken(h.cfg.IncidentToken, token) },
		func(body []byte) (Mapped, *problem) { return MapGenericIncident(body, h.rcv.Mapper) })
}

// MapGenericIncident maps one generic or Opsgenie incident delivery to events.
func MapGenericIncident(body []byte, mp *Mapper) (Mapped, *problem) {
	var m Mapped
	var p genericIncident
	if err := json.Unmarshal(body, &p); err != nil {
		return m, badPayload("incident", err)
	}
	row := map[string]any{}
	service := p.Service
	if a := p.Alert; a != nil {
		service = a.Details["service"]
		if service == "" {
			service = a.Entity
		}
		row["external_id"] = "alert:" + a.AlertID
		row["title"] = a.Message
		row["opened_at"] = a.CreatedAt.Time
		row["severity"] = orDefault(normalizeSeverity(a.Priority), "p3")
		if strings.EqualFold(p.Action, "Close") {
			row["resolved_at"] = a.UpdatedAt.Time
		}
		if d := a.Details["caused_by_deployment"]; d != "" {
			row["caused_by_deployment"] = d
		}
	} else {
		if p.ID == "" && p.Action != "" {
			m.ignore("incident payload without an alert or id")
			return m, nil
		}
		row["external_id"] = p.ID
		row["title"] = p.Title
		row["opened_at"] = p.OpenedAt.Time
		row["severity"] = orDefault(normalizeSeverity(p.Severity), "p3")
		if !p.ResolvedAt.IsZero() {
			row["resolved_at"] = p.ResolvedAt.Time
		}
		if p.CausedByDeployment != "" {
			row["caused_by_deployment"] = p.CausedByDeployment
		}
		if p.Platform != "" {
			row["platform"] = p.Platform
		}
	}
	row["service"] = service
	e := mp.owned("incidents", service, service, row, false)
	if p.Team != "" {
		e.Row["team"], e.Unmapped = p.Team, false
	}
	m.Events = append(m.Events, e)
	return m, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
