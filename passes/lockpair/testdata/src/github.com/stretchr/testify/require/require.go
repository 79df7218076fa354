// Package require is a stub of testify's require: its assertions stop
// the test with FailNow when they fail.
package require

// TestingT is what the assertions report to.
type TestingT interface {
	Errorf(format string, args ...any)
	FailNow()
}

// True stops the test unless value is true.
func True(t TestingT, value bool, msgAndArgs ...any) {
	if !value {
		t.Errorf("should be true")
		t.FailNow()
	}
}

// False stops the test unless value is false.
func False(t TestingT, value bool, msgAndArgs ...any) {
	if value {
		t.Errorf("should be false")
		t.FailNow()
	}
}
