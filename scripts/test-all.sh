#!/usr/bin/env bash
# Runs every test of PlatformLens: the README's test command (`npm run test:all`) calls this.
#
# Stages run in order; a failing stage does not hide the others (each prints its own log tail),
# and the script exits non-zero when any stage failed. The last line counts the stages that did
# not run and ends with the count of individual tests and checks: "… N passed, N failed".
#
# Needs: node_modules (npm ci), Go, a PostgreSQL server reachable as PLATFORMLENS_TEST_DSN
# (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable) by a role that may
# CREATE DATABASE: integration tests create and drop their own databases.
#
# The Go integration tests run once per store mode, each its own stage with its own counts:
#   go-test-postgresql         every package, on PLATFORMLENS_TEST_DSN
#   go-test-timescaledb        the database packages, on PLATFORMLENS_TEST_DSN_TIMESCALEDB
#   go-test-timescaledb-apache the database packages, on PLATFORMLENS_TEST_DSN_TIMESCALEDB_APACHE
# `eval "$(bash ../shared/timescaledb/ensure.sh)"` (what .ci/run does) exports the two TimescaleDB
# DSNs. Without them those stages say NOT RUN, never passed. With them, every database test of the
# stage fails when the server does not offer that mode (PLATFORMLENS_TEST_EXPECT_MODE), and a
# skipped test fails the stage: the TimescaleDB-only checks must run there.
#
# The backend is built for linux/amd64 only (mage buildLinuxAMD64: what the tests start and the
# validator checks); PLATFORMLENS_MAGE_TARGET=buildAll builds every release platform instead.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=${PLATFORMLENS_TEST_LOGS:-$ROOT/.test-logs}
rm -rf "$LOGS" && mkdir -p "$LOGS"
export PLATFORMLENS_TEST_DSN=${PLATFORMLENS_TEST_DSN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
MAGE_TARGET=${PLATFORMLENS_MAGE_TARGET:-buildLinuxAMD64}
# Every Go step builds the way the release does (CGO_ENABLED=0, as mage and the Dockerfile do), so
# vet, the test binaries and the executables the tests build share one build cache: with cgo on,
# the Dockerfile-stage test recompiled every dependency a second time (160 s of a CI run).
export CGO_ENABLED=0

# A fresh clone has no node_modules: install them from the lock file first.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "── npm ci"
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi

passed=0 failed=0 ran=0
declare -a report notrun_names

# stage NAME COMMAND...: runs a stage, logs it, and counts it as one check unless the stage
# reports its own test counts through $LOGS/<name>.counts ("passed failed skipped"). A stage that
# reports counts but ran no test at all (everything skipped) did not run: it is not "1 passed".
stage() {
  local name=$1; shift
  local log="$LOGS/$name.log" start=$SECONDS status
  echo "── $name: $*"
  STAGE=$name "$@" >"$log" 2>&1
  status=$?
  account "$name" "$status" $((SECONDS - start))
}

# stage_bg NAME COMMAND...: starts a stage in the background (its output, exit status and time go
# to $LOGS); stage_wait NAME waits for it and counts it like stage does. The three Go test stages
# run side by side on their three servers: much of their time is spent waiting on the database.
declare -A bg_pids
stage_bg() {
  local name=$1; shift
  echo "── $name (in the background): $*"
  (
    start=$SECONDS
    STAGE=$name "$@" >"$LOGS/$name.log" 2>&1
    status=$?
    echo "$status $((SECONDS - start))" >"$LOGS/$name.status"
  ) &
  bg_pids[$name]=$!
}
stage_wait() {
  local name=$1 status=1 took=0
  wait "${bg_pids[$name]}"
  [[ -f "$LOGS/$name.status" ]] && read -r status took <"$LOGS/$name.status"
  echo "── $name finished"
  account "$name" "$status" "$took"
}

# account NAME STATUS SECONDS: adds a finished stage to the summary.
account() {
  local name=$1 status=$2 took=$3
  local log="$LOGS/$name.log"
  local p=0 f=0 s=0 counted=""
  if [[ -f "$LOGS/$name.counts" ]]; then
    read -r p f s <"$LOGS/$name.counts"
    s=${s:-0} counted=1
  fi
  if [[ $status -eq 3 || ( $status -eq 0 && -n $counted && $p -eq 0 && $f -eq 0 ) ]]; then
    # Exit 3: the stage could not run here (a tool or server that is not available); said
    # loudly, like a stage whose every test skipped.
    notrun_names+=("$name")
    report+=("NOT RUN $name (${took}s): $(tail -n 2 "$log" | tr '\n' ' ')")
    echo "   NOT RUN: $(tail -n 2 "$log")"
    return
  fi
  ran=$((ran + 1))
  local skipped=""
  (( s > 0 )) && skipped=", $s skipped"
  if [[ $status -eq 0 ]]; then
    [[ -z $counted ]] && p=1
    report+=("ok    $name (${took}s, $p passed$skipped)")
  else
    (( f == 0 )) && f=1
    report+=("FAIL  $name (${took}s, $p passed, $f failed$skipped) — log: $log")
    echo "   FAILED after ${took}s; last lines of $log:"
    tail -n 40 "$log" | sed 's/^/   │ /'
  fi
  passed=$((passed + p)); failed=$((failed + f))
}

# go_tests [--strict] PACKAGES...: go test -json, counted per test (subtests included) into the
# stage's counts. --strict (the TimescaleDB stages) fails the stage when any test skipped.
go_tests() {
  local strict=""
  [[ ${1:-} == --strict ]] && { strict=1; shift; }
  local out="$LOGS/$STAGE.json"
  go test -json -count=1 -vet=off -p 2 -timeout 30m "$@" >"$out"
  local status=$?
  local p f s
  p=$(grep '"Action":"pass"' "$out" | grep -c '"Test":')
  f=$(grep '"Action":"fail"' "$out" | grep -c '"Test":')
  s=$(grep '"Action":"skip"' "$out" | grep -c '"Test":')
  # Skipped tests are listed with their reason.
  if (( s > 0 )); then
    echo "$s skipped:"
    grep '"Action":"output"' "$out" | grep -E -- '_test.go:[0-9]+: .*(skip|Skip|SKIP|not installed)' |
      sed 's/.*"Output":"//; s/\\n"}$//' | sort -u | head -n 20
    if [[ -n $strict ]]; then
      echo "FAIL: $s test(s) skipped in the $STAGE stage; every TimescaleDB check must run in its mode"
      f=$((f + s)); status=1
    fi
  fi
  echo "$p $f $s" >"$LOGS/$STAGE.counts"
  # Human-readable failures for the log tail.
  grep '"Action":"output"' "$out" | grep -E -- '--- FAIL|FAIL|panic:' | sed 's/.*"Output":"//; s/\\n"}$//' | head -n 60
  return $status
}

# The packages whose tests use a database (they import internal/testdb): the ones the TimescaleDB
# stages run again; pure unit tests gain nothing from a second and third run.
db_packages() {
  go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... |
    awk '$1 !~ /internal\/testdb$/ && / [^ ]*\/internal\/testdb( |$)/ {print $1}'
}

# go_tests_mode MODE DSN_VARIABLE: the database packages in one TimescaleDB mode, or exit 3.
go_tests_mode() {
  local mode=$1 var=$2
  local dsn=${!var:-}
  if [[ -n ${PLATFORMLENS_TIMESCALEDB_ERROR:-} ]]; then
    echo "$PLATFORMLENS_TIMESCALEDB_ERROR"
    return 1
  fi
  if [[ -z $dsn ]]; then
    echo "$var is not set: no $mode server for this run."
    echo "Get one with: eval \"\$(bash ../shared/timescaledb/ensure.sh)\" (Debian PostgreSQL 15-18, root)"
    return 3
  fi
  local pkgs
  pkgs=$(db_packages) || return 1
  # shellcheck disable=SC2086 # one package per word
  PLATFORMLENS_TEST_DSN=$dsn PLATFORMLENS_TEST_EXPECT_MODE=$mode go_tests --strict $pkgs
}

# The plain-PostgreSQL stage: every package. In CI the server must really be plain PostgreSQL.
go_tests_postgresql() {
  if [[ ${CI:-} == true ]]; then
    PLATFORMLENS_TEST_EXPECT_MODE=postgresql go_tests ./...
  else
    go_tests ./...
  fi
}

jest_tests() {
  local out="$LOGS/jest.json"
  npx jest --ci --maxWorkers=1 --json --outputFile="$out"
  local status=$?
  node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests+" "+(r.numFailedTests+r.numRuntimeErrorTestSuites)+" "+(r.numPendingTests||0))' "$out" >"$LOGS/jest.counts" 2>/dev/null
  return $status
}

# The harness renders every app page and editor in headless Chromium (Debian's chromium) and fails
# when a view throws; it prints "N passed, N failed". Exit 3 (no chromium outside CI): NOT RUN.
screenshot_tests() {
  local out="$LOGS/$STAGE.out"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node scripts/screenshots/run.mjs --check | tee "$out"
  local status=${PIPESTATUS[0]} line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
  [[ -n $line ]] && awk '{print $1, $3, 0}' <<<"${line//,/}" >"$LOGS/$STAGE.counts"
  return "$status"
}

stage typecheck  npm run --silent typecheck
stage lint       npm run --silent lint
stage jest       jest_tests
stage screenshots screenshot_tests
stage go-vet     go vet ./...
stage build-frontend npm run --silent build
stage build-backend  go run github.com/magefile/mage -v "$MAGE_TARGET"
# Compile every test binary once, so the three Go test stages below do not compile the same
# packages side by side (-run '^$' runs no test; vet ran in its own stage).
stage go-test-build go test -count=1 -vet=off -run '^$' ./...
stage_bg go-test-postgresql         go_tests_postgresql
stage_bg go-test-timescaledb        go_tests_mode timescaledb PLATFORMLENS_TEST_DSN_TIMESCALEDB
stage_bg go-test-timescaledb-apache go_tests_mode timescaledb-apache PLATFORMLENS_TEST_DSN_TIMESCALEDB_APACHE
stage_wait go-test-postgresql
stage_wait go-test-timescaledb
stage_wait go-test-timescaledb-apache
stage validate-plugin bash scripts/validate-plugin.sh

echo
echo "Summary"
printf '  %s\n' "${report[@]}"
notrun=${#notrun_names[@]}
if (( notrun > 0 )); then
  echo "$ran stage(s) ran, $notrun NOT RUN (${notrun_names[*]}): $passed passed, $failed failed"
else
  echo "$ran stage(s) ran, 0 NOT RUN: $passed passed, $failed failed"
fi
(( failed == 0 ))
