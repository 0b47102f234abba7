package receiver

import (
	"fmt"
	"net/url"
	"strings"
)

// OpenTelemetry CI/CD mapping rules (semantic conventions, CI/CD and VCS, release candidate
// since 1.43; https://opentelemetry.io/docs/specs/semconv/cicd/). Attributes are read from the
// span, then its resource.
//
//	deployment span: a span attribute deployment.* (deployment.environment.name, deployment.status,
//	    deployment.id …) or cicd.pipeline.task.type = deploy → deployments:
//	    environment = deployment.environment.name; status from deployment.status
//	    (succeeded → success, failed → failure), else the task/pipeline result, else the span status;
//	    external_id "deployment:<deployment.id>" or "span:<trace id>:<span id>".
//	other task span (cicd.pipeline.task.* on the span or its resource, as the Collector's GitHub
//	    receiver sends jobs and steps) and queue spans (cicd.pipeline.run.queue.*): ignored: they
//	    are parts of a build, not builds.
//	pipeline-run span (cicd.pipeline.name, no task attributes) → builds: pipeline =
//	    cicd.pipeline.name, status from cicd.pipeline.result (success → success;
//	    failure/error/timeout → failure; cancellation → cancelled; skip → ignored), else the span
//	    status (ERROR → failure, OK → success, unset → ignored); external_id
//	    "span:<trace id>:<span id>" (a Collector re-exporting a run sends the same ids).
//	anything else: ignored (not CI/CD).
//
// repo is the path of vcs.repository.url.full ("https://github.com/o/r" → "o/r"), else the
// repository part of cicd.pipeline.run.url.full, else vcs.repository.name; service is service.name unless it is the SDK default, else the repo's
// short name. Times come from the span; queue time is 0 (the conventions have no attribute).

// deprecatedAttrs renames attributes that older receivers emit to their current names.
var deprecatedAttrs = map[string]string{
	"vcs.repository.change.id":    "vcs.change.id",
	"vcs.repository.change.title": "vcs.change.title",
	"vcs.repository.ref.name":     "vcs.ref.head.name",
	"vcs.repository.ref.revision": "vcs.ref.head.revision",
	"vcs.repository.ref.type":     "vcs.ref.head.type",
	"vcs.system":                  "vcs.provider.name",
	"deployment.environment":      "deployment.environment.name",
	// Not a standard name, but early Collector GitHub/GitLab receivers set it.
	"cicd.pipeline.run.status":      "cicd.pipeline.result",
	"cicd.pipeline.task.run.status": "cicd.pipeline.task.run.result",
}

// canonicalAttrs renames deprecated attributes in place; a current name wins over a deprecated one.
func canonicalAttrs(m map[string]any) map[string]any {
	for old, cur := range deprecatedAttrs {
		if v, ok := m[old]; ok {
			if _, has := m[cur]; !has {
				m[cur] = v
			}
			delete(m, old)
		}
	}
	return m
}

func (s *otlpSpan) str(key string) string {
	for _, m := range []map[string]any{s.Attrs, s.Resource} {
		if v, ok := m[key]; ok && v != nil {
			return strings.TrimSpace(fmt.Sprint(v))
		}
	}
	return ""
}

func (s *otlpSpan) spanHasPrefix(prefix string) bool {
	for k := range s.Attrs {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// anyHasPrefix looks at the span and its resource: the Collector's GitHub receiver puts a job's
// cicd.pipeline.task.* attributes on the resource of the job's spans.
func (s *otlpSpan) anyHasPrefix(prefix string) bool {
	if s.spanHasPrefix(prefix) {
		return true
	}
	for k := range s.Resource {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// ciResult maps cicd.pipeline.result (and the values of the deprecated run.status) to a build status.
func ciResult(v string) (status string, known bool) {
	switch strings.ToLower(v) {
	case "success", "succeeded", "successful":
		return "success", true
	case "failure", "failed", "error", "timeout", "timed_out":
		return "failure", true
	case "cancellation", "cancelled", "canceled":
		return "cancelled", true
	case "skip", "skipped":
		return "", true
	}
	return "", false
}

// MapSpans maps decoded spans to events.
func mapSpans(spans []otlpSpan, mp *Mapper) Mapped {
	var m Mapped
	for i := range spans {
		s := &spans[i]
		isDeploy := s.spanHasPrefix("deployment.") || strings.EqualFold(s.str("cicd.pipeline.task.type"), "deploy")
		switch {
		case isDeploy:
			mapDeploySpan(s, mp, &m)
		case s.anyHasPrefix("cicd.pipeline.task."):
			m.ignore("task span " + s.Name + ": tasks are parts of a build")
		case s.spanHasPrefix("cicd.pipeline.run.queue."):
			m.ignore("queue span " + s.Name + ": waiting is part of a build")
		case s.str("cicd.pipeline.name") != "":
			mapRunSpan(s, mp, &m)
		default:
			m.ignore("span " + s.Name + " has no CI/CD attributes")
		}
	}
	return m
}

func spanStatus(s *otlpSpan, keys ...string) (string, bool) {
	for _, k := range keys {
		if v := s.str(k); v != "" {
			st, known := ciResult(v)
			return st, known && st != ""
		}
	}
	switch s.StatusCode {
	case 2:
		return "failure", true
	case 1:
		return "success", true
	}
	return "", false
}

func mapRunSpan(s *otlpSpan, mp *Mapper, m *Mapped) {
	status, ok := spanStatus(s, "cicd.pipeline.result")
	if !ok {
		m.ignore("pipeline run " + s.str("cicd.pipeline.name") + " has no result (cicd.pipeline.result or span status)")
		return
	}
	repo, short := spanRepo(s)
	row := map[string]any{
		"external_id": "span:" + s.TraceID + ":" + s.SpanID,
		"finished_at": s.End, "started_at": s.Start, "pipeline": s.str("cicd.pipeline.name"), "repo": repo,
		"status": status, "queue_seconds": 0.0, "duration_seconds": nonNegSeconds(s.End.Sub(s.Start)),
	}
	if svc := spanService(s); svc != "" {
		row["service"] = svc
	}
	m.Events = append(m.Events, mp.owned("builds", repo, short, row, false))
}

func mapDeploySpan(s *otlpSpan, mp *Mapper, m *Mapped) {
	var status string
	switch strings.ToLower(s.str("deployment.status")) {
	case "succeeded", "success":
		status = "success"
	case "failed", "failure":
		status = "failure"
	default:
		st, ok := spanStatus(s, "cicd.pipeline.task.run.result", "cicd.pipeline.result")
		if !ok || st == "cancelled" {
			m.ignore("deployment span " + s.Name + " did not succeed or fail")
			return
		}
		status = st
	}
	env := s.str("deployment.environment.name")
	id := "span:" + s.TraceID + ":" + s.SpanID
	if d := s.str("deployment.id"); d != "" {
		id = "deployment:" + d
	}
	repo, short := spanRepo(s)
	row := map[string]any{
		"external_id": id, "finished_at": s.End, "started_at": s.Start, "first_commit_at": s.Start,
		"environment": env, "status": status, "is_production": isProductionName(env),
		"duration_seconds": nonNegSeconds(s.End.Sub(s.Start)),
	}
	if svc := spanService(s); svc != "" {
		row["service"] = svc
	}
	name := repo
	if name == "" {
		name = spanService(s)
	}
	m.Events = append(m.Events, mp.owned("deployments", name, short, row, true))
}

// spanRepo returns the repository's full name (for the mapping) and short name.
func spanRepo(s *otlpSpan) (full, short string) {
	if u, err := url.Parse(s.str("vcs.repository.url.full")); err == nil && u.Host != "" {
		full = strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git")
	} else if u, err := url.Parse(s.str("cicd.pipeline.run.url.full")); err == nil && u.Host != "" {
		// The run's URL names the repository: GitHub ".../o/r/actions/runs/1", GitLab ".../g/p/-/pipelines/1".
		for _, sep := range []string{"/actions/runs/", "/-/pipelines/", "/-/jobs/"} {
			if before, _, ok := strings.Cut(u.Path, sep); ok {
				full = strings.Trim(before, "/")
				break
			}
		}
	}
	name := s.str("vcs.repository.name")
	if full == "" {
		full = name
	}
	short = full[strings.LastIndex(full, "/")+1:]
	if full == "" {
		full, short = s.str("cicd.pipeline.name"), s.str("cicd.pipeline.name")
	}
	return full, short
}

func spanService(s *otlpSpan) string {
	svc := s.str("service.name")
	if strings.HasPrefix(svc, "unknown_service") {
		return ""
	}
	return svc
}
