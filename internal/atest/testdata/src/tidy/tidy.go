package tidy

import "strings"

func noisy(s string) string { return s }

// Label's fix drops the only use of strings: the import goes too.
func Label(s string) string {
	return noisy(strings.ToUpper(s)) // want `call of noisy`
}
