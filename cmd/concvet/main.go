// Command concvet finds concurrency bugs in Go code: blocking calls while
// a mutex is held, goroutines that can never exit, contexts that are not
// passed on, errgroup errors that are dropped, unbalanced locks and lock
// order inversions.
//
// Usage:
//
//	concvet [flags] [packages]     analyse packages (default ".")
//	concvet help                   list the analyzers and flags
//	concvet help NAME              show an analyzer's documentation
//	go vet -vettool=$(which concvet) [packages]
//
// Exit codes: 0 when there are no findings, 3 when there are findings
// (in every output format), 1 when the run itself failed (packages that
// do not load or type-check, an analyzer error), and 2 for a usage error
// (bad or conflicting flags), as for the go command.
//
// Run "concvet help" for the flags.
package main

import (
	"os"
	"strings"
)

func main() {
	if isVetTool(os.Args[1:]) {
		vetMain()
		return
	}
	os.Exit(cliMain(os.Args[1:], os.Stdout, os.Stderr))
}

// isVetTool reports whether the go command invoked us as a vet tool: it
// first asks for the version (-V=full) and the flags (-flags), then runs
// the tool once per package with a JSON config file (*.cfg). A plain -V
// is the CLI's version flag.
func isVetTool(args []string) bool {
	for _, a := range args {
		if a == "-V=full" || a == "--V=full" || a == "-flags" || a == "--flags" {
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}
