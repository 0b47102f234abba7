#!/usr/bin/env bash
# Builds Grafana's server command (github.com/grafana/grafana/pkg/cmd/grafana) from the Go module
# proxy into a cache directory outside the repository, for the API-level e2e tests.
#
# Why a generated wrapper module: Grafana's root module has no /v12 suffix, so a release can only be
# pinned as the pseudo-version of its tag's commit, and the replace/exclude directives of Grafana's
# go.mod are not inherited by a module that depends on it. The wrapper copies them from the pinned
# version's own go.mod (read with `go mod edit -json`), so a version bump is a one-line change here.
#
# Output: prints the path of the binary on the last line of stdout. The build is skipped when the
# cached binary was built from the same pin and tags.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# Pin: pseudo-version of the commit of a Grafana release (the root module has no /v12 suffix, so
# tags cannot be used). The goal is a 12.x release >= 12.0.3 (pkg/server/wire_gen.go committed),
# but the Go module proxy reachable from this workplace answers "This module version is not
# available" for every 12.x-era version tried (e2e/README.md lists them). The default is therefore
# the newest root-module version it serves: a 10.0.0-preview snapshot of main (2023-06-09), which
# builds and runs here (its wire injectors are generated below). Override with
# GRAFANA_MODULE_VERSION=v1.9.2-0.<commit time>-<sha12> of a 12.x release tag where that resolves.
FALLBACK_VERSION=v1.9.2-0.20230609164553-81d85ce8028d
GRAFANA_MODULE_VERSION="${GRAFANA_MODULE_VERSION:-$FALLBACK_VERSION}"
if [[ "$GRAFANA_MODULE_VERSION" == "$FALLBACK_VERSION" ]]; then
  GRAFANA_VERSION_LABEL="${GRAFANA_VERSION_LABEL:-10.0.0-pre+81d85ce8028d}"
fi
GRAFANA_BUILD_TAGS="${GRAFANA_BUILD_TAGS:-gms_pure_go}"
CACHE="${PLATFORMLENS_E2E_CACHE:-$HOME/.cache/platformlens-e2e}"

work="$CACHE/grafana-$GRAFANA_MODULE_VERSION"
bin="$work/bin/grafana"
stamp="$work/stamp"
want="$GRAFANA_MODULE_VERSION tags=$GRAFANA_BUILD_TAGS go=$(go env GOVERSION)"
if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "e2e-build-grafana: cached $bin ($want)" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$work/wrapper" "$work/bin"
cd "$work/wrapper"
start=$(date +%s)

echo "e2e-build-grafana: downloading github.com/grafana/grafana@$GRAFANA_MODULE_VERSION" >&2
info="$(go mod download -json "github.com/grafana/grafana@$GRAFANA_MODULE_VERSION")" || {
  echo "e2e-build-grafana: the Go module proxy did not serve github.com/grafana/grafana@$GRAFANA_MODULE_VERSION" >&2
  echo "$info" >&2
  exit 1
}
gomod="$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
moddir="$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -f "$gomod" && -d "$moddir" ]] || { echo "e2e-build-grafana: could not locate go.mod/Dir in: $info" >&2; exit 1; }
printf '%s\n' "$moddir" > "$work/moddir"

rm -f go.mod go.sum
go mod init platformlens.local/e2e-grafana >/dev/null 2>&1
# Grafana's own go.sum pins the hash of every dependency at that version: the go command checks
# each download against it (and asks the checksum database only for modules it does not list).
cp "$moddir/go.sum" go.sum && chmod u+w go.sum
go mod edit -go="$(go env GOVERSION | sed 's/^go//')" -require="github.com/grafana/grafana@$GRAFANA_MODULE_VERSION"

# Mirror replace and exclude directives. Local-path replacements (./x) point into the module cache.
"$here/e2e-grafana-modmirror.sh" "$gomod" "$moddir" | while IFS= read -r flag; do
  go mod edit "$flag"
done

echo "e2e-build-grafana: resolving dependencies" >&2
go get "github.com/grafana/grafana/pkg/cmd/grafana@$GRAFANA_MODULE_VERSION" >&2
resolved=$(date +%s)

# Releases before 12.0.3 do not commit the wire-generated injectors (pkg/server/wire_gen.go):
# generate them in a writable copy of the module and build from that copy (the go command refuses
# -overlay files under GOMODCACHE).
wire_pkgs=()
for pkg in pkg/server pkg/cmd/grafana-cli/runner; do
  if [[ -f "$moddir/$pkg/wire.go" && ! -f "$moddir/$pkg/wire_gen.go" ]]; then wire_pkgs+=("./$pkg"); fi
done
if (( ${#wire_pkgs[@]} > 0 )); then
  echo "e2e-build-grafana: generating wire injectors for ${wire_pkgs[*]} (not committed in this version)" >&2
  rm -rf "$work/src" && cp -r "$moddir" "$work/src" && chmod -R u+w "$work/src"
  (cd "$work/src" && nice -n 15 go run github.com/google/wire/cmd/wire@v0.7.0 gen -tags oss "${wire_pkgs[@]}" >&2)
  go mod edit -replace="github.com/grafana/grafana=$work/src"
fi

echo "e2e-build-grafana: compiling (nice -n 15, tags: $GRAFANA_BUILD_TAGS)" >&2
nice -n 15 go build -tags "$GRAFANA_BUILD_TAGS" -trimpath \
  -ldflags "-X main.version=${GRAFANA_VERSION_LABEL:-$GRAFANA_MODULE_VERSION}" \
  -o "$bin.tmp" github.com/grafana/grafana/pkg/cmd/grafana
mv "$bin.tmp" "$bin"
printf '%s\n' "$want" > "$stamp"
end=$(date +%s)
echo "e2e-build-grafana: built $bin in $((end - start)) s (download+resolve $((resolved - start)) s, compile $((end - resolved)) s), size $(du -m "$bin" | cut -f1) MiB" >&2
echo "$bin"
