// Package kernels measures concvet's recall on kernels of real concurrency
// bugs. It has no code of its own: its test loads the GOPATH tree
// testdata/kernels, runs the suite's analyzers on it in process and
// compares what they report with what each kernel expects.
//
// # Layout
//
// Each kernel is a package testdata/kernels/src/kernels/NAME (with any
// helper packages below it) showing, as new code, the shape of one bug
// that a public project shipped and fixed. Its package comment tells the
// bug and starts with a line
//
//	// kernel: CLASS OWNER/REPO#NUMBER
//
// where CLASS is one of goroutine-leak, lock-blocking, double-lock and
// lock-order, and OWNER/REPO#NUMBER the bug report or pull request the
// kernel is modelled on. The lines where a finding is expected end with a
// comment
//
//	// bug: ANALYZER
//
// naming lockblock, lockpair, lockorder or goroutineleak. A kernel may mark
// several lines (the two acquisitions of a lock-order bug, the go
// statement and the call that starts the goroutine): any of them will do.
//
// The fixed version of the bug, its near-miss twin, lives in the package
// NAME/fixed. A twin repeats its kernel except for the fix, on purpose:
// sharing code between them would change what is analysed.
//
// # What counts
//
// A kernel is found when the analyzer named by one of its markers reports a
// diagnostic on the line of that marker, in the same file, and reports
// nothing in the kernel's twin: an analyzer that also flags the fix does
// not tell the bug from it, and the kernel counts as missed. Reports
// elsewhere in the kernel do not count; the test lists them so that a
// kernel whose report moved can be re-marked. A twin is a false positive
// when any concvet analyzer reports anything in its files.
//
// The test prints, per class, found/total and the recall, the kernels
// missed, and the twins reported; it fails when the number found in a
// class falls below its floor, or when a twin is reported that is not on
// the list of known false positives. With -args -kernel=NAME it also
// prints every diagnostic of one kernel and its twin. See recall_test.go
// for how to raise the floors, and docs/recall.md for the table of
// kernels.
package kernels
