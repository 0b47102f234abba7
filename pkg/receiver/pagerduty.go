package receiver

import (
	"encoding/json"
	"net/http"
	"strings"
)

// PagerDuty mapping rules (v3 webhooks, https://developer.pagerduty.com/docs/webhooks-overview):
//
//	incident.* events with data.type incident → incidents: "incident:<data.id>", opened_at =
//	    data.created_at, resolved_at = occurred_at of incident.resolved (or data.status resolved),
//	    severity from priority.summary (P1 → p1, P2 → p2, P3–P5 → p3), else urgency (high → p2,
//	    low → p3); service = data.service.summary; team from the service mapping, else the first
//	    of data.teams; caused_by_deployment from a custom field of that name when present.
//	other event types → ignored.
//
// Signature: X-PagerDuty-Signature lists one or more "v1=<hex HMAC-SHA256 of the body>" (several
// while a secret is rotated); one must match.

type pdRef struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
}

type pdWebhook struct {
	Event struct {
		ID           string `json:"id"`
		EventType    string `json:"event_type"`
		ResourceType string `json:"resource_type"`
		OccurredAt   Time   `json:"occurred_at"`
		Data         struct {
			ID           string  `json:"id"`
			Type         string  `json:"type"`
			Number       int     `json:"number"`
			Status       string  `json:"status"`
			Title        string  `json:"title"`
			CreatedAt    Time    `json:"created_at"`
			Service      pdRef   `json:"service"`
			Teams        []pdRef `json:"teams"`
			Priority     *pdRef  `json:"priority"`
			Urgency      string  `json:"urgency"`
			CustomFields []struct {
				Name  string          `json:"name"`
				Value json.RawMessage `json:"value"`
			} `json:"custom_fields"`
		} `json:"data"`
	} `json:"event"`
}

func (h *Handler) pagerduty(w http.ResponseWriter, r *http.Request) {
	if len(h.cfg.PagerDutySecret) == 0 {
		disabled(w, "PagerDuty webhook", "PLATFORMLENS_PAGERDUTY_WEBHOOK_SECRET", "--pagerduty-secret-file")
		return
	}
	sigs := r.Header.Get("X-PagerDuty-Signature")
	h.webhook(w, r, SourcePagerDuty, func(body []byte) bool {
		ok := false
		for _, s := range strings.Split(sigs, ",") {
			if hexSig, found := strings.CutPrefix(strings.TrimSpace(s), "v1="); found && validHMAC(h.cfg.PagerDutySecret, body, hexSig) {
				ok = true // keep checking the rest: time does not reveal which one matched
			}
		}
		return ok
	}, func(body []byte) (Mapped, *problem) { return MapPagerDuty(body, h.rcv.Mapper) })
}

// MapPagerDuty maps one PagerDuty v3 webhook delivery to events.
func MapPagerDuty(body []byte, mp *Mapper) (Mapped, *problem) {
	var m Mapped
	var p pdWebhook
	if err := json.Unmarshal(body, &p); err != nil {
		return m, badPayload("PagerDuty", err)
	}
	ev, d := p.Event, p.Event.Data
	if ev.EventType == "" {
		return m, &problem{status: http.StatusBadRequest, reason: "PagerDuty payload has no event.event_type", hint: "configure a v3 webhook subscription (v2 webhooks are not supported)"}
	}
	if !strings.HasPrefix(ev.EventType, "incident.") || d.Type != "incident" {
		m.ignore("PagerDuty " + ev.EventType + " is not an incident event")
		return m, nil
	}
	sev := ""
	if d.Priority != nil {
		sev = normalizeSeverity(d.Priority.Summary)
	}
	if sev == "" {
		sev = map[string]string{"high": "p2", "low": "p3"}[d.Urgency]
	}
	if sev == "" {
		sev = "p3"
	}
	row := map[string]any{
		"external_id": "incident:" + d.ID, "opened_at": d.CreatedAt.Time, "severity": sev,
		"title": d.Title, "service": d.Service.Summary,
	}
	if ev.EventType == "incident.resolved" || d.Status == "resolved" {
		row["resolved_at"] = ev.OccurredAt.Time
	}
	for _, f := range d.CustomFields {
		var v string
		if f.Name == "caused_by_deployment" && json.Unmarshal(f.Value, &v) == nil && v != "" {
			row["caused_by_deployment"] = v
		}
	}
	e := mp.owned("incidents", d.Service.Summary, d.Service.Summary, row, false)
	if e.Unmapped && len(d.Teams) > 0 && d.Teams[0].Summary != "" {
		e.Row["team"] = d.Teams[0].Summary // PagerDuty knows the responding team: better than unassigned
	}
	m.Events = append(m.Events, e)
	return m, nil
}
