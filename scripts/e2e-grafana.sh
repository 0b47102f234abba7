#!/usr/bin/env bash
# Starts and stops a real Grafana server for the API-level e2e tests, on 127.0.0.1 only.
#
#   scripts/e2e-grafana.sh start [--grafana-only]
#                                  → prints the state directory; source "$dir/env" for the tests.
#                                    --grafana-only: no plugin, no database (checks that Grafana and
#                                    our provisioning files start cleanly before dist/ exists)
#   scripts/e2e-grafana.sh stop DIR [keep]
#
# start: a temporary home (conf/ copied and public/ linked from the Grafana module in the Go
# module cache), custom.ini (free port, sqlite in the temp dir, no analytics/update checks, our
# unsigned plugin ids allowed), our dist/ linked as the app plugin, a copy of provisioning/ whose
# alert rule group evaluates every 10 s with `for: 0s` (test-only), and a fresh PostgreSQL database
# migrated and loaded with the demo data (tier S) by the project's CLI.
#
# Inputs: GRAFANA_BIN and GRAFANA_HOMEPATH (default: what scripts/e2e-build-grafana.sh built),
# PLATFORMLENS_TEST_DSN (admin DSN of the PostgreSQL server; default postgres@127.0.0.1:5432).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

die() { echo "e2e-grafana: $*" >&2; exit 1; }

# db_url DSN DBNAME → the DSN with its database replaced.
db_url() { python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$1" "$2"; }

start() {
  local only="${1:-}"
  if [[ -n "$only" && "$only" != "--grafana-only" ]]; then die "unknown option $only"; fi
  if [[ -z "$only" ]]; then
    [[ -d "$repo/dist" ]] || die "dist/ is missing: build the plugin first (npm run build && go run github.com/magefile/mage -v)"
    ls "$repo"/dist/datasource/gpx_platformlens_linux_* >/dev/null 2>&1 \
      || die "dist/datasource/gpx_platformlens_linux_* is missing: build the backend (go run github.com/magefile/mage -v)"
    [[ -d "$repo/cmd/platformlens" ]] || die "cmd/platformlens is missing: the CLI loads the demo data"
  fi
  local bin="${GRAFANA_BIN:-}" homepath="${GRAFANA_HOMEPATH:-}"
  if [[ -z "$bin" ]]; then
    bin="$("$here/e2e-build-grafana.sh" | tail -n1)"
    homepath="$(cat "$(dirname "$(dirname "$bin")")/moddir")"
  fi
  [[ -x "$bin" ]] || die "Grafana binary $bin is not executable"
  [[ -f "$homepath/conf/defaults.ini" && -d "$homepath/public/views" ]] \
    || die "GRAFANA_HOMEPATH=$homepath has no conf/defaults.ini or public/views"

  local dir; dir="$(mktemp -d "${TMPDIR:-/tmp}/platformlens-e2e.XXXXXX")"
  mkdir -p "$dir/home" "$dir/data" "$dir/logs" "$dir/plugins"
  cp -r "$homepath/conf" "$dir/home/conf"
  chmod -R u+w "$dir/home/conf"
  ln -s "$homepath/public" "$dir/home/public"
  [[ -n "$only" ]] || ln -s "$repo/dist" "$dir/plugins/platformlens-analytics-app"

  # Test-only copy of the provisioning: the rule group evaluates every 10 s and fires at once.
  cp -r "$repo/provisioning" "$dir/provisioning"
  sed -i -e 's/^\(    interval:\) .*/\1 10s/' -e 's/^\(        for:\) .*/\1 0s/' "$dir/provisioning/alerting/rules.yaml"
  [[ -z "$only" ]] || rm -f "$dir/provisioning/plugins/app.yaml"

  # Database: a fresh one per run, migrated and loaded with the demo data.
  local admin_dsn="${PLATFORMLENS_TEST_DSN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
  local db="platformlens_e2e_$$" dsn
  if [[ -n "$only" ]]; then
    dsn="$(db_url "$admin_dsn" "$db")" # not created: the datasource is provisioned but unused
  else
    psql "$admin_dsn" -qAtc "CREATE DATABASE $db" >/dev/null || die "cannot create database $db with $admin_dsn"
    dsn="$(db_url "$admin_dsn" "$db")"
    echo "$admin_dsn" > "$dir/admin_dsn"; echo "$db" > "$dir/db"
    ( cd "$repo" && go run ./cmd/platformlens migrate --dsn "$dsn" && go run ./cmd/platformlens demo --tier S --dsn "$dsn" ) \
      > "$dir/logs/seed.log" 2>&1 || { cat "$dir/logs/seed.log" >&2; stop "$dir" keep; die "seeding $db failed (log above)"; }
  fi

  local port; port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  local pw; pw="e2e-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
  cat > "$dir/custom.ini" <<INI
[server]
http_addr = 127.0.0.1
http_port = $port
[database]
type = sqlite3
path = $dir/data/grafana.db
[paths]
data = $dir/data
logs = $dir/logs
plugins = $dir/plugins
provisioning = $dir/provisioning
[analytics]
reporting_enabled = false
check_for_updates = false
check_for_plugin_updates = false
feedback_links_enabled = false
[security]
admin_user = admin
admin_password = $pw
disable_gravatar = true
[snapshots]
external_enabled = false
[news]
news_feed_enabled = false
[plugins]
allow_loading_unsigned_plugins = platformlens-analytics-app,platformlens-analytics-datasource
[unified_alerting]
min_interval = 10s
[log]
mode = file
level = info
INI
  local u; u="$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print("\n".join([p.hostname or "127.0.0.1", str(p.port or 5432), p.username or "postgres", u.unquote(p.password or "")]))' "$dsn")"
  mapfile -t parts <<<"$u"
  cat > "$dir/env" <<ENV
export GRAFANA_URL=http://127.0.0.1:$port
export GRAFANA_ADMIN_USER=admin
export GRAFANA_ADMIN_PASSWORD=$pw
export PLATFORMLENS_E2E_DSN='$dsn'
export PLATFORMLENS_DASHBOARDS_DIR='$repo/dashboards'
ENV
  (
    export GF_PLUGINS_PREINSTALL_DISABLED=true
    export PLATFORMLENS_DB_HOST="${parts[0]}" PLATFORMLENS_DB_PORT="${parts[1]}" PLATFORMLENS_DB_USER="${parts[2]}"
    export PLATFORMLENS_DB_PASSWORD="${parts[3]:-}" PLATFORMLENS_DB_NAME="$db" PLATFORMLENS_DB_SCHEMA=platformlens
    export PLATFORMLENS_DB_SSLMODE=disable PLATFORMLENS_DASHBOARDS_DIR="$repo/dashboards"
    # Contact points point at a closed local port: nothing leaves the machine.
    export PLATFORMLENS_PAGER_WEBHOOK_URL=http://127.0.0.1:9/pager PLATFORMLENS_PAGER_TOKEN=e2e
    export PLATFORMLENS_SLACK_WEBHOOK_URL=http://127.0.0.1:9/slack PLATFORMLENS_ALERT_EMAILS=e2e@example.invalid
    cd "$dir/home"
    exec "$bin" server --homepath "$dir/home" --config "$dir/custom.ini" >"$dir/logs/stdout.log" 2>&1
  ) &
  echo $! > "$dir/pid"

  local deadline=$((SECONDS + ${GRAFANA_START_TIMEOUT:-180}))
  until curl -fsS -m 5 "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      logs "$dir"; stop "$dir" keep; die "Grafana exited during start-up (logs above)"
    fi
    if (( SECONDS > deadline )); then
      logs "$dir"; stop "$dir" keep; die "Grafana did not answer /api/health within ${GRAFANA_START_TIMEOUT:-180} s"
    fi
    sleep 1
  done
  echo "e2e-grafana: Grafana $("$bin" -v 2>/dev/null | head -n1) on http://127.0.0.1:$port (state in $dir)" >&2
  echo "$dir"
}

logs() {
  local dir="$1"
  for f in "$dir"/logs/stdout.log "$dir"/logs/grafana.log; do
    if [[ -f "$f" ]]; then echo "── $f (last 80 lines)" >&2; tail -n 80 "$f" >&2; fi
  done
  return 0
}

stop() {
  local dir="$1" keep="${2:-}"
  if [[ -f "$dir/pid" ]]; then
    local pid; pid="$(cat "$dir/pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  if [[ -f "$dir/db" ]]; then
    psql "$(cat "$dir/admin_dsn")" -qAtc "DROP DATABASE IF EXISTS $(cat "$dir/db") WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if [[ -n "$keep" ]]; then echo "e2e-grafana: logs kept in $dir/logs" >&2; else rm -rf "$dir"; fi
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) [[ -n "${2:-}" ]] || die "usage: $0 stop DIR [keep]"; stop "$2" "${3:-}" ;;
  logs) logs "$2" ;;
  *) die "usage: $0 start | stop DIR [keep] | logs DIR" ;;
esac
