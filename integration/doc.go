// Package integration holds concvet's end-to-end tests: each one drives a
// real front end (a custom golangci-lint built with the module plugin,
// pre-commit with the hooks of .pre-commit-hooks.yaml) and checks it
// against the concvet command.
//
// These tests build large binaries and are slow, so they run only when
// asked: set CONCVET_E2E=1 (as .ci/e2e.sh does). The pre-commit test also
// runs where pre-commit is installed, unless -short is given.
//
//	CONCVET_E2E=1 go test -v ./integration/
package integration
