package grafanahost

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestComposeImportsAppDashboards proves, from the files alone (no Docker here), what makes the
// compose stack's Grafana import the app's dashboards: the app is enabled by plugin provisioning
// baked into the image, and Grafana imports an enabled app's dashboard includes itself. One
// mechanism: no dashboard file provider in the image or in compose, so no uid exists twice.
//
// Grafana's nav links an included dashboard with addToNav as /d/<include uid>: an include
// without "uid" is imported but never appears under the app in the menu (the shape of
// grafana-plugin-examples' app-with-dashboards). So every include carries the uid of its file.
func TestComposeImportsAppDashboards(t *testing.T) {
	root := repoRoot(t)
	var app struct {
		ID       string `json:"id"`
		Includes []struct {
			Type     string `json:"type"`
			Name     string `json:"name"`
			Path     string `json:"path"`
			UID      string `json:"uid"`
			AddToNav bool   `json:"addToNav"`
		} `json:"includes"`
	}
	readJSON(t, filepath.Join(root, "src", "plugin.json"), &app)

	// webpack.config.ts copies ../dashboards/*.json to dist/dashboards/, where the include paths
	// point (the dist folder is the plugin folder in the image).
	wp, err := os.ReadFile(filepath.Join(root, "webpack.config.ts"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(wp), "from: '../dashboards/*.json'") || !strings.Contains(string(wp), "to: 'dashboards/[name][ext]'") {
		t.Error("webpack.config.ts no longer copies dashboards/*.json into dist/dashboards: the includes would point at nothing")
	}

	included := map[string]string{} // uid → include path
	nav := 0
	for _, inc := range app.Includes {
		if inc.Type != "dashboard" {
			continue
		}
		file, ok := strings.CutPrefix(inc.Path, "dashboards/")
		if !ok || strings.Contains(file, "/") {
			t.Errorf("include %q: path %q is not dashboards/<file>.json", inc.Name, inc.Path)
			continue
		}
		var d struct {
			UID    string `json:"uid"`
			Title  string `json:"title"`
			Inputs []any  `json:"__inputs"`
		}
		readJSON(t, filepath.Join(root, "dashboards", file), &d)
		switch {
		case d.UID == "":
			t.Errorf("%s has no uid", inc.Path)
		case inc.UID != d.UID:
			t.Errorf("include %q: uid %q, but %s has uid %q (the nav link /d/<uid> would not resolve)", inc.Name, inc.UID, inc.Path, d.UID)
		}
		if prev, dup := included[d.UID]; dup {
			t.Errorf("uid %q is included twice (%s and %s)", d.UID, prev, inc.Path)
		}
		included[d.UID] = inc.Path
		if d.Title != inc.Name {
			t.Errorf("include %q: the dashboard's title is %q", inc.Name, d.Title)
		}
		// An auto-import has nobody to answer __inputs: the dashboards pick the datasource by
		// their own ${ds} variable instead.
		if len(d.Inputs) > 0 {
			t.Errorf("%s has __inputs: Grafana's automatic import of app dashboards cannot fill them", inc.Path)
		}
		if inc.AddToNav {
			nav++
		}
	}
	// Every shipped dashboard is included; the e2e helper (smoke.json) is not.
	files, _ := filepath.Glob(filepath.Join(root, "dashboards", "*.json"))
	var shipped []string
	for _, f := range files {
		if filepath.Base(f) == "smoke.json" {
			continue
		}
		shipped = append(shipped, "dashboards/"+filepath.Base(f))
	}
	var paths []string
	for _, p := range included {
		paths = append(paths, p)
	}
	sort.Strings(shipped)
	sort.Strings(paths)
	if !slices.Equal(shipped, paths) {
		t.Errorf("dashboard includes %v, want every shipped dashboard %v (and not smoke.json)", paths, shipped)
	}
	if nav < 3 {
		t.Errorf("%d dashboards are added to the app's nav, want at least Executive, Operations and Funnels", nav)
	}

	// Links between dashboards and the alert rules' dashboard annotations name included uids.
	link := regexp.MustCompile(`/d/([A-Za-z0-9_-]+)`)
	for _, p := range paths {
		raw, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(raw), -1) {
			if _, ok := included[m[1]]; !ok {
				t.Errorf("%s links to /d/%s, which is not an included dashboard", p, m[1])
			}
		}
	}
	for _, r := range readAlertRulesRaw(t) {
		if uid := r.Annotations["__dashboardUid__"]; uid != "" {
			if _, ok := included[uid]; !ok {
				t.Errorf("alert rule %s opens dashboard %q, which is not an included dashboard", r.UID, uid)
			}
		}
	}

	// The image enables the app (provisioning/plugins) and provides no dashboard file provider.
	dockerfile, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(dockerfile)
	for _, want := range []string{"COPY provisioning/plugins /etc/grafana/provisioning/plugins",
		"COPY --from=frontend /src/dist /usr/share/grafana/platformlens-plugins/" + appID} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?m)^COPY .*provisioning(/dashboards)?\s+/etc/grafana/provisioning(/dashboards)?\s*$`).MatchString(df) ||
		regexp.MustCompile(`(?m)^COPY provisioning/dashboards`).MatchString(df) {
		t.Error("the Dockerfile copies a dashboard file provider: dashboards would exist twice (app include and file)")
	}
	var apps struct {
		Apps []struct {
			Type     string         `yaml:"type"`
			OrgID    int            `yaml:"org_id"`
			Disabled bool           `yaml:"disabled"`
			JSONData map[string]any `yaml:"jsonData"`
		} `yaml:"apps"`
	}
	raw, err := os.ReadFile(filepath.Join(root, "provisioning", "plugins", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &apps); err != nil || len(apps.Apps) != 1 || apps.Apps[0].Type != appID || apps.Apps[0].Disabled || apps.Apps[0].OrgID != 1 {
		t.Errorf("provisioning/plugins/app.yaml must enable %s in org 1: %+v %v", appID, apps, err)
	}

	// Compose builds that image for Grafana and mounts no provisioning of its own over it.
	var compose struct {
		Services map[string]struct {
			Build *struct {
				Target string `yaml:"target"`
			} `yaml:"build"`
			Volumes     []string          `yaml:"volumes"`
			Environment map[string]string `yaml:"environment"`
		} `yaml:"services"`
	}
	raw, err = os.ReadFile(filepath.Join(root, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatal(err)
	}
	g, ok := compose.Services["grafana"]
	if !ok || g.Build == nil || g.Build.Target != "grafana" {
		t.Fatalf("docker-compose.yml: service grafana must build the Dockerfile's grafana stage: %+v", g)
	}
	for _, v := range g.Volumes {
		if strings.Contains(v, "provisioning") || strings.Contains(v, "dashboards") {
			t.Errorf("grafana mounts %q: provisioning comes from the image, dashboards from the app", v)
		}
	}
	if _, set := g.Environment["PLATFORMLENS_DASHBOARDS_DIR"]; set {
		t.Error("grafana sets PLATFORMLENS_DASHBOARDS_DIR: the optional dashboard file provider would duplicate the app's uids")
	}
}

// ruleAnnotations is a rule's uid and annotations.
type ruleAnnotations struct {
	UID         string            `yaml:"uid"`
	Annotations map[string]string `yaml:"annotations"`
}

func readAlertRulesRaw(t *testing.T) []ruleAnnotations {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "provisioning", "alerting", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			Rules []ruleAnnotations `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var out []ruleAnnotations
	for _, g := range doc.Groups {
		out = append(out, g.Rules...)
	}
	if len(out) == 0 {
		t.Fatal("rules.yaml has no rules")
	}
	return out
}
