package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReceiverSecretsFromEnvAndFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "github")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PLATFORMLENS_GITHUB_WEBHOOK_SECRET", "from-env")
	t.Setenv("PLATFORMLENS_GITLAB_WEBHOOK_TOKEN", "gl-env")
	t.Setenv("PLATFORMLENS_PAGERDUTY_WEBHOOK_SECRET", "")
	t.Setenv("PLATFORMLENS_INCIDENT_WEBHOOK_TOKEN", "")
	t.Setenv("PLATFORMLENS_OTLP_TOKEN", "")

	parse := func(args ...string) (*receiverFlags, error) {
		fs := newFlagSet("serve")
		rf := addReceiverFlags(fs)
		return rf, parseFlags(fs, args, false)
	}
	rf, err := parse("--github-secret-file", file, "--jobs", "--incident-label", "outage")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := rf.config(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	// The file wins over the environment and loses its trailing newline; unset secrets stay empty
	// (their endpoints answer 404).
	if string(cfg.GitHubSecret) != "from-file" || string(cfg.GitLabToken) != "gl-env" || len(cfg.PagerDutySecret) != 0 ||
		!cfg.Jobs || cfg.IncidentLabel != "outage" || cfg.MaxBodyBytes != 1<<20 {
		t.Fatalf("config = %+v", cfg)
	}
	for _, args := range [][]string{{"--gitlab-token-file", empty}, {"--pagerduty-secret-file", filepath.Join(dir, "missing")}} {
		rf, err := parse(args...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rf.config(1 << 20); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: error %v, want one naming the flag", args, err)
		}
	}
}
