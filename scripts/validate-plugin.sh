#!/usr/bin/env bash
# Validates the built plugin (dist/) with Grafana's plugin validator, plugincheck2, the same tool
# grafana.com runs on submissions. Fails on any error-level finding.
#
#   scripts/validate-plugin.sh            # validates dist/
#   DIST=/other/dist scripts/validate-plugin.sh
#   REPORT_ALL=1 scripts/validate-plugin.sh   # also list the checks that passed
#
# Getting plugincheck2 (first match wins; the binary is cached per version):
#   1. PLUGINCHECK2=/path/to/plugincheck2
#   2. a cached build in $CACHE_DIR
#   3. `go install github.com/grafana/plugin-validator/pkg/cmd/plugincheck2@$PLUGINCHECK2_VERSION`
#      through the Go module proxy. When none works the script exits 3 ("NOT RUN"), which
#      scripts/test-all.sh reports as not run, never as passed.
#
# The archive is zipped the way Grafana expects: one top-level folder named by the plugin id
# (platformlens-analytics-app/…), executables keeping their exec bit. Analyzers that need the
# internet or external services are disabled (see ANALYZERS_OFF below and the README); the rest
# run offline, with the repository as the source code (-sourceCodeUri file://…).
set -euo pipefail

PLUGINCHECK2_VERSION="${PLUGINCHECK2_VERSION:-v0.45.6}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="${DIST:-$root/dist}"
CACHE_DIR="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/platformlens}"

# Analyzers switched off, with the reason. Each needs a network service this build cannot reach
# (grafana.com API, GitHub API, Google Web Risk, an LLM API, npm packages fetched by npx, the Go
# vulnerability database, osv.dev) or a scanner binary that is not installed.
ANALYZERS_OFF=(
  "brokenlinks:fetches every link of the README over HTTP"
  "circulardependencies:queries grafana.com for the dependencies' published versions"
  "codediff:downloads the previously published version from grafana.com"
  "legacyplatform:downloads Angular detection patterns from grafana.com"
  "llmreview:sends source code to an LLM API (needs an API key)"
  "metadataschema:downloads plugin.schema.json from GitHub"
  "org:looks the plugin id's organisation up on grafana.com"
  "osv-scanner:queries osv.dev for vulnerable dependencies"
  "govulncheck:downloads the Go vulnerability database"
  "plugindocs:runs a documentation checker fetched by npx"
  "provenance:asks the GitHub API for build attestations"
  "published-plugin:asks grafana.com for the latest published version"
  "reactcompat:runs react-detect fetched by npx"
  "safelinks:checks links against Google Web Risk"
  "sdkusage:asks GitHub for the latest grafana-plugin-sdk-go release"
  "signature:downloads grafana.com signing keys (the plugin is unsigned until release signing)"
  "version:compares with the version published on grafana.com"
)

die() { echo "validate-plugin: $*" >&2; exit 1; }

find_plugincheck2() {
  if [[ -n "${PLUGINCHECK2:-}" ]]; then
    [[ -x "$PLUGINCHECK2" ]] || die "PLUGINCHECK2=$PLUGINCHECK2 is not an executable"
    echo "$PLUGINCHECK2"; return
  fi
  local cached="$CACHE_DIR/plugincheck2-$PLUGINCHECK2_VERSION"
  if [[ -x "$cached" ]]; then echo "$cached"; return; fi
  mkdir -p "$CACHE_DIR"
  echo "validate-plugin: installing plugincheck2 $PLUGINCHECK2_VERSION with go install" >&2
  if ! GOBIN="$CACHE_DIR/bin" go install "github.com/grafana/plugin-validator/pkg/cmd/plugincheck2@$PLUGINCHECK2_VERSION" >&2; then
    # Exit 3 = "could not run": the caller reports the stage as NOT RUN (never as passed).
    echo "validate-plugin: NOT RUN: go install of plugincheck2 $PLUGINCHECK2_VERSION failed (the Go module
proxy may refuse the module with 403 'not available'). Point PLUGINCHECK2 at a plugincheck2 binary." >&2
    exit 3
  fi
  mv "$CACHE_DIR/bin/plugincheck2" "$cached"
  echo "$cached"
}

[[ -f "$dist/plugin.json" ]] || die "$dist/plugin.json is missing: build the plugin first (npm run build && go run github.com/magefile/mage -v)"
plugin_id="$(jq -er .id "$dist/plugin.json")" || die "$dist/plugin.json has no id"
[[ -f "$dist/datasource/gpx_platformlens_linux_amd64" ]] \
  || die "$dist/datasource/gpx_platformlens_linux_amd64 is missing: run go run github.com/magefile/mage -v build:linux build:linuxARM64"

checker="$(find_plugincheck2)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Zip: <plugin id>/… at the top level, as Grafana's installer and the catalog expect.
cp -a "$dist" "$work/$plugin_id"
chmod 0755 "$work/$plugin_id"/datasource/gpx_platformlens_* 2>/dev/null || true
version="$(jq -r '.info.version // "0.0.0"' "$dist/plugin.json")"
archive="$work/$plugin_id-$version.zip"
(cd "$work" && zip -qr "$archive" "$plugin_id")

config="$work/plugincheck2.yaml"
{
  echo "global:"
  echo "  enabled: true"
  echo "  severity: warning"
  # REPORT_ALL=1 lists the checks that passed too.
  [[ "${REPORT_ALL:-}" == 1 ]] && echo "  reportAll: true"
  echo "analyzers:"
  for entry in "${ANALYZERS_OFF[@]}"; do
    echo "  ${entry%%:*}:  # ${entry#*:}"
    echo "    enabled: false"
  done
} >"$config"

echo "validate-plugin: $checker on $(basename "$archive") with ${#ANALYZERS_OFF[@]} online analyzers off" >&2
status=0
"$checker" -config "$config" -sourceCodeUri "file://$root" "$archive" || status=$?
if [[ $status -ne 0 ]]; then
  die "plugincheck2 reported errors (exit $status); see the findings above"
fi
echo "validate-plugin: no errors" >&2
