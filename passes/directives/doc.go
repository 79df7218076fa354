// Package directives defines an Analyzer that checks concvet's
// suppression directives.
//
// # Analyzer directives
//
// directives: report malformed and unused suppression directives
//
// concvet findings can be suppressed where they are deliberate, with a
// comment on the reported line or alone on the line above it:
//
//	//nolint:concvet                     every concvet analyzer
//	//nolint:lockblock,ctxprop           the named analyzers
//	//concvet:ignore lockblock reason    the named analyzer, with a reason
//
// A directive in a function's doc comment, or on its func line, covers the
// whole function. The bare golangci-lint form //nolint also suppresses
// concvet findings; //nolint lists that name only other linters are left
// alone.
//
// This analyzer reports a //concvet:ignore directive that names no
// analyzer, names an unknown one, or gives no reason: a suppression
// without a reason is a finding nobody can review later.
//
// With -strict-directives (in go vet -vettool mode: -directives.strict),
// it also reports directives that suppressed nothing, so that stale
// suppressions are removed when the code they excused is fixed:
//
//	mu.Lock()
//	//concvet:ignore lockblock the flush is bounded by a 10ms deadline
//	n := len(q.items) // nothing blocks here any more: reported as unused
//	mu.Unlock()
//
// Directives are applied by concvet's own front ends (the concvet command,
// go vet -vettool, the golangci-lint plugin). A directive for an analyzer
// that did not run is never reported as unused.
//
// # Rule directives/malformed-directive
//
// a concvet:ignore directive without analyzer or reason
//
// A suppression that names no analyzer, an unknown one, or gives no reason
// cannot be reviewed later and may not suppress what was meant.
//
// Wrong:
//
//	//concvet:ignore lockblok
//	q.jobs <- j
//
// Right:
//
//	//concvet:ignore lockblock the queue is buffered to the number of workers
//	q.jobs <- j
//
// # Rule directives/unused-directive
//
// a directive that suppresses nothing (with -strict-directives)
//
// A stale suppression hides the next real finding on its line. Reported
// only with -strict-directives (or -concvetconfig.strict-directives).
//
// Wrong:
//
//	mu.Lock()
//	//concvet:ignore lockblock the flush is bounded by a deadline
//	n := len(q.items) // nothing blocks here any more
//	mu.Unlock()
//
// Right:
//
//	mu.Lock()
//	n := len(q.items)
//	mu.Unlock()
package directives
