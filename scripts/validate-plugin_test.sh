#!/usr/bin/env bash
# Tests scripts/validate-plugin.sh: it must refuse an incomplete dist/ before running anything,
# and, when plugincheck2 is available (PLUGINCHECK2 or the cache), it must pass the real dist/
# and fail a dist/ whose plugin.json is broken. Prints "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
script="$root/scripts/validate-plugin.sh"
pass=0 fail=0
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

expect() { # expect <0|nonzero> <text in output> <description> -- env/command...
  local want="$1" text="$2" what="$3"; shift 4
  local out rc
  out="$("$@" 2>&1)"; rc=$?
  if { [[ $want == 0 && $rc -eq 0 ]] || [[ $want != 0 && $rc -ne 0 ]]; } && [[ "$out" == *"$text"* ]]; then
    pass=$((pass + 1)); echo "ok   $what"
  else
    fail=$((fail + 1)); echo "FAIL $what (exit $rc)"; echo "$out" | tail -15 | sed 's/^/     /'
  fi
}

mkdir -p "$work/empty"
expect nonzero "plugin.json is missing" "empty dist is refused" -- env DIST="$work/empty" bash "$script"

mkdir -p "$work/nobinary"
echo '{"id":"platformlens-analytics-app","info":{"version":"0.1.0"}}' >"$work/nobinary/plugin.json"
expect nonzero "gpx_platformlens_linux_amd64 is missing" "dist without the backend is refused" -- env DIST="$work/nobinary" bash "$script"

cached="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/platformlens}/plugincheck2-${PLUGINCHECK2_VERSION:-v0.45.6}"
checker="${PLUGINCHECK2:-$cached}"
if [[ -x "$checker" && -f "$root/dist/plugin.json" ]]; then
  expect 0 "no errors" "the built dist/ passes plugincheck2" -- env PLUGINCHECK2="$checker" bash "$script"
  cp -a "$root/dist" "$work/broken"
  jq '.type = "nonsense" | del(.info.logos)' "$root/dist/plugin.json" >"$work/broken/plugin.json"
  expect nonzero "plugincheck2 reported errors" "a broken plugin.json fails plugincheck2" -- env PLUGINCHECK2="$checker" DIST="$work/broken" bash "$script"
else
  echo "note: plugincheck2 or dist/ not available; only the input checks ran"
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
