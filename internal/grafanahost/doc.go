// Package grafanahost plays Grafana's part against the built backend executable, so the contract
// with Grafana is proven without a Grafana server (none can run on our build machines, and
// Grafana's server is never built or downloaded by this project).
//
// Its tests start dist/datasource/gpx_platformlens_<os>_<arch> exactly the way Grafana does:
// hashicorp/go-plugin with the SDK's handshake (magic cookie grafana_plugin_type=datasource,
// protocol version 2) over gRPC, then call the pluginv2 Data, Diagnostics and Resource services
// with the plugin context Grafana sends (org, user and role, instance settings built from
// provisioning/datasources/*.yaml, the FromAlert header for alert queries).
//
// Against a real database loaded with demo tier S at a fixed clock (demoEnd), the suite sends
// every panel target of every provisioned dashboard as the browser would (template variables
// interpolated like the frontend's applyTemplateVariables, panel time overrides, intervalMs and
// maxDataPoints for a 1,600 px panel) and checks each panel type's frame shape; evaluates every
// alert rule of provisioning/alerting/rules.yaml with a small reduce/math/threshold evaluator on
// healthy, failing and recovered data; and checks every resource route for every role.
//
// The executable comes from `go run github.com/magefile/mage -v build:linux` (or `npm run
// test:all`, whose build stage runs first). When it is missing the suite builds it with `go
// build` into a temporary directory and says so; under CI=true a missing build fails instead,
// because CI must test the artifact it ships.
package grafanahost
