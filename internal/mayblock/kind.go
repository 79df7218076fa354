package mayblock

// Disk reports whether the operation waits for the local disk: file I/O
// or a sync to disk, as opposed to a peer, a process or a goroutine.
func (b *Blocking) Disk() bool { return b.What == whatFile || b.What == whatSync }

// Join reports whether the operation waits for other goroutines to finish
// or signal: a sync.WaitGroup wait or a channel receive (a select or a
// send is not a join).
func (b *Blocking) Join() bool { return b.What == whatWG || b.What == whatRecv }

// Sends reports whether the operation blocks in a channel send.
func (b *Blocking) Sends() bool { return b.What == whatSend }

// Group reports whether the operation waits for a group of goroutines (a
// sync.WaitGroup) or on a sync.Cond.
func (b *Blocking) Group() bool { return b.What == whatWG || b.What == whatCond }
