#!/usr/bin/env bash
# Runs every test of PlatformLens: the README's test command (`npm run test:all`) calls this.
#
# Order: with PLATFORMLENS_TIMESCALEDB_ENSURE=path/to/ensure.sh, the TimescaleDB build and its two
# clusters (stage timescaledb-setup) start in the background first; npm ci (when needed) and the Go
# module download run side by side; then typecheck, lint, jest, screenshots, go vet, the frontend
# and backend builds and one compile of every Go test binary, one after another; then the Go tests
# of the three store modes, each a stage of its own, side by side;
# then the plugin validator. A failing stage does not hide the others (each prints its own log
# tail), and the script exits non-zero when any stage failed. The last line counts the stages that
# did not run and ends with the count of individual tests and checks: "… N passed, N failed".
#
# Needs: Node.js, Go, a PostgreSQL server reachable as PLATFORMLENS_TEST_DSN
# (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable) by a role that may
# CREATE DATABASE: integration tests create and drop their own databases.
#
# The Go integration tests run once per store mode, each its own stage with its own counts:
#   go-test-postgresql         every package, on PLATFORMLENS_TEST_DSN
#   go-test-timescaledb        the database packages, on PLATFORMLENS_TEST_DSN_TIMESCALEDB
#   go-test-timescaledb-apache the database packages, on PLATFORMLENS_TEST_DSN_TIMESCALEDB_APACHE
# The two TimescaleDB DSNs come from the environment or from the timescaledb-setup stage
# (PLATFORMLENS_TIMESCALEDB_ENSURE=../shared/timescaledb/ensure.sh). Without them those stages
# say NOT RUN, never passed. With them, every database test of the stage fails when the server
# does not offer that mode (PLATFORMLENS_TEST_EXPECT_MODE), and a skipped test fails the stage:
# the TimescaleDB-only checks must run there.
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
# …and with the build tag the plugin SDK's build (mage) always sets: without it in vet and the test
# binaries, Apache Arrow and every package above it compiled twice (once per tag set; the tagged
# plugin build alone took 19 s, 30 CPU-seconds, on top of an untagged cache), and goccy/go-json
# once more; the tests then also run the JSON code that ships.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-tags=arrow_json_stdlib"
T0=$SECONDS

# Tests whose subject does not depend on the store mode run in the postgresql stage only: the
# Dockerfile's Go builds, the plugin executable's gRPC contract with Grafana (its panel values are
# compared with the engine, whose per-mode answers the dashboards and metrics tests check in every
# stage), the background demo-load job and the CLI's progress/interrupt handling (the load itself is
# TestLoadTierS, run in every stage). Everything else in the database packages runs in all three.
MODE_INDEPENDENT_TESTS=(
  TestBackendStageBuilds
  TestGrafanaHost
  TestExecutableMixedLoadMemory
  TestDemoLoadRunsInTheBackground
  TestDemoProgressAndInterrupt
)

# run_stage NAME COMMAND...: runs one stage, its output in $LOGS/NAME.log, its exit status and
# seconds in $LOGS/NAME.status (read by account at the end, also for stages run in the background).
run_stage() {
  local name=$1; shift
  local start=$SECONDS status
  echo "── $name ($((SECONDS - T0))s): $*"
  STAGE=$name "$@" >"$LOGS/$name.log" 2>&1
  status=$?
  echo "$status $((SECONDS - start))" >"$LOGS/$name.status"
  echo "── $name finished ($((SECONDS - T0))s): exit $status after $((SECONDS - start))s"
  return $status
}

passed=0 failed=0 ran=0
declare -a report notrun_names

# account NAME: adds a finished stage to the summary. A stage may report its own test counts
# through $LOGS/<name>.counts ("passed failed skipped"); one that reports counts but ran no test at
# all (everything skipped) did not run: it is not "1 passed".
account() {
  local name=$1 status=1 took=0
  local log="$LOGS/$name.log"
  [[ -f "$LOGS/$name.status" ]] && read -r status took <"$LOGS/$name.status"
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
    echo "   $name FAILED after ${took}s; last lines of $log:"
    tail -n 40 "$log" | sed 's/^/   │ /'
  fi
  passed=$((passed + p)); failed=$((failed + f))
}

# go_tests [--strict] [GO TEST FLAGS] PACKAGES...: go test -json, counted per test (subtests
# included) into the stage's counts. --strict (the TimescaleDB stages) fails the stage when any
# test skipped.
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

# timescaledb_setup: runs $PLATFORMLENS_TIMESCALEDB_ENSURE and keeps only its two DSN lines (the
# cluster tools may print other lines on stdout, e.g. "Removed stale pid file.", which must never
# be run as commands) in $LOGS/timescaledb.env. Exit 3 from the script: it cannot run here.
timescaledb_setup() {
  local out="$LOGS/timescaledb-setup.out" status=0
  bash "$PLATFORMLENS_TIMESCALEDB_ENSURE" >"$out" || status=$?
  cat "$out"
  if (( status == 3 )); then
    echo "TimescaleDB cannot be set up on this machine (exit 3): the TimescaleDB test stages will say NOT RUN."
    return 3
  fi
  if (( status != 0 )); then
    echo "$PLATFORMLENS_TIMESCALEDB_ENSURE failed with exit $status"
    return 1
  fi
  grep -E '^PLATFORMLENS_TEST_DSN_TIMESCALEDB(_APACHE)?=postgres://[^[:space:]]+$' "$out" >"$LOGS/timescaledb.env"
  if [[ $(wc -l <"$LOGS/timescaledb.env") -ne 2 ]]; then
    echo "$PLATFORMLENS_TIMESCALEDB_ENSURE exited 0 without printing both DSN lines"
    return 1
  fi
}

# timescaledb_dsns: after the setup stage, exports its DSNs, or the reason the stages must fail.
timescaledb_dsns() {
  [[ -n ${PLATFORMLENS_TIMESCALEDB_ENSURE:-} ]] || return 0
  wait "$timescaledb_setup_pid"
  local status
  read -r status _ <"$LOGS/timescaledb-setup.status"
  if (( status == 0 )); then
    local name value
    while IFS='=' read -r name value; do
      [[ -n $name ]] && export "$name=$value"
    done <"$LOGS/timescaledb.env"
  elif (( status != 3 )); then
    # A broken build must not look like a machine without TimescaleDB: those stages fail.
    export PLATFORMLENS_TIMESCALEDB_ERROR="the timescaledb-setup stage failed (see $LOGS/timescaledb-setup.log)"
  fi
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
    echo "Get one with: PLATFORMLENS_TIMESCALEDB_ENSURE=../shared/timescaledb/ensure.sh npm run test:all (Debian PostgreSQL 15-18, root)"
    return 3
  fi
  local pkgs skip
  pkgs=$(db_packages) || return 1
  skip="^($(IFS='|'; echo "${MODE_INDEPENDENT_TESTS[*]}"))\$"
  # shellcheck disable=SC2086 # one package per word
  PLATFORMLENS_TEST_DSN=$dsn PLATFORMLENS_TEST_EXPECT_MODE=$mode go_tests --strict -skip "$skip" $pkgs
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

go_modules() { go mod download && go mod verify; }

# A fresh clone has no node_modules: install them from the lock file first.
npm_install() {
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    echo "node_modules is up to date"
  fi
}

# The Go test stages: the three run side by side on their three servers (much of their time is
# spent waiting on the database); the postgresql stage does not wait for the TimescaleDB build.
go_test_stages() {
  run_stage go-test-postgresql go_tests_postgresql &
  local pg=$!
  timescaledb_dsns
  run_stage go-test-timescaledb go_tests_mode timescaledb PLATFORMLENS_TEST_DSN_TIMESCALEDB &
  local ts=$!
  run_stage go-test-timescaledb-apache go_tests_mode timescaledb-apache PLATFORMLENS_TEST_DSN_TIMESCALEDB_APACHE &
  wait "$pg" "$ts" $!
}

stages=()
if [[ -n ${PLATFORMLENS_TIMESCALEDB_ENSURE:-} ]]; then
  if [[ -n ${PLATFORMLENS_TEST_DSN_TIMESCALEDB:-} ]]; then
    echo "PLATFORMLENS_TEST_DSN_TIMESCALEDB is set: PLATFORMLENS_TIMESCALEDB_ENSURE is not used"
    unset PLATFORMLENS_TIMESCALEDB_ENSURE
  else
    stages+=(timescaledb-setup)
    run_stage timescaledb-setup timescaledb_setup &
    timescaledb_setup_pid=$!
  fi
fi
stages+=(npm-install go-modules typecheck lint jest screenshots go-vet build-frontend build-backend
  go-test-build go-test-postgresql go-test-timescaledb go-test-timescaledb-apache validate-plugin)
# The downloads run side by side (they wait on the network), with the TimescaleDB build.
run_stage npm-install npm_install &
npm_pid=$!
run_stage go-modules go_modules
wait "$npm_pid"
# The CPU-bound stages run one after another: run side by side on two cores (and beside the
# TimescaleDB build) they slowed each other down more than they gained — a cold run took 1,098 s
# that way against 1,038 s in order.
run_stage typecheck npm run --silent typecheck
run_stage lint npm run --silent lint
run_stage jest jest_tests
run_stage screenshots screenshot_tests
run_stage go-vet go vet ./...
run_stage build-frontend npm run --silent build
run_stage build-backend go run github.com/magefile/mage -v "$MAGE_TARGET"
# Compile every test binary once, so the three Go test stages do not compile the same packages
# side by side (-run '^$' runs no test; vet ran in its own stage).
run_stage go-test-build go test -count=1 -vet=off -run '^$' ./...
go_test_stages
wait
run_stage validate-plugin bash scripts/validate-plugin.sh

echo
echo "Summary ($((SECONDS - T0))s)"
for name in "${stages[@]}"; do account "$name"; done
printf '  %s\n' "${report[@]}"
echo "  (postgresql stage only, mode-independent: ${MODE_INDEPENDENT_TESTS[*]})"
notrun=${#notrun_names[@]}
if (( notrun > 0 )); then
  echo "$ran stage(s) ran, $notrun NOT RUN (${notrun_names[*]}): $passed passed, $failed failed"
else
  echo "$ran stage(s) ran, 0 NOT RUN: $passed passed, $failed failed"
fi
(( failed == 0 ))
