package greet // want package:"greeter"

// The testdata of atest's own test: the probe analyzer reports calls to
// shout, offers to replace them with say, and gives a fact to every
// function whose name starts with loud.

import "strings"

func shout(s string) string { return strings.ToUpper(s) }

func say(s string) string { return s }

func loudHello() string { // want loudHello:"loud"
	return shout("hello") // want `call of shout`
}

func quiet() string {
	return say("hello")
}

var _ = shout("x") /* a block comment with a nested // want `call of shout` */

// LoudWave is called from package caller.
func LoudWave() {} // want LoudWave:"loud"
