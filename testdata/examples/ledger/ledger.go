// Package ledger is a small in-memory bank ledger. It is an end-to-end
// example for the lockpair and lockorder analyzers: each function marked
// BUG holds one real-looking mistake, and the rest must stay silent.
package ledger

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

var (
	ErrNoFunds = errors.New("ledger: insufficient funds")
	ErrClosed  = errors.New("ledger: account closed")
)

// Account is one account with its own lock.
type Account struct {
	mu      sync.Mutex
	ID      int64
	owner   string
	balance int64
	closed  bool
	book    *Book
}

// Book holds the accounts and the journal.
type Book struct {
	mu       sync.RWMutex
	accounts map[int64]*Account
	journal  []string
}

// NewBook returns an empty book.
func NewBook() *Book {
	return &Book{accounts: make(map[int64]*Account)}
}

// Open creates an account, or returns the existing one.
func (b *Book) Open(id int64, owner string) *Account {
	b.mu.RLock()
	a, ok := b.accounts[id]
	b.mu.RUnlock()
	if ok {
		return a
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if a, ok := b.accounts[id]; ok {
		return a
	}
	a = &Account{ID: id, owner: owner, book: b}
	b.accounts[id] = a
	return a
}

// Withdraw takes money out of the account.
// BUG (lockpair unreleased-lock): the error path returns with a.mu held.
func (a *Account) Withdraw(amount int64) error {
	a.mu.Lock()
	if a.balance < amount {
		return ErrNoFunds
	}
	a.balance -= amount
	a.mu.Unlock()
	return nil
}

// Deposit puts money into the account.
func (a *Account) Deposit(amount int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return ErrClosed
	}
	a.balance += amount
	return nil
}

// Balance returns the current balance.
func (a *Account) Balance() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// Statement formats the account.
// BUG (lockpair double-lock): Balance locks a.mu again.
func (a *Account) Statement() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("%s: %d", a.owner, a.Balance())
}

// statementLocked formats the account; a.mu must be held.
func (a *Account) statementLocked() string {
	return fmt.Sprintf("%s: %d", a.owner, a.balance)
}

// Audit lists every account under the book's read lock.
// BUG (lockpair rlock-then-lock): recording the audit takes the write lock
// while the read lock is held.
func (b *Book) Audit() []string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []string
	for _, a := range b.accounts {
		a.mu.Lock()
		out = append(out, a.statementLocked())
		a.mu.Unlock()
	}
	b.mu.Lock()
	b.journal = append(b.journal, "audit")
	b.mu.Unlock()
	return out
}

// Close closes the account.
// BUG (lockpair unlock-not-held): an already closed account is unlocked twice.
func (a *Account) Close() {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
	}
	a.closed = true
	a.mu.Unlock()
}

// Journal returns a copy of the journal.
// BUG (lockpair defer-lock): defer RLock instead of RUnlock.
func (b *Book) Journal() []string {
	b.mu.RLock()
	defer b.mu.RLock()
	return append([]string(nil), b.journal...)
}

// Transfer moves money between two accounts.
// BUG (lockorder lock-order-instance): Transfer(a, b) racing Transfer(b, a)
// deadlocks.
func Transfer(from, to *Account, amount int64) error {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	if from.balance < amount {
		return ErrNoFunds
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

// SafeTransfer locks the two accounts in ID order.
func SafeTransfer(from, to *Account, amount int64) error {
	first, second := from, to
	if second.ID < first.ID {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	if from.balance < amount {
		return ErrNoFunds
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

// Record appends to the journal and touches the account: book, then account.
func (b *Book) Record(a *Account, entry string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.journal = append(b.journal, entry)
	a.mu.Lock()
	a.owner = a.owner + ""
	a.mu.Unlock()
}

// Rename renames the account and records it: account, then book.
// BUG (lockorder lock-order-inversion): the inverse of Record.
func (a *Account) Rename(owner string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.owner = owner
	a.book.note("rename " + owner)
}

func (b *Book) note(s string) {
	b.mu.Lock()
	b.journal = append(b.journal, s)
	b.mu.Unlock()
}

// Owners lists the owners in ID order, releasing the book's lock before it
// takes each account's.
func (b *Book) Owners() []string {
	b.mu.RLock()
	accts := make([]*Account, 0, len(b.accounts))
	for _, a := range b.accounts {
		accts = append(accts, a)
	}
	b.mu.RUnlock()
	sort.Slice(accts, func(i, j int) bool { return accts[i].ID < accts[j].ID })
	var out []string
	for _, a := range accts {
		a.mu.Lock()
		out = append(out, a.owner)
		a.mu.Unlock()
	}
	return out
}

// TryFreeze closes the account only if it can take the lock at once.
func (a *Account) TryFreeze() bool {
	if !a.mu.TryLock() {
		return false
	}
	a.closed = true
	a.mu.Unlock()
	return true
}
