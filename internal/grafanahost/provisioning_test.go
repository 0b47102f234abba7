package grafanahost

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/jackc/pgx/v5"
	"gopkg.in/yaml.v3"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

// Provisioning as Grafana reads it: provisioning/datasources/*.yaml with environment variables
// expanded in every string value, jsonData sent to the plugin as JSON bytes and secureJsonData
// as the decrypted map.

// grafanaExpand expands a provisioning value the way Grafana documents it: $VAR and ${VAR} from
// the environment (unset = empty), $__env{VAR} likewise, $__file{path} the file's content, and
// $$ for a literal $ (a value is expanded once, so a password with "$" in the environment stays
// as it is).
func grafanaExpand(s string) (string, error) {
	parts := strings.Split(s, "$$")
	for i, p := range parts {
		var ferr error
		p = envFileRef.ReplaceAllStringFunc(p, func(m string) string {
			sub := envFileRef.FindStringSubmatch(m)
			if sub[1] == "env" {
				return os.Getenv(sub[2])
			}
			b, err := os.ReadFile(sub[2])
			if err != nil {
				ferr = err
			}
			return strings.TrimSpace(string(b))
		})
		if ferr != nil {
			return "", ferr
		}
		parts[i] = os.ExpandEnv(p)
	}
	return strings.Join(parts, "$"), nil
}

var envFileRef = regexp.MustCompile(`\$__(env|file)\{([^}]*)\}`)

// expandAll walks a YAML value and expands every string in it; numbers and booleans stay as
// YAML typed them (a value written as ${VAR} therefore reaches jsonData as a string).
func expandAll(v any) (any, error) {
	switch x := v.(type) {
	case string:
		return grafanaExpand(x)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			var err error
			if out[k], err = expandAll(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = expandAll(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}

type provisionedDatasource struct {
	Name           string         `yaml:"name"`
	UID            string         `yaml:"uid"`
	Type           string         `yaml:"type"`
	Access         string         `yaml:"access"`
	JSONData       map[string]any `yaml:"jsonData"`
	SecureJSONData map[string]any `yaml:"secureJsonData"`
}

// readProvisionedDatasources parses every provisioning/datasources/*.yaml with env expansion.
func readProvisionedDatasources(t *testing.T) []provisionedDatasource {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "provisioning", "datasources", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no provisioning/datasources/*.yaml: %v", err)
	}
	var out []provisionedDatasource
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			APIVersion  int                     `yaml:"apiVersion"`
			Datasources []provisionedDatasource `yaml:"datasources"`
		}
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if doc.APIVersion != 1 {
			t.Errorf("%s: apiVersion %d, Grafana reads apiVersion 1", f, doc.APIVersion)
		}
		for _, d := range doc.Datasources {
			jd, err := expandAll(d.JSONData)
			if err != nil {
				t.Fatalf("%s: jsonData: %v", f, err)
			}
			sd, err := expandAll(d.SecureJSONData)
			if err != nil {
				t.Fatalf("%s: secureJsonData: %v", f, err)
			}
			d.JSONData, _ = jd.(map[string]any)
			d.SecureJSONData, _ = sd.(map[string]any)
			out = append(out, d)
		}
	}
	return out
}

// provisionedSettings sets the environment docker-compose.yml sets, pointing at the test
// database, and builds the instance settings Grafana would send from the provisioned
// PlatformLens datasource.
func provisionedSettings(t *testing.T, db *testdb.Database) *pluginv2.DataSourceInstanceSettings {
	t.Helper()
	cfg, err := pgx.ParseConfig(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"PLATFORMLENS_DB_HOST": db.Host, "PLATFORMLENS_DB_PORT": db.Port, "PLATFORMLENS_DB_NAME": db.Name,
		"PLATFORMLENS_DB_USER": db.User, "PLATFORMLENS_DB_SCHEMA": "platformlens", "PLATFORMLENS_DB_SSLMODE": "disable",
		"PLATFORMLENS_DB_PASSWORD": cfg.Password,
	} {
		t.Setenv(k, v)
	}
	var found []provisionedDatasource
	for _, d := range readProvisionedDatasources(t) {
		if d.Type == pluginID {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("provisioning/datasources has %d datasources of type %s, want 1", len(found), pluginID)
	}
	d := found[0]
	if d.UID != "platformlens" {
		t.Errorf("provisioned datasource uid %q: dashboards, alert rules and browser tests use uid platformlens", d.UID)
	}
	jsonData, err := json.Marshal(d.JSONData)
	if err != nil {
		t.Fatal(err)
	}
	secure := map[string]string{}
	for k, v := range d.SecureJSONData {
		secure[k] = fmt.Sprint(v)
	}
	if secure["password"] != cfg.Password {
		t.Errorf("secureJsonData.password expands to %d characters, want the %d of $PLATFORMLENS_DB_PASSWORD", len(secure["password"]), len(cfg.Password))
	}
	return &pluginv2.DataSourceInstanceSettings{Id: 1, Uid: d.UID, Name: d.Name, JsonData: jsonData,
		DecryptedSecureJsonData: secure, LastUpdatedMS: demoEnd.UnixMilli()}
}

func TestGrafanaExpand(t *testing.T) {
	t.Setenv("PL_X", "va$lue")
	t.Setenv("PL_Y", "plain-y")
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"$PL_X": "va$lue", "${PL_X}": "va$lue", "a-${PL_X}-b": "a-va$lue-b", "$__env{PL_Y}": "plain-y",
		"$$PL_X": "$PL_X", "$PL_UNSET": "", "plain": "plain", "$__file{" + secret + "}": "from-file",
	} {
		if got, err := grafanaExpand(in); err != nil || got != want {
			t.Errorf("grafanaExpand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// testHealth: the provisioned datasource passes Grafana's "Save & test" (CheckHealth).
func (w *world) testHealth(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resp, err := w.h.diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: w.as("Admin")})
	if err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	if resp.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("CheckHealth of the provisioned datasource = %v %q, want OK", resp.Status, resp.Message)
	}
	t.Logf("health: %s", resp.Message)
}
