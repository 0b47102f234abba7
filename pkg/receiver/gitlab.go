package receiver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GitLab mapping rules (https://docs.gitlab.com/user/project/integrations/webhook_events/),
// dispatched on the payload's object_kind:
//
//	pipeline (status success/failed/canceled) → builds: "pipeline:<id>", pipeline = name (else
//	            "<project> <ref>"), finished_at, started_at = finished_at − duration,
//	            queue = queued_duration; other statuses ignored.
//	build (job hook, only with Config.Jobs)  → builds: "job:<build_id>", pipeline "<stage> / <name>".
//	merge_request with action merge          → pull_requests: "merge_request:<id>", merged_at =
//	            updated_at, opened_at = first_commit_at = created_at.
//	deployment (status success/failed)       → deployments: "deployment:<deployment_id>",
//	            finished_at = status_changed_at; is_production when environment_tier is production
//	            or the name looks like production; is_rework when commit_title is a revert
//	            (git's `Revert "…"`, or "Rollback…", see revertText).
//	issue of type incident (or with Config.IncidentLabel) → incidents: "issue:<id>", severity
//	            from severity::/p1 labels, resolved_at = closed_at.
//
// Team, tech stack and product line come from project.path_with_namespace (Mapper).

type glProject struct {
	Name              string `json:"name"`
	PathWithNamespace string `json:"path_with_namespace"`
}

type glLabel struct {
	Title string `json:"title"`
}

type glPayload struct {
	ObjectKind string    `json:"object_kind"`
	Project    glProject `json:"project"`
	// pipeline, merge_request, issue
	ObjectAttributes json.RawMessage `json:"object_attributes"`
	Labels           []glLabel       `json:"labels"`
	// build (job)
	BuildID             int64    `json:"build_id"`
	BuildName           string   `json:"build_name"`
	BuildStage          string   `json:"build_stage"`
	BuildStatus         string   `json:"build_status"`
	BuildCreatedAt      Time     `json:"build_created_at"`
	BuildStartedAt      Time     `json:"build_started_at"`
	BuildFinishedAt     Time     `json:"build_finished_at"`
	BuildDuration       *float64 `json:"build_duration"`
	BuildQueuedDuration *float64 `json:"build_queued_duration"`
	// deployment
	Status          string `json:"status"`
	StatusChangedAt Time   `json:"status_changed_at"`
	DeploymentID    int64  `json:"deployment_id"`
	Environment     string `json:"environment"`
	EnvironmentTier string `json:"environment_tier"`
	CommitTitle     string `json:"commit_title"`
}

type glPipeline struct {
	ID             int64    `json:"id"`
	Name           string   `json:"name"`
	Ref            string   `json:"ref"`
	Status         string   `json:"status"`
	CreatedAt      Time     `json:"created_at"`
	FinishedAt     Time     `json:"finished_at"`
	Duration       *float64 `json:"duration"`
	QueuedDuration *float64 `json:"queued_duration"`
}

type glMergeRequest struct {
	ID        int64  `json:"id"`
	Action    string `json:"action"`
	State     string `json:"state"`
	CreatedAt Time   `json:"created_at"`
	UpdatedAt Time   `json:"updated_at"`
}

type glIssue struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	State     string `json:"state"`
	IssueType string `json:"issue_type"`
	Type      string `json:"type"`
	Severity  string `json:"severity"`
	CreatedAt Time   `json:"created_at"`
	ClosedAt  Time   `json:"closed_at"`
}

func (h *Handler) gitlab(w http.ResponseWriter, r *http.Request) {
	if len(h.cfg.GitLabToken) == 0 {
		disabled(w, "GitLab webhook", "PLATFORMLENS_GITLAB_WEBHOOK_TOKEN", "--gitlab-token-file")
		return
	}
	token := r.Header.Get("X-Gitlab-Token")
	h.webhook(w, r, SourceGitLab, func([]byte) bool {
		return token != "" && equalToken(h.cfg.GitLabToken, token)
	}, func(body []byte) (Mapped, *problem) { return MapGitLab(body, h.rcv.Mapper, h.cfg) })
}

// MapGitLab maps one GitLab webhook delivery to events.
func MapGitLab(body []byte, mp *Mapper, cfg Config) (Mapped, *problem) {
	var m Mapped
	var p glPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return m, badPayload("GitLab", err)
	}
	repo, short := p.Project.PathWithNamespace, p.Project.Name
	switch p.ObjectKind {
	case "pipeline":
		var a glPipeline
		if err := json.Unmarshal(p.ObjectAttributes, &a); err != nil {
			return m, badPayload("pipeline", err)
		}
		status, ok := glStatus(a.Status)
		if !ok || a.FinishedAt.IsZero() {
			m.ignore("pipeline " + a.Status + " is not a finished build")
			return m, nil
		}
		name := a.Name
		if name == "" {
			name = strings.TrimSpace(repo + " " + a.Ref)
		}
		started, queue := glStart(a.CreatedAt.Time, a.FinishedAt.Time, a.Duration, a.QueuedDuration)
		row := map[string]any{
			"external_id": "pipeline:" + strconv.FormatInt(a.ID, 10),
			"finished_at": a.FinishedAt.Time, "started_at": started, "pipeline": name, "repo": repo, "status": status,
			"queue_seconds": queue, "duration_seconds": nonNegSeconds(a.FinishedAt.Sub(started)),
		}
		m.Events = append(m.Events, mp.owned("builds", repo, short, row, false))
	case "build":
		status, ok := glStatus(p.BuildStatus)
		switch {
		case !cfg.Jobs:
			m.ignore("job: jobs are not builds unless serve runs with --jobs (the pipeline records the build)")
			return m, nil
		case !ok || p.BuildFinishedAt.IsZero():
			m.ignore("job " + p.BuildStatus + " is not a finished build")
			return m, nil
		}
		started, queue := glStart(p.BuildCreatedAt.Time, p.BuildFinishedAt.Time, p.BuildDuration, p.BuildQueuedDuration)
		if !p.BuildStartedAt.IsZero() {
			started = p.BuildStartedAt.Time
		}
		row := map[string]any{
			"external_id": "job:" + strconv.FormatInt(p.BuildID, 10),
			"finished_at": p.BuildFinishedAt.Time, "started_at": started, "pipeline": p.BuildStage + " / " + p.BuildName,
			"repo": repo, "status": status, "queue_seconds": queue,
			"duration_seconds": nonNegSeconds(p.BuildFinishedAt.Sub(started)),
		}
		m.Events = append(m.Events, mp.owned("builds", repo, short, row, false))
	case "merge_request":
		var a glMergeRequest
		if err := json.Unmarshal(p.ObjectAttributes, &a); err != nil {
			return m, badPayload("merge_request", err)
		}
		if a.Action != "merge" {
			m.ignore("merge_request " + a.Action + ": only merges are stored")
			return m, nil
		}
		row := map[string]any{
			"external_id": "merge_request:" + strconv.FormatInt(a.ID, 10),
			"merged_at":   a.UpdatedAt.Time, "opened_at": a.CreatedAt.Time, "first_commit_at": a.CreatedAt.Time, "repo": repo,
		}
		m.Events = append(m.Events, mp.owned("pull_requests", repo, short, row, false))
	case "deployment":
		var status string
		switch p.Status {
		case "success":
			status = "success"
		case "failed":
			status = "failure"
		default:
			m.ignore("deployment " + p.Status + " is not a finished deployment")
			return m, nil
		}
		at := p.StatusChangedAt.Time
		row := map[string]any{
			"external_id": "deployment:" + strconv.FormatInt(p.DeploymentID, 10),
			"finished_at": at, "started_at": at, "first_commit_at": at, "environment": p.Environment, "status": status,
			"is_production":    p.EnvironmentTier == "production" || isProductionName(p.Environment),
			"duration_seconds": 0.0,
			"is_rework":        revertText(p.CommitTitle),
		}
		m.Events = append(m.Events, mp.owned("deployments", repo, short, row, true))
	case "issue", "incident":
		var a glIssue
		if err := json.Unmarshal(p.ObjectAttributes, &a); err != nil {
			return m, badPayload("issue", err)
		}
		labels := make([]string, 0, len(p.Labels)+1)
		for _, l := range p.Labels {
			labels = append(labels, l.Title)
		}
		if !strings.EqualFold(a.IssueType, "incident") && !strings.EqualFold(a.Type, "incident") &&
			p.ObjectKind != "incident" && !hasLabel(labels, cfg.IncidentLabel) {
			m.ignore("issue that is not an incident")
			return m, nil
		}
		if a.Severity != "" {
			labels = append(labels, a.Severity)
		}
		row := map[string]any{
			"external_id": "issue:" + strconv.FormatInt(a.ID, 10),
			"opened_at":   a.CreatedAt.Time, "severity": severityFromLabels(labels), "title": a.Title,
		}
		if a.State == "closed" && !a.ClosedAt.IsZero() {
			row["resolved_at"] = a.ClosedAt.Time
		}
		m.Events = append(m.Events, mp.owned("incidents", repo, short, row, false))
	case "":
		return m, &problem{status: http.StatusBadRequest, reason: "GitLab payload has no object_kind", hint: "send GitLab's webhook payload unchanged"}
	default:
		m.ignore(fmt.Sprintf("GitLab %s events are not mapped", p.ObjectKind))
	}
	return m, nil
}

func glStatus(s string) (string, bool) {
	switch s {
	case "success":
		return "success", true
	case "failed":
		return "failure", true
	case "canceled", "cancelled":
		return "cancelled", true
	}
	return "", false
}

// glStart derives the start and queue time: GitLab sends durations in seconds next to the
// creation and finish times (duration excludes the time spent queued).
func glStart(created, finished time.Time, duration, queued *float64) (time.Time, float64) {
	q := 0.0
	if queued != nil && *queued > 0 {
		q = *queued
	}
	if duration != nil && *duration >= 0 {
		return finished.Add(-time.Duration(*duration * float64(time.Second))), q
	}
	if !created.IsZero() {
		return created.Add(time.Duration(q * float64(time.Second))), q
	}
	return finished, q
}
