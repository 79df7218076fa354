// Package ctxprop defines an Analyzer that reports a context.Context
// that is in scope but not passed on.
//
// # Analyzer ctxprop
//
// ctxprop: report a context in scope that is not passed on
//
// A request's context.Context carries its deadline and its cancellation.
// When a function that has one starts work from context.Background(), or
// calls the variant of an API that takes no context, that work outlives
// the request: it ignores the client's disconnect and the server's
// shutdown, and holds connections and goroutines meanwhile.
//
// A context is in scope in a function when it is a parameter, a local
// derived from one (ctx, cancel := context.WithTimeout(ctx, d)),
// r.Context() of an *http.Request parameter, or a context field of the
// receiver that the function already uses and does not set. A local that
// can never be cancelled (derived from context.WithoutCancel without a
// deadline or cancel function of its own) is not one. Function literals that run as
// part of the function (called on the spot, go and defer statements,
// errgroup's Go, sync.Once.Do, calls given the context) see it too. The
// analyzer reports, at the offending call:
//
//   - discarded-context: context.Background() or context.TODO() called
//     where a context is in scope, including as the parent of
//     context.WithTimeout and in goroutines started from the function;
//   - non-context-variant: a call to Foo where Foo has a sibling
//     FooContext, FooWithContext or FooCtx (same receiver or package)
//     taking a context.Context and then Foo's parameters, such as
//     http.NewRequest, exec.Command, (*sql.DB).Query, (*net.Dialer).Dial
//     or any third-party API of that shape; and the standard APIs whose
//     variant has another shape: http.Get and friends, (*sql.DB).Begin,
//     net.Dial, net.Listen, tls.Dial and net's Lookup functions (but
//     not net.LookupPort, which never waits on the network). A
//     third-party Foo whose body the analysis knows (in the package, or
//     through facts) is reported only when it may block on something
//     other than local files (a context cannot interrupt a file read: a
//     TLS config built from certificate files), or when its
//     sibling keeps its context in what it builds, leaves a watcher on
//     it, or uses it to cut short a wait on a channel that is not a timer
//     (a SendContext beside a Send on a buffered channel that may be
//     full): a getter that returns at once, whose WithContext variant polls
//     until a value appears, is a different operation, not a cancellable
//     one. Calls through interfaces and func values are reported as
//     before; so is a logging function's variant never (a function or
//     method named as loggers are, returning nothing: x/exp/slog's
//     InfoCtx carries values, as log/slog's InfoContext does);
//   - ignored-derived-context: in a function run by g.Go, where g and
//     gctx come from errgroup.WithContext(ctx), a use of ctx instead of
//     gctx, so that a failing sibling does not cancel the function;
//   - deaf-select: a select that can block and none of whose cases is
//     tied to a context (ctx.Done(), a channel obtained from or fed by
//     code given the context, a field set from ctx.Done());
//   - deaf-sleep: time.Sleep, or a bare receive from a timer or ticker
//     channel, in a loop that never looks at a context.
//
// Wrong:
//
//	func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		rows, err := s.db.Query("SELECT ...")
//		...
//	}
//
// Right:
//
//	func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
//		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
//		defer cancel()
//		rows, err := s.db.QueryContext(ctx, "SELECT ...")
//		...
//	}
//
// Suggested fixes replace context.Background() by the context in scope,
// Foo(args) by FooContext(ctx, args) when the results are identical,
// db.Begin() by db.BeginTx(ctx, nil), net.LookupHost(h) by
// net.DefaultResolver.LookupHost(ctx, h), and, in errgroup functions, the
// outer context by the derived one. Each fix names a context that is
// visible and not shadowed where it is used. No fix is offered for a
// goroutine started with a go statement (a go func literal, or
// go f(context.Background())): passing the caller's context to work that
// deliberately outlives the caller would cancel it too early
// (context.WithoutCancel keeps the values without the cancellation).
//
// A Background or TODO passed as the only argument of an accessor, a
// function of the context alone that returns one value and no error (a
// logger getter such as log.G(context.TODO()), trace.SpanFromContext),
// is not reported: it reads values from the context and does no
// cancellable work.
//
// A Background or TODO passed as the context of a log call, one that
// returns nothing and takes a message or format string and a final ...any
// of values (logger.Printf(context.Background(), "%s", msg),
// slog.InfoContext, (*slog.Logger).Log), or a method or function named
// as loggers are (Log, Logf, Printf, Debug, Info, Warn, Error and their f
// forms) that returns nothing and takes the context, at most a level (a
// number or a string) and a message string (a database driver's
// logger.Log(context.Background(), LogDebug, msg)), is not reported
// either: a log line has nothing to cancel. A call that takes no context is not
// reported when the function has already tied the connection it works on
// to ctx: it set the connection's deadline from ctx.Deadline(), or
// started a watcher that closes the connection (or sets its deadline)
// when ctx is done, in a go statement that receives from ctx.Done() or
// with context.AfterFunc(ctx, ...). The connection is the call's receiver
// or argument, or the value a local receiver was built from
// (tls.Client(raw, cfg) obeys raw's deadline).
//
// The analyzer stays silent on deliberate detachment:
//
//   - main, init and package-level initialisers; test files (unless
//     -ctxprop.tests is set) and generated files;
//   - context.Background() or context.TODO() compared with == or != (a
//     check of which context the caller passed, not a replacement);
//   - context.WithoutCancel, including context.WithoutCancel(context.TODO()),
//     which spells the detachment out;
//   - cleanup that runs when the context may be done: in a defer, in a
//     case <-ctx.Done() clause (or on a variable that only holds
//     ctx.Done()), in an if branch on ctx.Err() or
//     context.Canceled, after a receive from ctx.Done() or a select with
//     such a case earlier in an enclosing block, and call statements
//     directly in an if err != nil branch that ends by returning
//     (ref.Release(context.TODO()) on the way out of a failure);
//   - a context from Background given a lifecycle of its own: it or its
//     cancel function is stored in a field or package variable, put in a
//     composite literal, or returned; so is the object built by a
//     constructor that keeps the context (stores it in a field or a
//     composite literal, directly or through another such function): a
//     watcher built with newWatcher(context.Background()) and stored in
//     a field lives as long as its owner, not as long as ctx;
//   - a call whose only result, an error, is discarded with _ =
//     (_ = sem.Acquire(context.Background(), 1)): the code has no path
//     for the failure that cancellation would cause;
//   - a fresh context explained by a comment on the lines just above its
//     statement that mentions a background context or says the work is
//     detached or outlives the caller (a comment with a TODO, FIXME or
//     XXX line voices a doubt and does not count);
//   - function literals that are stored, returned or handed to
//     time.AfterFunc or context.AfterFunc;
//   - work done once for every caller: the function given to Do of a
//     sync.Once kept in a field or package variable, or to
//     sync.OnceFunc, OnceValue or OnceValues whose result is kept there
//     (a connection dialled on first use and shared; a Once local to
//     the function is the caller's own and stays reported);
//   - the read or accept loop of an object the function returns or
//     stores: a go func literal that loops on x.Next(context.Background())
//     and returns or breaks when that call fails, where x is a local the
//     function returns or keeps in a field (a Dial(ctx) that starts its
//     connection's reader: the dial's context must not end the reader,
//     which ends when the connection is closed); a loop that does not end
//     on the call's error, or an object the function does not hand on,
//     stays reported;
//   - Foo called from within Foo, FooContext, FooWithContext or FooCtx,
//     and FooContext(context.Background(), ...) called from Foo (the
//     wrapper pattern);
//   - a goroutine whose result the function awaits in a select with a
//     ctx.Done() case (the call is made cancellable that way);
//   - a request built without a context that later gets
//     req.WithContext(ctx), or any value given the context by a builder
//     or setter, chained or later (NewGetParams().WithContext(ctx),
//     params.SetContext(ctx), params.Context = ctx); a request parameter
//     whose context the function replaces (an outgoing request, not a
//     served one); a context parameter defaulted in if ctx == nil;
//   - log/slog's XxxContext variants, which carry values rather than
//     cancellation; net.Dial and net.Listen on a unix socket, and
//     net.Listen or net.ListenPacket on a constant address whose host is
//     an IP literal or empty, or on an address that is not a constant (a
//     configured listen address, bound at start-up): nothing known to
//     resolve, nothing to wait for; a constant address that names a host
//     stays reported;
//   - selects with a default case or a case on time.After, a timer, a
//     clock package's timer (a function or method named After returning
//     <-chan time.Time, or the C of its Timer), or a variable only ever
//     set to one of those (the wait ends on its own); a ticker case
//     that returns (a ticker used as a timeout); for a context that is a
//     field of the receiver, a case on a channel field of the same
//     receiver that the package closes (the object's own stop signal,
//     closed by its Stop along with cancelling the context);
//     selects after the function has armed a watcher on the context in
//     scope: context.AfterFunc(ctx, f), a goroutine that waits on
//     ctx.Done(), or a call that hands ctx to a function that does either
//     and leaves it armed (a connection's watcher whose callback sets a
//     deadline: the waits end through what the watcher does, which is
//     not checked);
//     a sleeping loop that can never end (a periodic task for the life of
//     the process, or a deliberate hang); sleeping loops that mention any
//     context.
//
// A select on a stop channel of the code's own but not on ctx is
// reported: the caller's cancellation is not honoured.
//
// Known limits: the cleanup regions are found on the syntax tree, not on
// the control-flow graph, so cleanup after a ctx.Done() wait in another
// function is reported; a context reaches function literals only through
// the shapes listed above; a context stored in a struct other than the
// receiver is not seen. A constructor from the standard library is
// never taken as keeping its context (std has no facts). Whether a
// goroutine is waited for is not
// analysed: a goroutine started from Background is reported whether or
// not the function waits for it. The comment that explains a fresh context is
// recognised by its words, so a comment that mentions a background
// context for another reason silences the finding under it.
//
// A log call with a final ...any is recognised by its signature alone
// (one without it by its name too), so a function of that shape that does
// cancellable work (a fire-and-forget publish taking a
// format and values) is taken for a logger. A deadline watcher counts
// only before the call in the same function, and only a deadline taken
// from the context or a close on its Done channel; a deadline computed
// another way is not the context's.
//
// To suppress a finding, add //nolint:ctxprop or
// //concvet:ignore ctxprop <reason> on the line or the line above; on a
// function declaration it covers the whole function.
//
// # Rule ctxprop/discarded-context
//
// context.Background or TODO where a context is in scope
//
// Work started from a fresh context ignores the caller's deadline and
// cancellation: it goes on after the client has gone away or the server has
// begun to shut down.
//
// Wrong:
//
//	func (s *Store) Save(ctx context.Context, r Record) error {
//		ctx2, cancel := context.WithTimeout(context.Background(), time.Second)
//		defer cancel()
//		return s.db.Put(ctx2, r)
//	}
//
// Right:
//
//	func (s *Store) Save(ctx context.Context, r Record) error {
//		ctx, cancel := context.WithTimeout(ctx, time.Second)
//		defer cancel()
//		return s.db.Put(ctx, r)
//	}
//
// # Rule ctxprop/non-context-variant
//
// a call to Foo where FooContext takes the context in scope
//
// An API that has a context-taking variant cannot be cancelled through the
// variant without one; with a context in scope, the call outlives the
// caller's deadline.
//
// Wrong:
//
//	func handle(w http.ResponseWriter, r *http.Request) {
//		rows, err := db.Query("SELECT id FROM jobs")
//		...
//	}
//
// Right:
//
//	func handle(w http.ResponseWriter, r *http.Request) {
//		rows, err := db.QueryContext(r.Context(), "SELECT id FROM jobs")
//		...
//	}
//
// # Rule ctxprop/ignored-derived-context
//
// an errgroup task that uses the outer context instead of the group context
//
// errgroup.WithContext cancels the derived context when a task fails. A
// task that uses the outer context keeps running after a sibling failed.
//
// Wrong:
//
//	g, gctx := errgroup.WithContext(ctx)
//	g.Go(func() error { return fetch(ctx, a) })
//	g.Go(func() error { return fetch(gctx, b) })
//
// Right:
//
//	g, gctx := errgroup.WithContext(ctx)
//	g.Go(func() error { return fetch(gctx, a) })
//	g.Go(func() error { return fetch(gctx, b) })
//
// # Rule ctxprop/deaf-select
//
// a select that can block with no case tied to the context
//
// A select that waits only on the code's own channels does not return when
// the caller's context is cancelled.
//
// Wrong:
//
//	func (w *Worker) Next(ctx context.Context) (Job, error) {
//		select {
//		case j := <-w.jobs:
//			return j, nil
//		case <-w.stop:
//			return Job{}, errStopped
//		}
//	}
//
// Right:
//
//	func (w *Worker) Next(ctx context.Context) (Job, error) {
//		select {
//		case j := <-w.jobs:
//			return j, nil
//		case <-w.stop:
//			return Job{}, errStopped
//		case <-ctx.Done():
//			return Job{}, ctx.Err()
//		}
//	}
//
// # Rule ctxprop/deaf-sleep
//
// a loop that sleeps without looking at the context
//
// A polling loop that sleeps with time.Sleep, or waits on a bare timer
// receive, cannot be cancelled; it keeps its caller waiting after the
// deadline.
//
// Wrong:
//
//	for !done(ctx) {
//		time.Sleep(time.Second)
//	}
//
// Right:
//
//	t := time.NewTicker(time.Second)
//	defer t.Stop()
//	for !done(ctx) {
//		select {
//		case <-t.C:
//		case <-ctx.Done():
//			return ctx.Err()
//		}
//	}
package ctxprop
