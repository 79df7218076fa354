// Package fscache caches inodes and directory entries, each with its own
// lock, in front of a slow backing store.
package fscache

import (
	"errors"
	"sync"
)

var errStale = errors.New("stale inode")

type Inode struct {
	sync.RWMutex // guards the fields below
	ino          uint64
	size         int64
	nlink        int
	stale        bool
}

type Dentry struct {
	mu       sync.Mutex
	name     string
	inode    *Inode
	children map[string]*Dentry
}

type Cache struct {
	mu       sync.Mutex
	inodes   map[uint64]*Inode
	dentries map[string]*Dentry
	hits     int
}

// Stat leaks the inode's read lock when the inode is stale.
func (c *Cache) Stat(ino uint64) (int64, error) {
	c.mu.Lock()
	in := c.inodes[ino]
	c.mu.Unlock()
	if in == nil {
		return 0, errStale
	}
	in.RLock() // want `in\.RWMutex is locked here but not unlocked on every path`
	if in.stale {
		return 0, errStale
	}
	size := in.size
	in.RUnlock()
	return size, nil
}

// Truncate uses the embedded lock with defer: no report.
func (in *Inode) Truncate(size int64) {
	in.Lock()
	defer in.Unlock()
	in.size = size
}

// Link takes the dentry lock and then, through a helper, the inode
// lock: two different mutexes, no report.
func (d *Dentry) Link(child *Dentry) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.children[child.name] = child
	child.inode.incLink()
}

func (in *Inode) incLink() {
	in.Lock()
	in.nlink++
	in.Unlock()
}

// Lookup walks the children under the dentry lock; the loop skips the
// unlock with continue.
func (c *Cache) Revalidate(names []string) int {
	valid := 0
	for _, n := range names {
		c.mu.Lock() // want `c\.mu is locked again on the next iteration of the loop while still held`
		d, ok := c.dentries[n]
		if !ok {
			continue
		}
		c.mu.Unlock()
		if d.inode != nil {
			valid++
		}
	}
	return valid
}

// Evict locks and unlocks in each iteration: no report.
func (c *Cache) Evict(inos []uint64) {
	for _, ino := range inos {
		c.mu.Lock()
		if _, ok := c.inodes[ino]; !ok {
			c.mu.Unlock()
			continue
		}
		delete(c.inodes, ino)
		c.mu.Unlock()
	}
}

// lookupLocked is documented to run with c.mu held; it may drop and
// retake it.
func (c *Cache) lookupLocked(name string) *Dentry {
	d := c.dentries[name]
	if d == nil {
		c.mu.Unlock()
		d = &Dentry{name: name}
		c.mu.Lock()
		c.dentries[name] = d
	}
	return d
}

// refresh must be called with c.mu held. It releases it while the inode
// is reloaded.
func (c *Cache) refresh(in *Inode) {
	c.mu.Unlock()
	in.Lock()
	in.stale = false
	in.Unlock()
	c.mu.Lock()
}

// Get uses both helpers: balanced.
func (c *Cache) Get(name string) *Dentry {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.lookupLocked(name)
	if d.inode != nil && d.inode.stale {
		c.refresh(d.inode)
	}
	c.hits++
	return d
}

// lockInode returns with in locked; the caller unlocks.
func (c *Cache) lockInode(ino uint64) *Inode {
	c.mu.Lock()
	in := c.inodes[ino]
	c.mu.Unlock()
	if in == nil {
		return nil
	}
	in.Lock()
	return in
}

// TryEvict drops an inode only when it can take its lock without waiting.
func (c *Cache) TryEvict(in *Inode) bool {
	if !in.TryLock() {
		return false
	}
	in.stale = true
	in.Unlock()
	return true
}

// TryEvictAll uses TryLock with an inverted condition.
func (c *Cache) TryEvictAll(ins []*Inode) int {
	n := 0
	for _, in := range ins {
		ok := in.TryLock()
		if !ok {
			continue
		}
		in.stale = true
		in.Unlock()
		n++
	}
	return n
}

// Rename unlocks a dentry it never locked on the error path.
func (c *Cache) Rename(d *Dentry, name string) error {
	if name == "" {
		d.mu.Unlock() // want `d\.mu\.Unlock is called on a path where d\.mu is not held`
		return errors.New("empty name")
	}
	d.mu.Lock()
	d.name = name
	d.mu.Unlock()
	return nil
}

// Sync locks conditionally on the same condition on both sides: balanced.
func (c *Cache) Sync(shared bool) {
	if shared {
		c.mu.Lock()
	}
	c.hits = 0
	if shared {
		c.mu.Unlock()
	}
}

// Flush writes back stale inodes, dropping the cache lock around each
// write-back and retaking it; the deferred Unlock covers every return.
func (c *Cache) Flush(write func(*Inode)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, in := range c.inodes {
		if !in.stale {
			continue
		}
		c.mu.Unlock()
		write(in)
		c.mu.Lock()
	}
}

// Scan reads a dentry's children, taking the cache lock only when the
// dentry is not cached yet; a flag remembers whether it is held.
func (c *Cache) Scan(name string) []string {
	c.mu.Lock()
	d, ok := c.dentries[name]
	c.mu.Unlock()
	locked := false
	if !ok {
		c.mu.Lock()
		locked = true
		d = c.dentries[name]
	}
	if d == nil {
		if locked {
			c.mu.Unlock()
		}
		return nil
	}
	if !locked {
		c.mu.Lock()
	}
	var out []string
	for n := range d.children {
		out = append(out, n)
	}
	c.mu.Unlock()
	return out
}

// Prune removes empty directories up the tree, hand over hand: each
// parent is locked before its child is released.
func (d *Dentry) Prune(parentOf func(*Dentry) *Dentry) {
	d.mu.Lock()
	for len(d.children) == 0 {
		p := parentOf(d)
		if p == nil {
			break
		}
		p.mu.Lock()
		delete(p.children, d.name)
		d.mu.Unlock()
		d = p
	}
	d.mu.Unlock()
}

// Stats counts a hit, under the stats lock only when stats are enabled;
// the two tests of the same field agree.
func (c *Cache) Count(stats *Stats) {
	if stats.enabled {
		stats.mu.Lock()
	}
	stats.hits++
	if stats.enabled {
		stats.mu.Unlock()
	}
}

type Stats struct {
	mu      sync.Mutex
	enabled bool
	hits    int
}
