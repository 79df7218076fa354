// Package drift disagrees with the probe: one want has no diagnostic,
// one diagnostic has no want, and one want does not match.
package drift

func shout(s string) string { return s }

func a() {
	_ = shout("a")
	_ = 1          // want `call of shout`
	_ = shout("b") // want `call of whisper`
}
