package receiver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// GitHub mapping rules (https://docs.github.com/en/webhooks/webhook-events-and-payloads):
//
//	workflow_run completed      → builds: external_id "workflow_run:<id>:<run_attempt>", pipeline = workflow
//	                              name, started_at = run_started_at, finished_at = updated_at,
//	                              queue = run_started_at − created_at; conclusion success → success,
//	                              failure/timed_out/startup_failure → failure, cancelled → cancelled,
//	                              others (skipped, neutral, action_required, stale) ignored.
//	workflow_job completed      → builds (only with Config.Jobs): "workflow_job:<id>:<run_attempt>",
//	                              pipeline "<workflow> / <job>", queue = started_at − created_at.
//	pull_request closed+merged  → pull_requests: "pull_request:<id>", opened_at = created_at,
//	                              first_commit_at = opened_at (the payload carries no commit dates).
//	deployment_status           → deployments: "deployment:<deployment id>"; state success → success,
//	                              failure/error → failure, others ignored; is_production when the
//	                              environment is production/prod/prd/live or production_environment.
//	                              is_rework when the deployment reverts or rolls back (description
//	                              "Revert…"/"Rollback…", ref revert-<n>-…, see revertText) or its
//	                              payload says rework: true; fixes_deployment from payload
//	                              fixes_deployment (a GitHub deployment id → "deployment:<id>").
//	issues with the incident label (Config.IncidentLabel) → incidents: "issue:<id>", severity from
//	                              a p1/p2/p3 or sev1/sev2/sev3 label (default p3), resolved_at = closed_at.
//
// Team, tech stack and product line come from the repository's full name (Mapper).

type ghRepo struct {
	FullName string `json:"full_name"`
	Name     string `json:"name"`
}

type ghWorkflowRun struct {
	Action      string `json:"action"`
	WorkflowRun struct {
		ID           int64  `json:"id"`
		Name         string `json:"name"`
		RunAttempt   int    `json:"run_attempt"`
		Status       string `json:"status"`
		Conclusion   string `json:"conclusion"`
		CreatedAt    Time   `json:"created_at"`
		RunStartedAt Time   `json:"run_started_at"`
		UpdatedAt    Time   `json:"updated_at"`
	} `json:"workflow_run"`
	Repository ghRepo `json:"repository"`
}

type ghWorkflowJob struct {
	Action      string `json:"action"`
	WorkflowJob struct {
		ID           int64  `json:"id"`
		RunAttempt   int    `json:"run_attempt"`
		Name         string `json:"name"`
		WorkflowName string `json:"workflow_name"`
		Conclusion   string `json:"conclusion"`
		CreatedAt    Time   `json:"created_at"`
		StartedAt    Time   `json:"started_at"`
		CompletedAt  Time   `json:"completed_at"`
	} `json:"workflow_job"`
	Repository ghRepo `json:"repository"`
}

type ghPullRequest struct {
	Action      string `json:"action"`
	PullRequest struct {
		ID        int64 `json:"id"`
		Number    int   `json:"number"`
		Merged    bool  `json:"merged"`
		CreatedAt Time  `json:"created_at"`
		MergedAt  Time  `json:"merged_at"`
	} `json:"pull_request"`
	Repository ghRepo `json:"repository"`
}

type ghDeploymentStatus struct {
	Action           string `json:"action"`
	DeploymentStatus struct {
		State     string `json:"state"`
		CreatedAt Time   `json:"created_at"`
		UpdatedAt Time   `json:"updated_at"`
	} `json:"deployment_status"`
	Deployment struct {
		ID                    int64  `json:"id"`
		Environment           string `json:"environment"`
		ProductionEnvironment bool   `json:"production_environment"`
		CreatedAt             Time   `json:"created_at"`
		Ref                   string `json:"ref"`
		Description           string `json:"description"`
		// Payload is the deployer's free JSON; rework and fixes_deployment are read from it.
		Payload json.RawMessage `json:"payload"`
	} `json:"deployment"`
	Repository ghRepo `json:"repository"`
}

type ghLabel struct {
	Name string `json:"name"`
}

type ghIssue struct {
	Action string `json:"action"`
	Issue  struct {
		ID        int64     `json:"id"`
		Number    int       `json:"number"`
		Title     string    `json:"title"`
		State     string    `json:"state"`
		Labels    []ghLabel `json:"labels"`
		CreatedAt Time      `json:"created_at"`
		ClosedAt  Time      `json:"closed_at"`
	} `json:"issue"`
	Repository ghRepo `json:"repository"`
}

func (h *Handler) github(w http.ResponseWriter, r *http.Request) {
	if len(h.cfg.GitHubSecret) == 0 {
		disabled(w, "GitHub webhook", "PLATFORMLENS_GITHUB_WEBHOOK_SECRET", "--github-secret-file")
		return
	}
	sig := r.Header.Get("X-Hub-Signature-256")
	h.webhook(w, r, SourceGitHub, func(body []byte) bool {
		hexSig, ok := strings.CutPrefix(sig, "sha256=")
		return ok && validHMAC(h.cfg.GitHubSecret, body, hexSig)
	}, func(body []byte) (Mapped, *problem) {
		return MapGitHub(r.Header.Get("X-GitHub-Event"), body, h.rcv.Mapper, h.cfg)
	})
}

// MapGitHub maps one GitHub webhook delivery (event name from X-GitHub-Event) to events.
func MapGitHub(event string, body []byte, mp *Mapper, cfg Config) (Mapped, *problem) {
	var m Mapped
	switch event {
	case "workflow_run":
		var p ghWorkflowRun
		if err := json.Unmarshal(body, &p); err != nil {
			return m, badPayload(event, err)
		}
		run := p.WorkflowRun
		if p.Action != "completed" {
			m.ignore("workflow_run " + p.Action + ": only completed runs are builds")
			return m, nil
		}
		status, ok := ghConclusion(run.Conclusion)
		if !ok {
			m.ignore("workflow_run conclusion " + run.Conclusion + " is not a build outcome")
			return m, nil
		}
		started := run.RunStartedAt.Time
		if started.IsZero() {
			started = run.CreatedAt.Time
		}
		row := map[string]any{
			"external_id": fmt.Sprintf("workflow_run:%d:%d", run.ID, max(run.RunAttempt, 1)),
			"finished_at": run.UpdatedAt.Time, "started_at": started, "pipeline": run.Name,
			"repo": p.Repository.FullName, "status": status,
			"queue_seconds":    nonNegSeconds(started.Sub(run.CreatedAt.Time)),
			"duration_seconds": nonNegSeconds(run.UpdatedAt.Sub(started)),
		}
		m.Events = append(m.Events, mp.owned("builds", p.Repository.FullName, p.Repository.Name, row, false))
	case "workflow_job":
		var p ghWorkflowJob
		if err := json.Unmarshal(body, &p); err != nil {
			return m, badPayload(event, err)
		}
		job := p.WorkflowJob
		status, ok := ghConclusion(job.Conclusion)
		switch {
		case !cfg.Jobs:
			m.ignore("workflow_job: jobs are not builds unless serve runs with --jobs (workflow_run records the build)")
			return m, nil
		case p.Action != "completed" || !ok:
			m.ignore("workflow_job " + p.Action + "/" + job.Conclusion + " is not a finished build")
			return m, nil
		}
		row := map[string]any{
			"external_id": fmt.Sprintf("workflow_job:%d:%d", job.ID, max(job.RunAttempt, 1)),
			"finished_at": job.CompletedAt.Time, "started_at": job.StartedAt.Time,
			"pipeline": job.WorkflowName + " / " + job.Name, "repo": p.Repository.FullName, "status": status,
			"queue_seconds":    nonNegSeconds(job.StartedAt.Sub(job.CreatedAt.Time)),
			"duration_seconds": nonNegSeconds(job.CompletedAt.Sub(job.StartedAt.Time)),
		}
		m.Events = append(m.Events, mp.owned("builds", p.Repository.FullName, p.Repository.Name, row, false))
	case "pull_request":
		var p ghPullRequest
		if err := json.Unmarshal(body, &p); err != nil {
			return m, badPayload(event, err)
		}
		pr := p.PullRequest
		if p.Action != "closed" || !pr.Merged {
			m.ignore("pull_request " + p.Action + ": only merged pull requests are stored")
			return m, nil
		}
		row := map[string]any{
			"external_id": "pull_request:" + strconv.FormatInt(pr.ID, 10),
			"merged_at":   pr.MergedAt.Time, "opened_at": pr.CreatedAt.Time, "first_commit_at": pr.CreatedAt.Time,
			"repo": p.Repository.FullName,
		}
		m.Events = append(m.Events, mp.owned("pull_requests", p.Repository.FullName, p.Repository.Name, row, false))
	case "deployment_status":
		var p ghDeploymentStatus
		if err := json.Unmarshal(body, &p); err != nil {
			return m, badPayload(event, err)
		}
		var status string
		switch p.DeploymentStatus.State {
		case "success":
			status = "success"
		case "failure", "error":
			status = "failure"
		default:
			m.ignore("deployment_status " + p.DeploymentStatus.State + " is not a finished deployment")
			return m, nil
		}
		d := p.Deployment
		finished := p.DeploymentStatus.CreatedAt.Time
		row := map[string]any{
			"external_id": "deployment:" + strconv.FormatInt(d.ID, 10),
			"finished_at": finished, "started_at": d.CreatedAt.Time, "first_commit_at": d.CreatedAt.Time,
			"environment": d.Environment, "status": status,
			"is_production":    d.ProductionEnvironment || isProductionName(d.Environment),
			"duration_seconds": nonNegSeconds(finished.Sub(d.CreatedAt.Time)),
		}
		rework, fixes := ghRework(d.Ref, d.Description, d.Payload)
		row["is_rework"] = rework
		if fixes != "" {
			row["fixes_deployment"] = fixes
		}
		m.Events = append(m.Events, mp.owned("deployments", p.Repository.FullName, p.Repository.Name, row, true))
	case "issues":
		var p ghIssue
		if err := json.Unmarshal(body, &p); err != nil {
			return m, badPayload(event, err)
		}
		is := p.Issue
		labels := make([]string, len(is.Labels))
		for i, l := range is.Labels {
			labels[i] = l.Name
		}
		if !hasLabel(labels, cfg.IncidentLabel) {
			m.ignore("issue without the " + cfg.IncidentLabel + " label")
			return m, nil
		}
		row := map[string]any{
			"external_id": "issue:" + strconv.FormatInt(is.ID, 10),
			"opened_at":   is.CreatedAt.Time, "severity": severityFromLabels(labels), "title": is.Title,
		}
		if is.State == "closed" && !is.ClosedAt.IsZero() {
			row["resolved_at"] = is.ClosedAt.Time
		}
		m.Events = append(m.Events, mp.owned("incidents", p.Repository.FullName, p.Repository.Name, row, false))
	default:
		m.ignore("GitHub event " + strconv.Quote(event) + " is not mapped")
	}
	return m, nil
}

func ghConclusion(c string) (string, bool) {
	switch c {
	case "success":
		return "success", true
	case "failure", "timed_out", "startup_failure":
		return "failure", true
	case "cancelled":
		return "cancelled", true
	}
	return "", false
}

// ghRework reads the rework marks of a GitHub deployment (see revertText): a revert ref or
// description, payload.rework, payload.fixes_deployment (number or string; a bare GitHub
// deployment id becomes our external id "deployment:<id>"). A payload that is not an object
// (GitHub allows a string) carries no marks.
func ghRework(ref, description string, payload json.RawMessage) (bool, string) {
	var pl struct {
		Rework          bool            `json:"rework"`
		FixesDeployment json.RawMessage `json:"fixes_deployment"`
	}
	_ = json.Unmarshal(payload, &pl) // not an object: no marks
	fixes := ""
	if raw := strings.TrimSpace(string(pl.FixesDeployment)); raw != "" && raw != "null" {
		var s string
		if json.Unmarshal(pl.FixesDeployment, &s) != nil {
			s = raw // a number
		}
		s = strings.TrimSpace(s)
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			s = "deployment:" + s
		}
		fixes = s
	}
	return pl.Rework || fixes != "" || revertRef(ref) || revertText(description), fixes
}
