// Package demo generates a deterministic year of PlatformLens demo data and loads it.
//
// The same tier, seed and end time always produce the same rows (math/rand/v2 PCG streams, one
// per table, so tables do not depend on each other's draw counts). The organisation described
// here — stacks, product lines, teams, platforms, environments, funnels — is fixed data; the
// seed varies the events. Every event row has source = 'demo', so reloading replaces demo rows
// and leaves everything else alone.
package demo

import "time"

// Source is the source column of every demo event row.
const Source = "demo"

// stack describes a tech stack and how it behaves over the year (start → end of the year).
type stack struct {
	id, label          string
	buildMin, buildEnd float64 // median build minutes at the start / end of the year
	successStart       float64 // build success rate (success ÷ (success + failure))
	successEnd         float64
	dxStart, dxEnd     float64 // mean DX score
	leadH, cycleH      float64 // median lead time (commit → production) and PR cycle time, hours
	covStart, covEnd   float64 // mean test coverage %
	volStart, volEnd   float64 // activity multiplier (usage trend)
	cfr                float64 // share of production deployments that fail in production
	bugs               float64 // mean open critical bugs per repo (the ~100 repos sum to ~8, under the target of 10)
	// offsets of the DX sub-scores from dx: build_time, deployment_ease, platform_usability,
	// tooling_effectiveness
	sub       [4]float64
	painPoint []string // most frequent pain points, most frequent first
}

// Stack trends follow the demo story: JavaScript is the largest stack and improving, Java builds
// are slow and its DX declines, Go is fast and liked, C++ is slowest, Ruby is shrinking.
var stacks = []stack{
	{"java", "Java", 14, 16.5, 0.89, 0.86, 73, 58, 40, 44, 74, 72, 1.0, 0.95, 0.13, 0.12,
		[4]float64{-14, -3, 2, 1}, []string{"Slow builds", "Flaky tests", "Complex deployment process", "Too many manual approvals"}},
	{"dotnet", ".NET", 11, 10, 0.89, 0.90, 68, 70, 30, 36, 72, 75, 1.0, 1.0, 0.10, 0.08,
		[4]float64{-6, 0, 1, -2}, []string{"Environment setup", "Licensing friction", "Slow CI queue"}},
	{"python", "Python", 7, 7, 0.90, 0.91, 75, 76, 20, 26, 70, 73, 1.0, 1.1, 0.09, 0.08,
		[4]float64{1, -2, 0, 1}, []string{"Dependency management", "Slow CI queue", "Poor observability"}},
	{"javascript", "JavaScript", 6, 4.5, 0.89, 0.95, 69, 84, 14, 20, 68, 76, 0.85, 1.25, 0.08, 0.06,
		[4]float64{2, 3, -1, 0}, []string{"Flaky tests", "Environment setup", "Documentation gaps"}},
	{"go", "Go", 3.5, 3, 0.93, 0.95, 80, 85, 10, 16, 79, 83, 0.9, 1.2, 0.06, 0.02,
		[4]float64{8, 1, -1, 2}, []string{"Documentation gaps", "Poor observability"}},
	{"rust", "Rust", 15, 13, 0.91, 0.93, 77, 82, 18, 30, 81, 84, 0.8, 1.3, 0.05, 0.02,
		[4]float64{-10, 2, 0, -3}, []string{"Long compile times", "Tooling gaps", "Documentation gaps"}},
	{"cpp", "C++", 24, 25, 0.84, 0.85, 58, 57, 60, 52, 55, 56, 1.0, 1.0, 0.14, 0.16,
		[4]float64{-18, -5, -2, -6}, []string{"Slow builds", "Dependency management", "Legacy tooling"}},
	{"ruby", "Ruby", 8, 9, 0.88, 0.86, 66, 60, 22, 28, 65, 62, 1.1, 0.7, 0.11, 0.1,
		[4]float64{-2, -1, -4, -5}, []string{"Legacy tooling", "Slow CI queue", "Flaky tests"}},
}

func stackByID(id string) *stack {
	for i := range stacks {
		if stacks[i].id == id {
			return &stacks[i]
		}
	}
	panic("demo: unknown stack " + id)
}

// productLine has a monthly revenue at the start of the two revenue years and a monthly growth.
type productLine struct {
	name    string
	revenue float64
	growth  float64
	prodEnv string // where its services run in production
}

var productLines = []productLine{
	{"Payments", 4_800_000, 0.015, "aws-eu-west-1"},
	{"Commerce", 3_600_000, 0.012, "aws-us-east-1"},
	{"Logistics", 2_100_000, 0.008, "dc-frankfurt"},
	{"Identity", 1_200_000, 0.020, "openshift-prod"},
	{"Data & Analytics", 1_500_000, 0.025, "azure-westeurope"},
	{"Mobile", 2_400_000, 0.018, "dc-dallas"},
}

// team is one row of the teams dimension (plus its services). change, when set, splits the team
// into two validity periods: the developer count changes that many days before the end.
type team struct {
	name, stack, line string
	devs              int
	services          []string
	changeDaysAgo     int
	devsAfter         int
}

// teamSpec: name, stack, product line, developers. 41 teams (40 product teams and the platform
// team that owns the shared platforms), 1,000 developers.
var teamSpecs = []struct {
	name, stack, line string
	devs              int
}{
	{"payments-core", "java", "Payments", 28}, {"checkout-web", "javascript", "Payments", 30},
	{"billing", "java", "Payments", 24}, {"fraud-ml", "python", "Payments", 22},
	{"payouts", "go", "Payments", 25}, {"ledger", "rust", "Payments", 24},
	{"payment-gateway", "dotnet", "Payments", 26},
	{"storefront-web", "javascript", "Commerce", 32}, {"catalog", "java", "Commerce", 26},
	{"search", "python", "Commerce", 24}, {"cart", "javascript", "Commerce", 25},
	{"pricing", "java", "Commerce", 22}, {"promotions", "ruby", "Commerce", 24},
	{"reviews", "javascript", "Commerce", 20},
	{"fulfillment", "java", "Logistics", 27}, {"routing", "cpp", "Logistics", 30},
	{"warehouse-systems", "dotnet", "Logistics", 25}, {"shipping-api", "go", "Logistics", 22},
	{"tracking-web", "javascript", "Logistics", 24}, {"inventory", "java", "Logistics", 23},
	{"identity-platform", "go", "Identity", 26}, {"auth-web", "javascript", "Identity", 23},
	{"iam-admin", "dotnet", "Identity", 22}, {"risk-scoring", "python", "Identity", 21},
	{"directory-sync", "dotnet", "Identity", 20}, {"sso-gateway", "rust", "Identity", 20},
	{"data-platform", "python", "Data & Analytics", 26}, {"analytics-ui", "javascript", "Data & Analytics", 24},
	{"ml-platform", "python", "Data & Analytics", 25}, {"reporting", "dotnet", "Data & Analytics", 22},
	{"streaming", "java", "Data & Analytics", 24}, {"data-quality", "python", "Data & Analytics", 19},
	{"insights-api", "go", "Data & Analytics", 17},
	{"mobile-app", "javascript", "Mobile", 30}, {"mobile-backend", "java", "Mobile", 24},
	{"media-processing", "cpp", "Mobile", 26}, {"notifications", "ruby", "Mobile", 21},
	{"mobile-web", "javascript", "Mobile", 24}, {"app-config", "python", "Mobile", 20},
	{"design-system", "javascript", "Mobile", 18},
	{"platform-engineering", "go", "Identity", 45},
}

// teamValidFrom is when the demo teams start to exist: fixed (not relative to the end time) so
// that reloading an hour later upserts the same dimension rows instead of adding new ones.
var teamValidFrom = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

func buildTeams() []team {
	var out []team
	suffixes := [][]string{{"-api", "-worker"}, {"-api", "-worker", "-jobs"}, {"-service", "-ui"}}
	for i, s := range teamSpecs {
		t := team{name: s.name, stack: s.stack, line: s.line, devs: s.devs}
		for _, suf := range suffixes[i%len(suffixes)] {
			t.services = append(t.services, s.name+suf)
		}
		out = append(out, t)
	}
	// Two teams change size during the year (teams has validity ranges for exactly this).
	out[1].changeDaysAgo, out[1].devsAfter = 120, 36   // checkout-web grows
	out[35].changeDaysAgo, out[35].devsAfter = 200, 21 // media-processing shrinks
	return out
}

// platformSpec: the eight demo platforms with their license economics at the end of the year.
// Seats sum to 1,247, cost to $142,000 a month, weighted utilization ≈ 87 %.
type platformSpec struct {
	name, category string
	pipeline       bool
	seats          int
	cost           float64 // monthly cost at the end of the year
	util           float64 // share of seats active
	responseMS     float64 // median probe response time
	service        string  // service name incidents of the platform carry
}

var platforms = []platformSpec{
	{"GitHub Enterprise", "scm", true, 420, 26_000, 0.95, 180, "github-enterprise"},
	{"Nexus Repository", "artifact", true, 150, 14_500, 0.88, 120, "nexus-repository"},
	{"Harness CD", "cd", true, 180, 24_000, 0.84, 250, "harness-cd"},
	{"Fortify", "sast", true, 90, 21_000, 0.71, 420, "fortify"},
	{"Sonatype", "sca", true, 110, 17_500, 0.80, 300, "sonatype-lifecycle"},
	{"Nexus Firewall", "firewall", false, 60, 9_000, 0.90, 90, "nexus-firewall"},
	{"Wiz Cloud Security", "cloud_security", false, 87, 18_500, 0.83, 350, "wiz"},
	{"Cloud Dev Environments", "dev_env", false, 150, 11_500, 0.79, 210, "cloud-dev-environments"},
}

var environments = []struct{ name, typ string }{
	{"dc-frankfurt", "on_prem"}, {"dc-dallas", "on_prem"},
	{"openshift-prod", "private_cloud"}, {"openshift-staging", "private_cloud"},
	{"aws-eu-west-1", "public_cloud"}, {"aws-us-east-1", "public_cloud"},
	{"azure-westeurope", "public_cloud"}, {"aws-dev", "public_cloud"},
}

// funnel steps are event names in product_events.
type funnelSpec struct {
	name, title string
	steps       []string
	window      time.Duration
	share       float64    // share of the tier's product events
	conv        [3]float64 // step conversion at the start of the year (steps 2..4)
	convEnd     [3]float64 // … and at the end
	delay       [3][2]float64
}

var funnels = []funnelSpec{
	{"onboarding", "Developer onboarding", []string{"Sign Up", "Profile Setup", "First Template", "First Deployment"},
		7 * 24 * time.Hour, 0.15, [3]float64{0.66, 0.55, 0.62}, [3]float64{0.78, 0.64, 0.70},
		[3][2]float64{{2, 40}, {60, 2880}, {120, 4320}}}, // minutes: min, max
	{"deployment", "Deployment", []string{"Start Deployment", "Configure Settings", "Build Complete", "Deploy Success"},
		24 * time.Hour, 0.45, [3]float64{0.88, 0.82, 0.91}, [3]float64{0.91, 0.87, 0.94},
		[3][2]float64{{1, 12}, {4, 25}, {3, 20}}},
	{"service_creation", "Service creation", []string{"Select Template", "Configure Service", "Review & Create", "Service Active"},
		7 * 24 * time.Hour, 0.15, [3]float64{0.74, 0.80, 0.88}, [3]float64{0.80, 0.84, 0.91},
		[3][2]float64{{2, 30}, {5, 240}, {10, 90}}},
}

// Events outside the funnels (the rest of the product events budget).
var otherEvents = []string{"Page View", "Search", "Docs Visit", "Template Viewed", "Dashboard Viewed"}

var templates = []string{"spring-boot", "node-express", "react-spa", "fastapi", "go-grpc", "dotnet-webapi", "rust-axum", "rails"}
