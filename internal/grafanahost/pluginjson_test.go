package grafanahost

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// pluginJSON is the part of plugin.json Grafana's plugin loader reads to register, route and
// start a plugin.
type pluginJSON struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Backend     bool   `json:"backend"`
	Executable  string `json:"executable"`
	Alerting    bool   `json:"alerting"`
	Annotations bool   `json:"annotations"`
	Metrics     bool   `json:"metrics"`
	Includes    []struct {
		Type       string `json:"type"`
		Name       string `json:"name"`
		Path       string `json:"path"`
		AddToNav   bool   `json:"addToNav"`
		DefaultNav bool   `json:"defaultNav"`
	} `json:"includes"`
	Dependencies struct {
		GrafanaDependency string `json:"grafanaDependency"`
	} `json:"dependencies"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestPluginJSONAsGrafanaLoadsIt checks what Grafana needs from src/plugin.json and
// src/datasource/plugin.json: ids and types, the nested datasource, dashboard and page includes
// that resolve, a backend executable whose name matches the built file, alerting and
// annotations, and a version floor.
func TestPluginJSONAsGrafanaLoadsIt(t *testing.T) {
	root := repoRoot(t)
	var app, ds pluginJSON
	readJSON(t, filepath.Join(root, "src", "plugin.json"), &app)
	readJSON(t, filepath.Join(root, "src", "datasource", "plugin.json"), &ds)

	if app.Type != "app" || app.ID != appID {
		t.Errorf("src/plugin.json: type %q id %q, want app %s", app.Type, app.ID, appID)
	}
	if ds.Type != "datasource" || ds.ID != pluginID {
		t.Errorf("src/datasource/plugin.json: type %q id %q, want datasource %s", ds.Type, ds.ID, pluginID)
	}
	if !ds.Backend || ds.Executable != executableName {
		t.Errorf("datasource: backend %v executable %q, want true %q (Grafana starts <executable>_<os>_<arch>)", ds.Backend, ds.Executable, executableName)
	}
	if !ds.Alerting || !ds.Annotations || !ds.Metrics {
		t.Errorf("datasource: alerting %v annotations %v metrics %v, all must be true (alert rules and annotations use it)", ds.Alerting, ds.Annotations, ds.Metrics)
	}
	if exe := filepath.Join(root, "dist", "datasource"); dirExists(exe) {
		built, _ := filepath.Glob(filepath.Join(exe, ds.Executable+"_*"))
		if len(built) == 0 {
			t.Errorf("dist/datasource has no %s_<os>_<arch>: the built executable's name does not match plugin.json", ds.Executable)
		}
	}
	floor := regexp.MustCompile(`^>=\d+\.\d+\.\d+$`)
	for name, p := range map[string]pluginJSON{"src/plugin.json": app, "src/datasource/plugin.json": ds} {
		if !floor.MatchString(p.Dependencies.GrafanaDependency) {
			t.Errorf("%s: grafanaDependency %q, want a floor like >=11.6.0", name, p.Dependencies.GrafanaDependency)
		}
	}
	if app.Dependencies.GrafanaDependency != ds.Dependencies.GrafanaDependency {
		t.Errorf("grafanaDependency differs: app %q, datasource %q", app.Dependencies.GrafanaDependency, ds.Dependencies.GrafanaDependency)
	}

	routes := appRoutes(t)
	var nested, pages, defaults int
	for _, inc := range app.Includes {
		switch inc.Type {
		case "datasource":
			nested++
			if inc.Path != "datasource/plugin.json" {
				t.Errorf("datasource include path %q, want datasource/plugin.json", inc.Path)
			}
		case "dashboard":
			var d struct{ UID, Title string }
			readJSON(t, filepath.Join(root, inc.Path), &d) // dist/dashboards is a copy of dashboards/
			if d.UID == "" || d.Title != inc.Name {
				t.Errorf("dashboard include %s: uid %q title %q, want a uid and the title %q", inc.Path, d.UID, d.Title, inc.Name)
			}
		case "page":
			pages++
			if inc.DefaultNav {
				defaults++
			}
			route, ok := strings.CutPrefix(inc.Path, "/a/%PLUGIN_ID%/")
			if !ok || !routes[route] {
				t.Errorf("page %q path %q is not /a/%%PLUGIN_ID%%/<route> of a route in src/constants.ts ROUTES %v", inc.Name, inc.Path, routes)
			}
		default:
			t.Errorf("include %q has unknown type %q", inc.Name, inc.Type)
		}
	}
	if nested != 1 || pages != len(routes) || defaults != 1 {
		t.Errorf("includes: %d datasources, %d pages for %d routes, %d defaultNav; want 1, one page per route, 1", nested, pages, len(routes), defaults)
	}

	// Provisioning enables the app and points the datasource at the nested plugin's id.
	var apps struct {
		Apps []struct {
			Type     string `yaml:"type"`
			Disabled bool   `yaml:"disabled"`
		} `yaml:"apps"`
	}
	raw, err := os.ReadFile(filepath.Join(root, "provisioning", "plugins", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &apps); err != nil || len(apps.Apps) != 1 || apps.Apps[0].Type != appID || apps.Apps[0].Disabled {
		t.Errorf("provisioning/plugins/app.yaml must enable %s: %+v %v", appID, apps, err)
	}
	for _, d := range readProvisionedDatasources(t) {
		if d.Type != pluginID || d.Access != "proxy" {
			t.Errorf("provisioned datasource %q: type %q access %q, want %s proxy", d.Name, d.Type, d.Access, pluginID)
		}
	}
}

// appRoutes reads the ROUTES enum of src/constants.ts: the app's pages.
func appRoutes(t *testing.T) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "src", "constants.ts"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)export enum ROUTES \{(.*?)\}`).FindSubmatch(raw)
	if block == nil {
		t.Fatal("src/constants.ts has no ROUTES enum")
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`=\s*'([^']+)'`).FindAllSubmatch(block[1], -1) {
		out[string(m[1])] = true
	}
	return out
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
