//go:build ignore

package odd

func ignored() { undefined() }
