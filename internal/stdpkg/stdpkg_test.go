package stdpkg

import (
	"os/exec"
	"strings"
	"testing"
)

// TestMatchesGoList checks the roots against the standard library of the
// Go toolchain that runs the test, so that a new root is noticed.
func TestMatchesGoList(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "std", "cmd").Output()
	if err != nil {
		t.Skipf("go list std: %v", err)
	}
	for _, path := range strings.Fields(string(out)) {
		if !IsStd(path) {
			t.Errorf("IsStd(%q) = false for a standard package", path)
		}
	}
}

func TestNotStd(t *testing.T) {
	for _, path := range []string{
		"github.com/concvet/concvet", "golang.org/x/sync/errgroup", "example.com/m",
		"gopkg.in/yaml.v3", "handler", "a", "contexts", "synchro/x", "netutil", "myapp/supervise", "",
	} {
		if IsStd(path) {
			t.Errorf("IsStd(%q) = true", path)
		}
	}
}
