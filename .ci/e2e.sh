#!/usr/bin/env bash
# End-to-end tests of concvet's integrations, called by .ci/run:
#   - golangci-lint v2 built with concvet's module plugin (tools/gcl),
#     compared with the concvet command on testdata/examples;
#   - the pre-commit hooks of .pre-commit-hooks.yaml, run by the real
#     pre-commit (Debian package pre-commit), also with -C for a module
#     below the repository root;
#   - the SARIF output, checked by Microsoft's SARIF validator.
# The golangci-lint build is the slow part (a few minutes cold); it reuses
# the default GOMODCACHE and GOCACHE, so later runs take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

if ! command -v pre-commit >/dev/null 2>&1; then
	step "install pre-commit (apt-get)"
	sudo=""
	if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y -q pre-commit >/dev/null ||
		{ $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q pre-commit >/dev/null; }
fi
pre-commit --version

step "SARIF output against the SARIF validator (npm @microsoft/sarif-multitool, installed by .ci/run)"
CONCVET_E2E=1 go test -count=1 -run 'TestSARIFValidator' ./cmd/concvet/

# The tests build tools/gcl (golangci-lint with the plugin, its own module)
# and cmd/concvet themselves. tools/gcl is not vetted here: go vet would
# analyse all of golangci-lint's dependencies, which takes minutes.
step "CONCVET_E2E=1 go test ./integration/"
log="$(mktemp "${TMPDIR:-/tmp}/concvet-e2e.XXXXXX")"
status=0
start=$SECONDS
CONCVET_E2E=1 go test -count=1 -timeout 30m -v ./integration/ >"$log" 2>&1 || status=$?
if [ "$status" -eq 0 ]; then
	# The summary: subtests, timings and agreement counts.
	grep -E '^(=== RUN|--- |PASS|ok)|agree on|built |exit [0-9]+ in|findings on the examples' "$log" || true
else
	cat "$log"
fi
rm -f "$log"
echo "integration tests took $((SECONDS - start))s"
exit "$status"
