package inventory

import "testing"

// noError fails the test when err is not nil: it does not return then.
func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// mustBe fails the test unless ok.
func mustBe(t *testing.T, ok bool, what string) {
	t.Helper()
	if !ok {
		t.Fatalf("expected %s", what)
	}
}

// fail always fails the test.
func fail(t *testing.T, msg string) {
	t.Helper()
	t.Fatal(msg)
}

// TestLevel unlocks before failing through the helpers; the path that
// fails does not reach the final Unlock.
func TestLevel(t *testing.T) {
	s := NewStore()
	s.Mu.Lock()
	n, err := s.LevelLocked("bolt")
	if err != nil {
		s.Mu.Unlock()
		noError(t, err)
	}
	if n < 0 {
		s.Mu.Unlock()
		mustBe(t, false, "a level")
	}
	if n > 100 {
		s.Mu.Unlock()
		fail(t, "too many")
	}
	s.Mu.Unlock()
}

// TestLevelLogged unlocks before a helper that only logs: the final
// Unlock is reached with the lock released.
func TestLevelLogged(t *testing.T) {
	s := NewStore()
	s.Mu.Lock()
	if _, err := s.LevelLocked("nut"); err != nil {
		s.Mu.Unlock()
		logError(t, err)
	}
	s.Mu.Unlock() // want `s.Mu.Unlock is called on a path where s.Mu is not held`
}

// logError reports err without failing the test.
func logError(t *testing.T, err error) {
	if err != nil {
		t.Logf("error: %v", err)
	}
}
