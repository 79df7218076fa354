// Package errgroupcheck defines an Analyzer that reports errors from
// golang.org/x/sync/errgroup groups that are dropped, skipped or swallowed.
//
// # Analyzer errgroupcheck
//
// errgroupcheck: report errgroup errors that are dropped or swallowed
//
// An errgroup.Group exists so that the first error of a set of goroutines
// reaches the caller through Wait. A few mistakes quietly turn it into
// fire-and-forget, and the service reports success for work that failed:
//
//   - dropped-wait: the result of g.Wait() is discarded, assigned to _,
//     or Wait is deferred or run in a go statement. Such a Wait is
//     accepted when the function also uses the result of another Wait on
//     the group (`go func() { g.Wait(); close(results) }()` before a
//     checked Wait), when every task of the group is a literal that
//     only returns nil or ctx.Err(), when every task is a literal that
//     sends each error it returns on a channel of the function before
//     returning it and the function reads that channel after Wait (a
//     fan-in that gathers every error, not only the first), and in
//     _test.go files, where tests make tasks fail on purpose to exercise
//     cancellation;
//   - missing-wait: a group created in the function, which does not
//     escape (returned, stored, passed to a function that is not known to
//     wait on it), has tasks started by Go and a path that returns without
//     reaching Wait, typically an early error return inside the loop that
//     starts the tasks. Groups held in unexported struct fields are
//     reported when tasks are started on them and nothing in the package
//     waits on them;
//   - swallowed-error: a task (a function literal, a named function or a
//     method value passed to Go or TryGo, or the function whose result a
//     task returns) returns nil in the branch where an error from a call
//     is known to be non-nil and only logs it: `if err != nil { log...;
//     return nil }`, the default case of a switch that handles nil, or the
//     else of `if err == nil`; or assigns the error of a call and
//     returns nil before reading it. It is not reported when the function
//     ignores or only logs the result of every Wait on the group;
//   - setlimit-after-go: g.SetLimit is reachable after g.Go without a
//     Wait in between; it panics if tasks are still running;
//   - ignored-trygo: the result of g.TryGo is discarded, so the task is
//     silently not run when the group is at its limit (not reported for a
//     local group on which SetLimit is never called, where TryGo always
//     starts the task).
//
// Wrong:
//
//	g, ctx := errgroup.WithContext(ctx)
//	for _, s := range shards {
//		if s.Offline {
//			return fmt.Errorf("shard %s offline", s.ID) // tasks already started
//		}
//		g.Go(func() error {
//			if err := s.Reindex(ctx); err != nil {
//				log.Printf("reindex %s: %v", s.ID, err)
//				return nil // the error never reaches Wait
//			}
//			return nil
//		})
//	}
//	g.Wait()
//
// Right:
//
//	g, ctx := errgroup.WithContext(ctx)
//	for _, s := range shards {
//		g.Go(func() error { return s.Reindex(ctx) })
//	}
//	return g.Wait()
//
// Deliberate filtering stays silent: a return nil under a condition other
// than `err != nil` (errors.Is, errors.As, a sentinel comparison, a check
// of ctx.Err()), a nil return after the error is used for anything other
// than logging (appended to a slice, sent on a channel, stored, wrapped),
// errors from ctx.Err() or from functions that only return nil or a
// context's error (a cancelOnly fact, e.g. a context-aware sleep), and
// errors held in parameters, results or captured variables.
//
// Helpers that receive a group are summarised as facts: which *Group
// parameters they start tasks on and which they wait on (or hand on), so
// that a caller passing its group to a helper that waits is not reported
// and one passing it to a helper that only starts tasks still needs
// Wait. Functions returning only an error carry a fact when they swallow
// an error, which is reported where another package runs them as a task.
//
// A dropped Wait (a bare g.Wait() or _ = g.Wait()) in a function whose
// last result is an error comes with a suggested fix that returns the
// error: "_ = g.Wait(); return nil" at the end of a function returning
// only an error becomes "return g.Wait()"; elsewhere the Wait becomes
// "if err := g.Wait(); err != nil { return ..., err }" with the zero
// value of every other result. No fix is offered when a zero value cannot
// be written briefly where the Wait is (an unnamed struct, a type of a
// package the file does not import), in a function without an error
// result, or for a deferred Wait or one in a go statement.
//
// Known limits: only golang.org/x/sync/errgroup is recognised; the
// missing Wait is checked in the function creating the group, and a Wait
// in a closure, defer or go statement counts as waiting on every path;
// swallowed errors are found in the task and in the functions whose
// result it returns, two calls deep, and only for the shapes above (a
// `continue` after logging inside a loop is not reported).
//
// Suppress a finding with `//nolint:errgroupcheck` or
// `//concvet:ignore errgroupcheck <reason>` on the line or the line above.
//
// # Rule errgroupcheck/dropped-wait
//
// the error returned by an errgroup Wait is discarded
//
// Wait returns the first error of the group's tasks. Discarding it (with _,
// a bare call, a defer or a go statement) reports success for work that
// failed.
//
// Wrong:
//
//	func syncAll(ctx context.Context, repos []Repo) error {
//		g, ctx := errgroup.WithContext(ctx)
//		for _, r := range repos {
//			g.Go(func() error { return r.Sync(ctx) })
//		}
//		_ = g.Wait()
//		return nil
//	}
//
// Right:
//
//	func syncAll(ctx context.Context, repos []Repo) error {
//		g, ctx := errgroup.WithContext(ctx)
//		for _, r := range repos {
//			g.Go(func() error { return r.Sync(ctx) })
//		}
//		return g.Wait()
//	}
//
// # Rule errgroupcheck/missing-wait
//
// a path that returns without waiting for the group
//
// Tasks started with Go on a group that is never waited on, on some path,
// run unsupervised: their errors are lost and they may outlive the
// function.
//
// Wrong:
//
//	g, ctx := errgroup.WithContext(ctx)
//	for _, s := range shards {
//		if s.Offline {
//			return errOffline // the tasks already started are abandoned
//		}
//		g.Go(func() error { return s.Flush(ctx) })
//	}
//	return g.Wait()
//
// Right:
//
//	g, ctx := errgroup.WithContext(ctx)
//	for _, s := range shards {
//		if s.Offline {
//			g.Go(func() error { return errOffline })
//			break
//		}
//		g.Go(func() error { return s.Flush(ctx) })
//	}
//	return g.Wait()
//
// # Rule errgroupcheck/swallowed-error
//
// a group task that logs an error and returns nil
//
// A task that returns nil after an error hides the failure from Wait and
// from the cancellation of its siblings.
//
// Wrong:
//
//	g.Go(func() error {
//		if err := upload(ctx, f); err != nil {
//			log.Printf("upload %s: %v", f, err)
//			return nil
//		}
//		return nil
//	})
//
// Right:
//
//	g.Go(func() error {
//		if err := upload(ctx, f); err != nil {
//			return fmt.Errorf("upload %s: %w", f, err)
//		}
//		return nil
//	})
//
// # Rule errgroupcheck/setlimit-after-go
//
// a SetLimit after Go without a Wait in between
//
// errgroup's SetLimit panics when tasks of the group are still running.
//
// Wrong:
//
//	g.Go(warmUp)
//	g.SetLimit(4) // panics if warmUp is still running
//
// Right:
//
//	g.SetLimit(4)
//	g.Go(warmUp)
//
// # Rule errgroupcheck/ignored-trygo
//
// the result of an errgroup TryGo is discarded
//
// TryGo does not start the task when the group is at its limit. Ignoring
// its result silently drops the work.
//
// Wrong:
//
//	g.SetLimit(8)
//	for _, p := range pages {
//		g.TryGo(func() error { return index(ctx, p) })
//	}
//
// Right:
//
//	g.SetLimit(8)
//	for _, p := range pages {
//		if !g.TryGo(func() error { return index(ctx, p) }) {
//			g.Go(func() error { return index(ctx, p) }) // wait for room
//		}
//	}
package errgroupcheck
