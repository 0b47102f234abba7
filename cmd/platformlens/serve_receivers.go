package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
	"github.com/platformlens/platformlens-analytics-app/pkg/receiver"
)

// secretSource is one webhook secret: a file flag, else an environment variable.
type secretSource struct {
	env, flag, what string
	optional        bool // the endpoint works without it (OTLP)
	file            string
}

// receiverFlags are serve's settings for the event receivers (pkg/receiver).
type receiverFlags struct {
	secrets       []*secretSource // github, gitlab, pagerduty, incident, otlp
	repoMap       string
	incidentLabel string
	jobs          bool
}

func addReceiverFlags(fs *flag.FlagSet) *receiverFlags {
	f := &receiverFlags{secrets: []*secretSource{
		{env: "PLATFORMLENS_GITHUB_WEBHOOK_SECRET", flag: "github-secret-file", what: "GitHub webhook secret"},
		{env: "PLATFORMLENS_GITLAB_WEBHOOK_TOKEN", flag: "gitlab-token-file", what: "GitLab webhook secret token"},
		{env: "PLATFORMLENS_PAGERDUTY_WEBHOOK_SECRET", flag: "pagerduty-secret-file", what: "PagerDuty v3 webhook signing secret"},
		{env: "PLATFORMLENS_INCIDENT_WEBHOOK_TOKEN", flag: "incident-token-file", what: "bearer token of the generic/Opsgenie incident webhook"},
		{env: "PLATFORMLENS_OTLP_TOKEN", flag: "otlp-token-file", what: "bearer token required on /v1/traces and /v1/metrics", optional: true},
	}}
	for _, s := range f.secrets {
		off := "the endpoint is off when neither is set"
		if s.optional {
			off = "without it the OTLP endpoints accept any sender: keep --listen on loopback or a private network"
		}
		fs.StringVar(&s.file, s.flag, "", fmt.Sprintf("file holding the %s (default $%s; %s)", s.what, s.env, off))
	}
	fs.StringVar(&f.repoMap, "repo-map", "", "CSV file mapping repositories/services to teams: name,team,tech_stack[,product_line[,service]] (adds to table receiver_repo_map)")
	fs.StringVar(&f.incidentLabel, "incident-label", "incident", "label that makes a GitHub/GitLab issue an incident")
	fs.BoolVar(&f.jobs, "jobs", false, "also store GitHub workflow_job and GitLab job events as builds (they double-count runs)")
	return f
}

// secret reads a secret from its file (trailing newline trimmed) or environment variable;
// the value is never logged.
func (s *secretSource) secret() ([]byte, error) {
	if s.file != "" {
		b, err := os.ReadFile(s.file)
		if err != nil {
			return nil, usagef("--%s: %v", s.flag, err)
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return nil, usagef("--%s: %s is empty", s.flag, s.file)
		}
		return []byte(v), nil
	}
	return []byte(os.Getenv(s.env)), nil
}

func (f *receiverFlags) config(maxBody int64) (receiver.Config, error) {
	var vals [5][]byte
	for i, s := range f.secrets {
		v, err := s.secret()
		if err != nil {
			return receiver.Config{}, err
		}
		vals[i] = v
	}
	return receiver.Config{GitHubSecret: vals[0], GitLabToken: vals[1], PagerDutySecret: vals[2],
		IncidentToken: vals[3], OTLPToken: vals[4], IncidentLabel: f.incidentLabel, Jobs: f.jobs, MaxBodyBytes: maxBody}, nil
}

// Bookkeeping cadence: counters reach receiver_sources within this delay (and on shutdown);
// the mapping table is re-read so edits apply without a restart.
const (
	statsFlushEvery = 10 * time.Second
	mappingEvery    = 30 * time.Second
)

// mountReceivers builds the receiver on deps and adds its endpoints to mux. The returned stop
// function flushes the counters and pending rollup refreshes; serve calls it after draining.
func mountReceivers(ctx context.Context, deps serveDeps, cfg receiver.Config, repoMap string) (*receiver.Handler, func(), error) {
	st := deps.Store
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{})
	rcv := receiver.New(st, w, deps.Now, deps.Logger)
	if err := rcv.Mapper.Load(ctx, st.Pool(), st.Schema()); err != nil {
		return nil, nil, err
	}
	if repoMap != "" {
		if err := rcv.Mapper.LoadFile(repoMap); err != nil {
			return nil, nil, usagef("--repo-map: %v", err)
		}
	}
	loopCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		flush, reload := time.NewTicker(statsFlushEvery), time.NewTicker(mappingEvery)
		defer flush.Stop()
		defer reload.Stop()
		for {
			select {
			case <-loopCtx.Done():
				return
			case <-flush.C:
				if err := rcv.Stats.Flush(loopCtx, st.Pool(), st.Schema()); err != nil {
					deps.Logger.Warn("receiver bookkeeping not saved; retrying", "error", err)
				}
			case <-reload.C:
				if err := rcv.Mapper.Load(loopCtx, st.Pool(), st.Schema()); err != nil {
					deps.Logger.Warn("repository mapping not reloaded", "error", err)
				}
			}
		}
	}()
	stop := func() {
		cancel()
		<-done
		fctx, fcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer fcancel()
		if err := rcv.Stats.Flush(fctx, st.Pool(), st.Schema()); err != nil {
			deps.Logger.Warn("receiver bookkeeping not saved", "error", err)
		}
		if err := w.Flush(fctx); err != nil {
			deps.Logger.Warn("rollup refresh failed", "error", err)
		}
	}
	enabled := []string{}
	for _, e := range []struct {
		name string
		on   bool
	}{{"github", len(cfg.GitHubSecret) > 0}, {"gitlab", len(cfg.GitLabToken) > 0}, {"pagerduty", len(cfg.PagerDutySecret) > 0}, {"incident", len(cfg.IncidentToken) > 0}} {
		if e.on {
			enabled = append(enabled, e.name)
		}
	}
	deps.Logger.Info("receivers", "webhooks", strings.Join(enabled, ","), "otlp_token", len(cfg.OTLPToken) > 0)
	return receiver.NewHandler(rcv, cfg), stop, nil
}
