package probe

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The test asserts, twice, that no check is running: require.True stops
// it unless TryLock took the lock, so each Unlock has it.
func TestIdle(t *testing.T) {
	c := &Checker{}
	c.Trigger(func() bool { return true })
	c.mu.Lock()
	c.mu.Unlock()
	require.True(t, c.mu.TryLock())
	c.mu.Unlock()
	require.True(t, c.mu.TryLock())
	c.mu.Unlock()
}

// expect records a failure and lets the test go on.
func expect(t *testing.T, v bool) {
	if !v {
		t.Error("expected true")
	}
}

// The same checks with an assertion that does not stop the test: an
// Unlock can run without the lock.
func TestIdleExpected(t *testing.T) {
	c := &Checker{}
	c.Trigger(func() bool { return true })
	c.mu.Lock()
	c.mu.Unlock()
	expect(t, c.mu.TryLock())
	c.mu.Unlock() // want `c.mu.Unlock is called on a path where c.mu is not held`
}
