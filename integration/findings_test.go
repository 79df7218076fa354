package integration

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// cliFindings runs `concvet -format=json` in dir and returns its findings
// and exit code. The JSON has the go vet -json shape: package ID ->
// analyzer -> diagnostics (or {"error": ...}).
func cliFindings(t *testing.T, concvet, dir string, args ...string) findingSet {
	t.Helper()
	r := runCode(t, dir, nil, concvet, append([]string{"-format=json"}, args...)...)
	if r.code != 0 && r.code != 3 {
		t.Fatalf("concvet %s exited %d (want 0 or 3)\nstderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("concvet -format=json: invalid JSON: %v\n%s", err, r.stdout)
	}
	set := make(findingSet)
	for pkg, byAnalyzer := range tree {
		for analyzer, raw := range byAnalyzer {
			var diags []struct {
				Posn    string `json:"posn"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Fatalf("concvet: %s on %s: %s", analyzer, pkg, raw)
			}
			for _, d := range diags {
				file, line, col := splitPosn(t, d.Posn)
				// The same diagnostic is listed under a package and under
				// its test variant: the set keeps one.
				set[finding{relSlash(t, dir, file), line, col, analyzer, d.Message}] = true
			}
		}
	}
	if (len(set) > 0) != (r.code == 3) {
		t.Errorf("concvet exited %d with %d findings (want 3 with findings, 0 without)", r.code, len(set))
	}
	return set
}

// splitPosn splits "file:line:col".
func splitPosn(t *testing.T, posn string) (string, int, int) {
	t.Helper()
	i := strings.LastIndex(posn, ":")
	j := strings.LastIndex(posn[:max(i, 0)], ":")
	if i < 0 || j < 0 {
		t.Fatalf("bad position %q", posn)
	}
	line, err1 := strconv.Atoi(posn[j+1 : i])
	col, err2 := strconv.Atoi(posn[i+1:])
	if err1 != nil || err2 != nil {
		t.Fatalf("bad position %q", posn)
	}
	return posn[:j], line, col
}

// analyzersOf returns the analyzers that reported in set.
func analyzersOf(set findingSet) map[string]int {
	n := make(map[string]int)
	for f := range set {
		n[f.Analyzer]++
	}
	return n
}
