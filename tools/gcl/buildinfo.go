package main

import (
	"runtime/debug"
	"strings"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
)

// version may be set with -ldflags "-X main.version=...", as
// `golangci-lint custom` does; by default it is derived from the
// golangci-lint module this binary was built with.
var version = ""

const golangciModule = "github.com/golangci/golangci-lint/v2"

// buildInfo reports the golangci-lint version the binary embeds, marked
// "-custom-gcl" like the binaries `golangci-lint custom` produces.
func buildInfo() commands.BuildInfo {
	info := commands.BuildInfo{Version: version, Commit: "?", Date: "(unknown)", GoVersion: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	info.GoVersion = bi.GoVersion
	if info.Version == "" {
		for _, dep := range bi.Deps {
			if dep.Path == golangciModule {
				info.Version = strings.TrimPrefix(dep.Version, "v") + "-custom-gcl-concvet"
			}
		}
	}
	if info.Version == "" {
		info.Version = "unknown-custom-gcl-concvet"
	}
	return info
}
