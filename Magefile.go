//go:build mage

// Magefile builds the backend executable of the nested datasource with the Grafana plugin SDK's
// build targets. Run it with the mage version pinned in go.mod (no global install):
//
//	go run github.com/magefile/mage -v                       # release: all platforms (build.BuildAll)
//	go run github.com/magefile/mage -v buildLinuxAMD64       # CI and tests: linux/amd64 only
//	go run github.com/magefile/mage -v build:linux build:linuxARM64
//
// build.BuildAll reads "executable" from src/plugin.json, and since the app has none, from the
// nested src/datasource/plugin.json, and writes dist/datasource/gpx_platformlens_<os>_<arch>.
package main

import (
	"github.com/magefile/mage/mg"

	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

// Default builds the executables for every platform Grafana runs on (linux amd64/arm64/arm,
// darwin amd64/arm64, windows amd64): the release build.
var Default = build.BuildAll

// BuildLinuxAMD64 builds only dist/datasource/gpx_platformlens_linux_amd64, the executable the
// tests start and the validator checks: CI needs no other platform, and each costs a full
// compile (six of them took minutes of a 2-core CI run).
func BuildLinuxAMD64() {
	mg.Deps(build.Build{}.Linux)
}
