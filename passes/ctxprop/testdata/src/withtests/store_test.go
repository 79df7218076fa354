package withtests

import (
	"context"
	"testing"
)

// lookup is a test helper, checked with -ctxprop.tests.
func lookup(ctx context.Context, s *Store, k string) string {
	return s.Get(context.Background(), k) // want `context.Background\(\) discards ctx in scope`
}

func TestGet(t *testing.T) {
	s := &Store{rows: map[string]string{"a": "1"}}
	if got := lookup(t.Context(), s, "a"); got != "1" {
		t.Fatalf("got %q", got)
	}
}
