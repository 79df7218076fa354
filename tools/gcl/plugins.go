package main

// The module plugins compiled into this golangci-lint, as
// `golangci-lint custom` would list them in cmd/golangci-lint/plugins.go.
import (
	_ "github.com/concvet/concvet/gclplugin"
)
