package skiptests

import (
	"context"
	"testing"
)

// lookup is a test helper: test files are skipped by default.
func lookup(ctx context.Context, s *Store, k string) string {
	return s.Get(context.Background(), k)
}

func TestGet(t *testing.T) {
	s := &Store{rows: map[string]string{"a": "1"}}
	if got := lookup(t.Context(), s, "a"); got != "1" {
		t.Fatalf("got %q", got)
	}
}
