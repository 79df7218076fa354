// Package assert is a stub of testify's assert: the shapes of its
// functions, which record a failure with t.Errorf and report success.
package assert

// TestingT is what the assertions report failures to.
type TestingT interface {
	Errorf(format string, args ...any)
}

// NoError records a failure and returns false when err is not nil.
func NoError(t TestingT, err error, msgAndArgs ...any) bool {
	if err != nil {
		t.Errorf("unexpected error: %v", err)
		return false
	}
	return true
}

// Equal records a failure and returns false when the values differ.
func Equal(t TestingT, expected, actual any, msgAndArgs ...any) bool {
	if expected != actual {
		t.Errorf("not equal: %v != %v", expected, actual)
		return false
	}
	return true
}

// Fail records a failure.
func Fail(t TestingT, failure string, msgAndArgs ...any) bool {
	t.Errorf("%s", failure)
	return false
}
