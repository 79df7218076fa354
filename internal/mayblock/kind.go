package mayblock

// Disk reports whether the operation waits for the local disk: file I/O
// or a sync to disk, as opposed to a peer, a process or a goroutine.
func (b *Blocking) Disk() bool { return b.What == whatFile || b.What == whatSync }

// Sends reports whether the operation blocks in a channel send.
func (b *Blocking) Sends() bool { return b.What == whatSend }

// StreamIO reports whether the operation reads or writes a connection or
// a pipe that is already open (no dial, lookup or request).
func (b *Blocking) StreamIO() bool { return b.What == whatNet || b.What == whatPipe }
