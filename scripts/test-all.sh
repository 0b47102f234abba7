#!/usr/bin/env bash
# Runs every test of PlatformLens: the README's test command (`npm run test:all`) calls this.
#
# Stages run in order; a failing stage does not hide the others (each prints its own log tail),
# and the script exits non-zero when any stage failed. The last line is the count of individual
# tests and checks: "N passed, N failed".
#
# Needs: node_modules (npm ci), Go, a PostgreSQL server reachable as PLATFORMLENS_TEST_DSN
# (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable) by a role that may
# CREATE DATABASE: integration tests create and drop their own databases.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=${PLATFORMLENS_TEST_LOGS:-$ROOT/.test-logs}
rm -rf "$LOGS" && mkdir -p "$LOGS"
export PLATFORMLENS_TEST_DSN=${PLATFORMLENS_TEST_DSN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# A fresh clone has no node_modules: install them from the lock file first.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "── npm ci"
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi

passed=0 failed=0 notrun=0
declare -a report

# stage NAME COMMAND...: runs a stage, logs it, and counts it as one check unless the stage
# reports its own test counts through $LOGS/<name>.counts ("passed failed").
stage() {
  local name=$1; shift
  local log="$LOGS/$name.log" start=$SECONDS status
  echo "── $name: $*"
  "$@" >"$log" 2>&1
  status=$?
  local took=$((SECONDS - start))
  local p=0 f=0
  if [[ -f "$LOGS/$name.counts" ]]; then
    read -r p f <"$LOGS/$name.counts"
  fi
  if [[ $status -eq 0 ]]; then
    (( p == 0 && f == 0 )) && p=1
    local skipped=""
    [[ -f "$LOGS/$name.log" ]] && skipped=$(grep -m1 -E '^[0-9]+ skipped:' "$log" | cut -d: -f1)
    report+=("ok    $name (${took}s, $p passed${skipped:+, $skipped})")
  elif [[ $status -eq 3 ]]; then
    # Exit 3: the stage could not run here (a tool that cannot be installed); said loudly.
    notrun=$((notrun + 1))
    report+=("NOT RUN $name (${took}s): $(tail -n 2 "$log" | tr '\n' ' ')")
    echo "   NOT RUN: $(tail -n 2 "$log")"
    return
  else
    (( f == 0 )) && f=1
    report+=("FAIL  $name (${took}s, $p passed, $f failed) — log: $log")
    echo "   FAILED after ${took}s; last lines of $log:"
    tail -n 40 "$log" | sed 's/^/   │ /'
  fi
  passed=$((passed + p)); failed=$((failed + f))
}

# go test -json, counted per test (subtests included).
go_tests() {
  local out="$LOGS/go-test.json"
  go test -json -count=1 -p 2 -timeout 20m "$@" >"$out"
  local status=$?
  local p f s
  p=$(grep '"Action":"pass"' "$out" | grep -c '"Test":')
  f=$(grep '"Action":"fail"' "$out" | grep -c '"Test":')
  s=$(grep '"Action":"skip"' "$out" | grep -c '"Test":')
  echo "$p $f" >"$LOGS/go-test.counts"
  # Skipped tests (TimescaleDB-only checks on plain PostgreSQL) are listed with their reason.
  if (( s > 0 )); then
    echo "$s skipped:"
    grep '"Action":"output"' "$out" | grep -E -- '_test.go:[0-9]+: .*(skip|Skip|SKIP|not installed)' | sed 's/.*"Output":"//; s/\\n"}$//' | sort -u | head -n 20
  fi
  # Human-readable failures for the log tail.
  grep '"Action":"output"' "$out" | grep -E -- '--- FAIL|FAIL|panic:' | sed 's/.*"Output":"//; s/\\n"}$//' | head -n 60
  return $status
}

jest_tests() {
  local out="$LOGS/jest.json"
  npx jest --ci --maxWorkers=1 --json --outputFile="$out"
  local status=$?
  node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests+" "+(r.numFailedTests+r.numRuntimeErrorTestSuites))' "$out" >"$LOGS/jest.counts" 2>/dev/null
  return $status
}

stage typecheck  npm run --silent typecheck
stage lint       npm run --silent lint
stage jest       jest_tests
stage go-vet     go vet ./...
stage build-frontend npm run --silent build
stage build-backend  go run github.com/magefile/mage -v
stage go-test    go_tests ./...
stage validate-plugin bash scripts/validate-plugin.sh

echo
echo "Summary"
printf '  %s\n' "${report[@]}"
(( notrun > 0 )) && echo "  ($notrun stage(s) could not run on this machine: see NOT RUN above)"
echo "$passed passed, $failed failed"
(( failed == 0 ))
