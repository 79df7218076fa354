// Package ledger is a small bank ledger: accounts with their own locks and
// a ledger that moves money between them.
package ledger

import (
	"errors"
	"sync"
)

var errInsufficient = errors.New("insufficient funds")

type Account struct {
	mu      sync.Mutex
	ID      int64
	balance int64
	frozen  bool
}

type Ledger struct {
	mu       sync.RWMutex
	accounts map[int64]*Account
	journal  []string
}

// Withdraw leaks a.mu on the error path.
func (a *Account) Withdraw(amount int64) error {
	a.mu.Lock() // want `a.mu is locked here but not unlocked on every path`
	if a.balance < amount {
		return errInsufficient
	}
	a.balance -= amount
	a.mu.Unlock()
	return nil
}

// Deposit releases on every path: no report.
func (a *Account) Deposit(amount int64) error {
	a.mu.Lock()
	if a.frozen {
		a.mu.Unlock()
		return errors.New("frozen")
	}
	a.balance += amount
	a.mu.Unlock()
	return nil
}

// Balance uses defer: no report.
func (a *Account) Balance() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// Freeze locks the account, then calls a helper that locks it again.
func (a *Account) Freeze() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.frozen = true
	a.audit("freeze") // want `call to \(\*Account\)\.audit locks a\.mu, which is already held: a\.mu is not reentrant \(audit -> a\.mu\.Lock\)`
}

func (a *Account) audit(what string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	_ = what
}

// auditLocked follows the Locked convention: it expects a.mu held.
func (a *Account) auditLocked(what string) {
	_ = what
	_ = a.balance
}

// Thaw calls the Locked variant: no report.
func (a *Account) Thaw() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.frozen = false
	a.auditLocked("thaw")
}

// Transfer orders the two accounts by ID and locks two different
// instances: no double lock.
func (l *Ledger) Transfer(from, to *Account, amount int64) error {
	first, second := from, to
	if first.ID > second.ID {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	if from.balance < amount {
		return errInsufficient
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

// Lookup takes the read lock and then the write lock to record a miss.
func (l *Ledger) Lookup(id int64) *Account {
	l.mu.RLock()
	defer l.mu.RUnlock()
	a, ok := l.accounts[id]
	if !ok {
		l.mu.Lock() // want `l\.mu\.Lock is called while l\.mu is read-locked by this goroutine: the writer waits for its own reader and deadlocks`
		l.journal = append(l.journal, "miss")
		l.mu.Unlock()
	}
	return a
}

// Open upgrades correctly: it releases the read lock first.
func (l *Ledger) Open(id int64) *Account {
	l.mu.RLock()
	a, ok := l.accounts[id]
	l.mu.RUnlock()
	if ok {
		return a
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if a, ok := l.accounts[id]; ok {
		return a
	}
	a = &Account{ID: id}
	l.accounts[id] = a
	return a
}

// Close unlocks twice on the frozen path.
func (l *Ledger) Close(a *Account) {
	a.mu.Lock()
	if a.frozen {
		a.mu.Unlock()
	}
	a.balance = 0
	a.mu.Unlock() // want `a\.mu\.Unlock is called on a path where a\.mu is not held`
}

// Report uses defer Lock instead of Unlock.
func (l *Ledger) Report() []string {
	l.mu.RLock()
	defer l.mu.RLock() // want `deferred call to l\.mu\.RLock: it should probably be RUnlock`
	return append([]string(nil), l.journal...)
}

func (l *Ledger) Count() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.accounts)
}

// Sum takes the read lock twice: a writer queued between the two RLocks
// deadlocks everyone.
func (l *Ledger) Sum() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var s int64
	n := l.Count() // want `call to \(\*Ledger\)\.Count read-locks l\.mu, which is already read-locked: a writer waiting between the two RLocks deadlocks \(Count -> l\.mu\.RLock\)`
	_ = n
	for _, a := range l.accounts {
		s += a.Balance()
	}
	return s
}

// ensureJournalRLocked upgrades the caller's read lock to create the
// journal, and returns with the read lock held again.
func (l *Ledger) ensureJournalRLocked() {
	if l.journal != nil {
		return
	}
	l.mu.RUnlock()
	defer l.mu.RLock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.journal == nil {
		l.journal = []string{}
	}
}

// Entries uses the upgrading helper under its read lock: balanced.
func (l *Ledger) Entries() int {
	l.mu.RLock()
	l.ensureJournalRLocked()
	n := len(l.journal)
	l.mu.RUnlock()
	return n
}

// Releaser releases a snapshot.
type Releaser func()

// Snapshot returns the accounts under the read lock and a function that
// releases it.
func (l *Ledger) Snapshot() (map[int64]*Account, Releaser, error) {
	l.mu.RLock()
	if l.accounts == nil {
		l.mu.RUnlock()
		return nil, nil, errors.New("closed")
	}
	return l.accounts, l.release, nil
}

func (l *Ledger) release() { l.mu.RUnlock() }

// Cursor walks the ledger's journal. Scan may keep the read lock until
// the next call of Next, and records that it does.
type Cursor struct {
	mu      sync.RWMutex
	l       *Ledger
	holding bool
	pos     int
}

func (c *Cursor) Scan(dst *string, raw bool) error {
	c.mu.RLock()
	*dst = c.l.journal[c.pos]
	if raw {
		c.holding = true // released by Next
		return nil
	}
	c.mu.RUnlock()
	return nil
}
