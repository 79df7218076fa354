// want package:`edges \(\*fscache\.Dentry\)\.mu -> \(\*fscache\.Inode\)\.Mutex \(\(\*fscache\.Dentry\)\.Link\), .*\(\*fscache\.Inode\)\.Mutex -> \(\*fscache\.Dentry\)\.mu \(\(\*fscache\.Inode\)\.Unlink\)\}$`

// Package fscache caches inodes and dentries.
package fscache

import "sync"

type Inode struct {
	sync.Mutex
	nlink int
}

type Dentry struct {
	mu     sync.RWMutex
	name   string
	inode  *Inode
	parent *Dentry
	kids   map[string]*Dentry
}

// Link: dentry, then inode.
func (d *Dentry) Link(name string, in *Inode) {
	d.mu.Lock()
	defer d.mu.Unlock()
	in.Lock()
	in.nlink++
	in.Unlock()
	d.kids[name] = &Dentry{name: name, inode: in, parent: d}
}

// Stat: dentry (read), then inode: same order as Link.
func (d *Dentry) Stat() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	d.inode.Lock()
	defer d.inode.Unlock()
	return d.inode.nlink
}

// Unlink: inode, then dentry: the inverse of Link.
func (in *Inode) Unlink(d *Dentry, name string) {
	in.Lock()
	defer in.Unlock()
	in.nlink--
	d.mu.Lock() // want `lock class \(\*fscache\.Dentry\)\.mu is acquired while \(\*fscache\.Inode\)\.Mutex is held \(\(\*fscache\.Inode\)\.Unlink\), but \(\*fscache\.Dentry\)\.Link acquires them in the opposite order`
	delete(d.kids, name)
	d.mu.Unlock()
}

// Walk locks a parent and then its child: tree order, no report.
func (d *Dentry) Walk(name string) *Inode {
	d.mu.RLock()
	defer d.mu.RUnlock()
	kid := d.kids[name]
	if kid == nil {
		return nil
	}
	kid.mu.RLock()
	defer kid.mu.RUnlock()
	return kid.inode
}
