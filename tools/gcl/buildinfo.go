package main

import (
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
)

// version may be set with -ldflags "-X main.version=...", as
// `golangci-lint custom` does (it appends a hash of the plugins' sources).
//
// By default it stays "(devel)": golangci-lint then salts its analysis
// cache with a hash of this binary, so a rebuild with a changed concvet
// never reuses findings or facts cached by the previous build. A fixed
// version string would make it reuse them.
var version = "(devel)"

const golangciModule = "github.com/golangci/golangci-lint/v2"

// buildInfo describes the binary for `gcl version`.
func buildInfo() commands.BuildInfo {
	info := commands.BuildInfo{Version: version, Commit: "custom build with concvet", Date: "(unknown)", GoVersion: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	info.GoVersion = bi.GoVersion
	for _, dep := range bi.Deps {
		if dep.Path == golangciModule {
			info.Commit = "golangci-lint " + dep.Version + " with concvet's module plugin"
		}
	}
	return info
}
