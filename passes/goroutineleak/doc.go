// Package goroutineleak defines an Analyzer that reports goroutines that
// can block forever or never exit.
//
// # Analyzer goroutineleak
//
// goroutineleak: report goroutines that can block forever or never exit
//
// A goroutine that blocks forever keeps its stack and everything it
// references; a service that starts one per request leaks them until it
// falls over. The analyzer reports, at the go statement:
//
//   - abandoned-sender: the goroutine sends on a channel made by the
//     function that starts it, and that function has a path (a select case
//     on ctx.Done() or time.After, an early return on the first error, a
//     break out of its receive loop) on which it stops receiving while
//     more values are sent than it received or the buffer holds;
//   - abandoned-receiver: the goroutine waits to receive from, or ranges
//     over, a channel that the function that made it can leave without
//     sending on or closing;
//   - endless-loop: the goroutine runs a loop with no return, no break, no
//     exit case (a time.Ticker that is never stopped is named too);
//   - missing-done: the goroutine calls WaitGroup.Done on some paths but
//     can return without it on another, so a Wait blocks forever.
//
// Goroutines that run a method or a function of another package are
// followed through facts that summarise what a function does with its
// channel parameters (how many values it sends, whether it can only
// return after a receive or once the channel is closed, whether it closes
// it, whether it starts goroutines that send on it) and whether it can
// never return. A call of a function that starts such a goroutine is
// reported like a go statement.
//
// Wrong:
//
//	func lookup(ctx context.Context, name string) (string, error) {
//		ch := make(chan string)
//		go func() { ch <- resolve(name) }()
//		select {
//		case addr := <-ch:
//			return addr, nil
//		case <-ctx.Done():
//			return "", ctx.Err() // the goroutine blocks on its send forever
//		}
//	}
//
// Right: give the channel room for the value, make(chan string, 1), or
// send inside a select that also waits on ctx.Done().
//
// The analyzer stays silent when it cannot follow the channel: when it is
// stored in a field or a global, returned, sent on another channel,
// passed to code whose summary is unknown (an interface method, a function
// value, the standard library), or reassigned. A buffer whose size is not
// a constant is assumed large enough. Goroutines started by main, by init
// functions and under sync.Once are taken to live as long as the program
// and are not reported as endless; so are, in package main, those started
// by a function that runs once at start-up (called only from main, init
// or another such function, outside loops and not as a value), and
// goroutines started by a
// function with no receiver and no parameters, which has nothing whose
// lifetime they could share. Paths that fail the running test (t.Error,
// t.Fatal) are not paths on which a leak matters.
//
// Known limits: channels kept in struct fields (subscriptions closed by an
// Unsubscribe method) are not followed. Loops are assumed to receive as
// many values as were sent when they end through their own condition, and
// a loop that counts its receives down is trusted. A goroutine started in a
// loop counts as "many" unless the loop counts from one constant to another
// over a variable the goroutine does not capture; a constant buffer of 2
// or more is then assumed to suffice. When the senders follow a protocol
// that counting cannot see (a send guarded by a flag, only the last worker
// reporting) and the caller receives a fixed number of times, the
// analyzer stays silent. A helper that sends and is called several times
// counts as one send.
//
// To suppress a report, write //nolint:goroutineleak or
// //concvet:ignore goroutineleak <reason> on the line of the go statement or
// the line above.
//
// # Rule goroutineleak/abandoned-sender
//
// a goroutine that can block forever on its send
//
// When the function that made the channel stops receiving (on a timeout,
// a cancellation or an early error return) while the goroutine still has a
// value to send, the goroutine blocks forever and keeps what it references.
//
// Wrong:
//
//	ch := make(chan result)
//	go func() { ch <- fetch(url) }()
//	select {
//	case r := <-ch:
//		return r, nil
//	case <-ctx.Done():
//		return result{}, ctx.Err() // the sender never finishes
//	}
//
// Right:
//
//	ch := make(chan result, 1) // room for the one value
//	go func() { ch <- fetch(url) }()
//
// # Rule goroutineleak/abandoned-receiver
//
// a goroutine that can wait forever for a value or a close
//
// A goroutine that receives from, or ranges over, a channel that its
// creator can leave without sending on or closing waits forever.
//
// Wrong:
//
//	jobs := make(chan Job)
//	go func() {
//		for j := range jobs {
//			run(j)
//		}
//	}()
//	for _, j := range list {
//		if err := j.Validate(); err != nil {
//			return err // jobs is never closed
//		}
//		jobs <- j
//	}
//	close(jobs)
//
// Right:
//
//	jobs := make(chan Job)
//	defer close(jobs)
//	go func() {
//		for j := range jobs {
//			run(j)
//		}
//	}()
//
// # Rule goroutineleak/endless-loop
//
// a goroutine whose loop never ends
//
// A goroutine that loops with no return, no break and no exit case lives
// until the process exits; one started per request or per object leaks.
//
// Wrong:
//
//	func (c *Conn) start() {
//		go func() {
//			t := time.NewTicker(time.Second)
//			for range t.C {
//				c.ping()
//			}
//		}()
//	}
//
// Right:
//
//	func (c *Conn) start() {
//		go func() {
//			t := time.NewTicker(time.Second)
//			defer t.Stop()
//			for {
//				select {
//				case <-t.C:
//					c.ping()
//				case <-c.closed:
//					return
//				}
//			}
//		}()
//	}
//
// # Rule goroutineleak/missing-done
//
// a goroutine that can return without calling WaitGroup.Done
//
// Wait returns only when every Add is matched by a Done. A goroutine that
// returns early on some path without Done makes Wait block forever.
//
// Wrong:
//
//	wg.Add(1)
//	go func() {
//		if err := load(k); err != nil {
//			return // wg.Done is skipped
//		}
//		wg.Done()
//	}()
//
// Right:
//
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		if err := load(k); err != nil {
//			return
//		}
//	}()
package goroutineleak
