#!/usr/bin/env bash
# API-level end-to-end tests against a real Grafana server (see e2e/README.md).
# Builds Grafana's server from the pinned Go module if the cached binary is missing (nothing else:
# dist/ must already hold the built plugin), starts it with scripts/e2e-grafana.sh, runs the Go
# tests of e2e/, stops Grafana and prints "N passed, N failed". Exits non-zero on any failure.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
t0=$SECONDS

dir="$("$here/e2e-grafana.sh" start)"
if [[ $? -ne 0 || -z "$dir" ]]; then
  echo "e2e: Grafana could not be started (see above)"
  echo "0 passed, 1 failed"
  exit 1
fi
started=$SECONDS
# shellcheck disable=SC1091
source "$dir/env"

(cd "$here/../e2e" && go test -count=1 -v -timeout "${E2E_TEST_TIMEOUT:-15m}" ./...) 2>&1 | tee "$dir/logs/test.log"
rc=${PIPESTATUS[0]}
passed=$(grep -c -- '--- PASS:' "$dir/logs/test.log")
failed=$(grep -c -- '--- FAIL:' "$dir/logs/test.log")
skipped=$(grep -c -- '--- SKIP:' "$dir/logs/test.log")
if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi # build failure or panic

if [[ $rc -ne 0 ]]; then
  "$here/e2e-grafana.sh" logs "$dir"
  "$here/e2e-grafana.sh" stop "$dir" keep
else
  "$here/e2e-grafana.sh" stop "$dir"
fi
echo "e2e: Grafana start $((started - t0)) s, tests $((SECONDS - started)) s"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $rc
