package receiver

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

func badPayload(event string, err error) *problem {
	return &problem{status: http.StatusBadRequest, reason: event + " payload does not have the documented shape: " + err.Error()}
}

func nonNegSeconds(d time.Duration) float64 {
	if d < 0 {
		return 0
	}
	return d.Seconds()
}

// isProductionName recognises the usual names of production environments.
func isProductionName(env string) bool {
	switch strings.ToLower(strings.TrimSpace(env)) {
	case "production", "prod", "prd", "live":
		return true
	}
	return false
}

// Rework (DORA rework rate) as the receivers detect it: a deployment is rework when its text
// says it reverts or rolls back — git's default revert subject `Revert "…"`, a description
// starting with "revert", "rollback" or "roll back", or a GitHub revert branch `revert-<n>-…` —
// or when the source says so explicitly (GitHub deployment payload rework: true, or
// fixes_deployment naming the deployment it fixes). Nothing else is guessed: a roll-forward fix
// without such a mark is not rework unless the deployer marks it.
func revertText(texts ...string) bool {
	for _, t := range texts {
		l := strings.ToLower(strings.TrimSpace(t))
		if strings.HasPrefix(l, "revert") || strings.HasPrefix(l, "rollback") || strings.HasPrefix(l, "roll back") {
			return true
		}
	}
	return false
}

// revertRef reports a GitHub revert branch (the "Revert" button names it revert-<pr>-<branch>).
func revertRef(ref string) bool {
	rest, ok := strings.CutPrefix(ref, "revert-")
	if !ok {
		return false
	}
	n, _, _ := strings.Cut(rest, "-")
	_, err := strconv.Atoi(n)
	return err == nil
}

func hasLabel(labels []string, want string) bool {
	for _, l := range labels {
		if strings.EqualFold(strings.TrimSpace(l), want) {
			return true
		}
	}
	return false
}

// severityFromLabels reads p1/p2/p3 (also "sev1", "severity:p2", "S1", P4/P5 → p3); default p3.
func severityFromLabels(labels []string) string {
	best := ""
	for _, l := range labels {
		if s := normalizeSeverity(l); s != "" && (best == "" || s < best) {
			best = s
		}
	}
	if best == "" {
		return "p3"
	}
	return best
}

// normalizeSeverity maps one severity or priority word to p1/p2/p3, or "" when it names none.
func normalizeSeverity(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"severity::", "severity:", "severity/", "sev:", "priority:", "priority::"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimSpace(s)
	switch s {
	case "p1", "sev1", "sev-1", "s1", "1", "critical":
		return "p1"
	case "p2", "sev2", "sev-2", "s2", "2", "high":
		return "p2"
	case "p3", "p4", "p5", "sev3", "sev-3", "sev4", "s3", "s4", "3", "4", "5", "medium", "low":
		return "p3"
	}
	return ""
}
