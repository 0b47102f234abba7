package stack_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
)

// TestComposeConfigValidates loads docker-compose.yml with compose-go, the loader `docker compose
// config` uses: schema validation, interpolation with the defaults, anchors and merges, and
// the consistency checks (depends_on targets, volumes, …). No Docker engine is needed.
func TestComposeConfigValidates(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join(root, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{abs}, cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithName("platformlens"), cli.WithInterpolation(true), cli.WithResolvedPaths(true))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker compose config would fail: %v", err)
	}
	for _, name := range []string{"timescaledb", "seed", "demo-live", "grafana"} {
		s, ok := p.Services[name]
		if !ok {
			t.Fatalf("service %s missing after loading", name)
		}
		if s.HealthCheck == nil || len(s.HealthCheck.Test) == 0 {
			t.Errorf("%s: no healthcheck after loading", name)
		}
	}
	if dsn := p.Services["seed"].Environment["PLATFORMLENS_DSN"]; dsn == nil || *dsn != "postgres://platformlens:platformlens@timescaledb:5432/platformlens?sslmode=disable" {
		t.Errorf("seed's DSN interpolates to %v", dsn)
	}
}
