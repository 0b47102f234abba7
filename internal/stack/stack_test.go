// Package stack_test checks the container stack without a Docker engine: docker-compose.yml is
// validated structurally (what `docker compose config` would reject, plus the product rules:
// healthchecks everywhere, nothing written into the checkout, localhost-only ports, one
// dashboard mechanism, the TimescaleDB we test), the Dockerfile's stages against the repository,
// the database init script against the real PostgreSQL, and the backend stage's builds run.
package stack_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

const root = "../.."

type service struct {
	Image       string         `yaml:"image"`
	Build       *build         `yaml:"build"`
	Entrypoint  []string       `yaml:"entrypoint"`
	Command     []string       `yaml:"command"`
	Environment map[string]any `yaml:"environment"`
	Ports       []string       `yaml:"ports"`
	Volumes     []string       `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test        []string `yaml:"test"`
		Interval    string   `yaml:"interval"`
		Timeout     string   `yaml:"timeout"`
		Retries     int      `yaml:"retries"`
		StartPeriod string   `yaml:"start_period"`
	} `yaml:"healthcheck"`
	Restart string `yaml:"restart"`
}

type build struct {
	Context string            `yaml:"context"`
	Target  string            `yaml:"target"`
	Args    map[string]string `yaml:"args"`
}

type compose struct {
	Name     string             `yaml:"name"`
	Services map[string]service `yaml:"services"`
	Volumes  map[string]any     `yaml:"volumes"`
	// Extension fields (x-…) hold YAML anchors; compose ignores them.
	DBEnv map[string]string `yaml:"x-db-env"`
	CLI   service           `yaml:"x-cli"`
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func loadCompose(t *testing.T) compose {
	t.Helper()
	var c compose
	dec := yaml.NewDecoder(strings.NewReader(read(t, "docker-compose.yml")))
	dec.KnownFields(true) // a misspelt key is an error, as in `docker compose config`
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

// dockerfileStages returns the stage names of the Dockerfile (FROM … AS name).
func dockerfileStages(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^FROM\s+\S+\s+AS\s+(\S+)`).FindAllStringSubmatch(read(t, "Dockerfile"), -1) {
		out = append(out, m[1])
	}
	return out
}

func TestComposeStructure(t *testing.T) {
	c := loadCompose(t)
	if c.Name == "" || len(c.Services) == 0 {
		t.Fatal("docker-compose.yml needs a project name and services")
	}
	stages := dockerfileStages(t)
	for name, s := range c.Services {
		if s.Image == "" && s.Build == nil {
			t.Errorf("%s: neither image nor build", name)
		}
		if s.Build != nil && !slices.Contains(stages, s.Build.Target) {
			t.Errorf("%s: build target %q is not a Dockerfile stage (%v)", name, s.Build.Target, stages)
		}
		if s.Healthcheck == nil || len(s.Healthcheck.Test) == 0 {
			t.Errorf("%s: no healthcheck", name)
		}
		for dep, d := range s.DependsOn {
			ds, ok := c.Services[dep]
			if !ok {
				t.Errorf("%s depends on unknown service %q", name, dep)
				continue
			}
			switch d.Condition {
			case "service_healthy":
				if ds.Healthcheck == nil {
					t.Errorf("%s waits for %s to be healthy, which has no healthcheck", name, dep)
				}
			case "service_completed_successfully", "service_started":
			default:
				t.Errorf("%s: depends_on %s has condition %q", name, dep, d.Condition)
			}
		}
		for _, p := range s.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("%s: port %q is published beyond localhost", name, p)
			}
		}
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") {
				if !strings.HasSuffix(v, ":ro") {
					t.Errorf("%s: bind mount %q is writable: nothing may be written into the checkout", name, v)
				}
				if _, err := os.Stat(filepath.Join(root, src)); err != nil {
					t.Errorf("%s: bind mount source %s: %v", name, src, err)
				}
				if src == "." || strings.Contains(src, "dashboards") {
					t.Errorf("%s: mounts %s (the image carries what it needs; dashboards come with the app)", name, src)
				}
				continue
			}
			if _, ok := c.Volumes[src]; !ok {
				t.Errorf("%s: named volume %q is not declared", name, src)
			}
		}
	}
	// Every named volume declared is used.
	for v := range c.Volumes {
		used := false
		for _, s := range c.Services {
			for _, m := range s.Volumes {
				used = used || strings.HasPrefix(m, v+":")
			}
		}
		if !used {
			t.Errorf("volume %q is declared but unused", v)
		}
	}
}

// TestComposeTimescaleIsTheTestedOne: the image is the TimescaleDB version the test suite builds
// (shared/timescaledb/ensure.sh's VERSION, when present) on PostgreSQL 17.
func TestComposeTimescaleIsTheTestedOne(t *testing.T) {
	img := loadCompose(t).Services["timescaledb"].Image
	m := regexp.MustCompile(`^timescale/timescaledb:(2\.(\d+)\.\d+)-pg17$`).FindStringSubmatch(img)
	if m == nil || len(m[2]) != 2 || m[2][0] != '2' {
		t.Fatalf("timescaledb image %q is not a 2.2x release on pg17", img)
	}
	if b, err := os.ReadFile("/work/shared/timescaledb/ensure.sh"); err == nil {
		if v := regexp.MustCompile(`(?m)^VERSION=(\S+)`).FindSubmatch(b); v != nil && string(v[1]) != m[1] {
			t.Errorf("compose runs TimescaleDB %s, the tests run %s", m[1], v[1])
		}
	}
}

// TestGrafanaEnvCoversProvisioning: every $VAR the provisioning files Grafana reads (datasources,
// plugins, contact points) expand is set in the grafana service, so provisioning never expands to
// an empty URL or password. Rule files are left out: their $ are alert template variables.
func TestGrafanaEnvCoversProvisioning(t *testing.T) {
	env := loadCompose(t).Services["grafana"].Environment
	varRE := regexp.MustCompile(`\$\{?([A-Z][A-Z0-9_]*)\}?`)
	for _, f := range []string{"provisioning/datasources/platformlens.yaml", "provisioning/alerting/contact-points.yaml", "provisioning/plugins/app.yaml"} {
		for _, line := range strings.Split(read(t, f), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			for _, m := range varRE.FindAllStringSubmatch(line, -1) {
				if _, ok := env[m[1]]; !ok {
					t.Errorf("%s uses $%s, which the grafana service does not set", f, m[1])
				}
			}
		}
	}
	if _, ok := env["GF_SERVER_ROOT_URL"]; !ok {
		t.Error("grafana needs GF_SERVER_ROOT_URL: the alert rules' runbook links are built from it")
	}
}

// TestDockerfileStages checks the Dockerfile against the repository: every COPY source exists, the
// grafana stage provisions no dashboard files (the app ships them: one mechanism), and the build
// commands are the ones CI runs (npm run build, mage, go build of the CLI).
func TestDockerfileStages(t *testing.T) {
	df := read(t, "Dockerfile")
	for _, m := range regexp.MustCompile(`(?m)^COPY\s+(.+)$`).FindAllStringSubmatch(df, -1) {
		f := strings.Fields(m[1])
		if strings.HasPrefix(f[0], "--from=") {
			continue
		}
		for _, src := range f[:len(f)-1] {
			if _, err := os.Stat(filepath.Join(root, src)); err != nil {
				t.Errorf("Dockerfile copies %s: %v", src, err)
			}
		}
	}
	if strings.Contains(df, "provisioning/dashboards") || strings.Contains(df, "COPY dashboards /") {
		t.Error("the grafana image must not file-provision dashboards: the app includes them (duplicate uids)")
	}
	for _, cmd := range []string{"npm ci --no-audit --no-fund", "npm run build", "go run github.com/magefile/mage -v", "go build -trimpath -tags arrow_json_stdlib -o /out/platformlens ./cmd/platformlens"} {
		if !strings.Contains(df, cmd) {
			t.Errorf("Dockerfile no longer runs %q (CI runs the same commands)", cmd)
		}
	}
	for _, s := range []string{"frontend", "backend", "cli", "grafana"} {
		if !slices.Contains(dockerfileStages(t), s) {
			t.Errorf("Dockerfile has no stage %q", s)
		}
	}
	ignore := read(t, ".dockerignore")
	for _, p := range []string{"node_modules", "dist", ".git"} {
		if !slices.Contains(strings.Fields(ignore), p) {
			t.Errorf(".dockerignore does not exclude %s", p)
		}
	}
	pkg := read(t, "package.json")
	if !strings.Contains(pkg, `"server": "docker compose up --build"`) {
		t.Error(`package.json "server" should be "docker compose up --build" (every built service has a build section)`)
	}
}

// TestBackendStageBuilds runs the backend stage's Go builds (linux, no cgo, the SDK's
// arrow_json_stdlib tag) into a temp dir: the datasource executable's package and the CLI.
// Without -trimpath, so the shared build cache serves it (the flag only changes recorded file
// paths).
func TestBackendStageBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds executables")
	}
	out := t.TempDir()
	for _, pkg := range []string{"./pkg", "./cmd/platformlens"} {
		cmd := exec.Command("go", "build", "-tags", "arrow_json_stdlib", "-o", filepath.Join(out, filepath.Base(pkg)), pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOFLAGS=-buildvcs=false")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
	}
}

// TestInitScriptMakesANonSuperuserOwner runs deploy/init-db.sh as the container entrypoint would
// (as the superuser, on a fresh database), then migrates and reads as the role it created: the
// datasource and the CLI work without superuser rights.
func TestInitScriptMakesANonSuperuserOwner(t *testing.T) {
	if _, err := exec.LookPath("psql"); err != nil {
		t.Skip("psql is not installed (apt-get install postgresql-client)")
	}
	ctx := context.Background()
	db := testdb.New(t)
	suffix := strings.TrimPrefix(db.Name, "pl_test_")
	owner, schema := "pl_owner_"+suffix, "pl_"+suffix
	cmd := exec.Command("sh", filepath.Join(root, "deploy/init-db.sh"))
	cmd.Env = append(os.Environ(), "PGHOST="+db.Host, "PGPORT="+db.Port, "POSTGRES_USER="+db.User, "POSTGRES_DB="+db.Name,
		"PLATFORMLENS_DB_USER="+owner, "PLATFORMLENS_DB_PASSWORD=s3cret-pw", "PLATFORMLENS_DB_SCHEMA="+schema)
	b, err := cmd.CombinedOutput()
	t.Cleanup(func() {
		su, err := store.Open(ctx, store.Config{DSN: db.DSN})
		if err != nil {
			return
		}
		defer su.Close()
		_, _ = su.Pool().Exec(ctx, fmt.Sprintf(`DROP SCHEMA IF EXISTS %q CASCADE`, schema))
		for _, r := range []string{owner, schema + "_reader"} {
			_, _ = su.Pool().Exec(ctx, fmt.Sprintf(`REASSIGN OWNED BY %q TO CURRENT_USER`, r))
			_, _ = su.Pool().Exec(ctx, fmt.Sprintf(`DROP OWNED BY %q`, r))
			_, _ = su.Pool().Exec(ctx, fmt.Sprintf(`DROP ROLE IF EXISTS %q`, r))
		}
	})
	if err != nil {
		t.Fatalf("init-db.sh: %v\n%s", err, b)
	}
	dsn := fmt.Sprintf("postgres://%s:s3cret-pw@%s:%s/%s?sslmode=disable", owner, db.Host, db.Port, db.Name)
	st, err := store.Open(ctx, store.ConfigFromDSN(dsn, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var super bool
	if err := st.Pool().QueryRow(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil || super {
		t.Fatalf("the init script's role is a superuser (%v, %v)", super, err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate as the non-superuser owner: %v", err)
	}
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM targets`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("read targets as the owner: %d, %v", n, err)
	}
	if _, err := st.Pool().Exec(ctx, fmt.Sprintf(`SET ROLE %q; SELECT count(*) FROM targets; RESET ROLE`, schema+"_reader")); err != nil {
		t.Fatalf("the owner cannot read as %s_reader: %v", schema, err)
	}
}
