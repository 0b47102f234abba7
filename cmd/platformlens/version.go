package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release, set when building a release
// (go build -ldflags "-X main.version=1.2.0" ./cmd/platformlens); otherwise the module version
// and VCS revision recorded by the Go toolchain are shown.
var version = ""

// versionString is the answer of `platformlens --version`, e.g.
// "platformlens 1.2.0 (commit 0123abcd, go1.26.8, linux/amd64)".
func versionString() string {
	v, commit, dirty := version, "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	var extra []string
	if commit != "" {
		c := commit[:min(len(commit), 12)]
		if dirty {
			c += "+changes"
		}
		extra = append(extra, "commit "+c)
	}
	extra = append(extra, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	return "platformlens " + v + " (" + strings.Join(extra, ", ") + ")"
}
