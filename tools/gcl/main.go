// Command gcl is golangci-lint v2 with concvet's module plugin compiled in.
//
// It is what `golangci-lint custom` would build from a .custom-gcl.yml
// naming github.com/concvet/concvet/gclplugin, assembled by hand so that it
// needs only the Go module proxy (`golangci-lint custom` clones
// golangci-lint from GitHub). It lives in its own module so that
// golangci-lint's dependencies never enter concvet's go.mod.
//
//	cd tools/gcl && go build -o gcl .
//	./gcl run ./...
package main

import (
	"fmt"
	"os"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"
)

func main() {
	if err := commands.Execute(buildInfo()); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
