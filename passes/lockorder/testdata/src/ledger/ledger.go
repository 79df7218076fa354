// want package:`edges \(\*ledger\.Ledger\)\.mu -> \(\*ledger\.Account\)\.mu \(\(\*ledger\.Ledger\)\.Record\), \(\*ledger\.Account\)\.mu -> \(\*ledger\.Ledger\)\.mu \(\(\*ledger\.Account\)\.Close\)\}$`

// Package ledger moves money between accounts.
package ledger

import (
	"errors"
	"sync"
	"unsafe"
)

type Account struct {
	mu      sync.Mutex
	ID      int64
	balance int64
	ledger  *Ledger
}

type Ledger struct {
	mu      sync.Mutex
	journal []string
	open    map[int64]*Account
}

// Transfer locks two accounts in argument order: Transfer(a, b) racing
// Transfer(b, a) deadlocks.
func Transfer(from, to *Account, amount int64) error {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock() // want `lock class \(\*ledger\.Account\)\.mu is acquired while another instance of it is held \(from\.mu, then to\.mu\) with no ordering between the two`
	defer to.mu.Unlock()
	if from.balance < amount {
		return errors.New("insufficient funds")
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

// TransferOrdered locks by ID: no report.
func TransferOrdered(from, to *Account, amount int64) {
	a, b := from, to
	if b.ID < a.ID {
		a, b = b, a
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

// Swap locks by address: no report.
func Swap(x, y *Account) {
	if uintptr(unsafe.Pointer(x)) > uintptr(unsafe.Pointer(y)) {
		x, y = y, x
	}
	x.mu.Lock()
	y.mu.Lock()
	x.balance, y.balance = y.balance, x.balance
	y.mu.Unlock()
	x.mu.Unlock()
}

// Record takes the ledger lock, then the account's: ledger -> account.
func (l *Ledger) Record(a *Account, entry string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.journal = append(l.journal, entry)
	a.mu.Lock()
	a.balance += 0
	a.mu.Unlock()
}

// Close takes the account lock, then the ledger's through a helper:
// account -> ledger, the inverse of Record.
func (a *Account) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ledger.forget(a.ID) // want `lock class \(\*ledger\.Ledger\)\.mu is acquired while \(\*ledger\.Account\)\.mu is held \(\(\*ledger\.Account\)\.Close -> \(\*ledger\.Ledger\)\.forget\), but \(\*ledger\.Ledger\)\.Record acquires them in the opposite order: lock-order inversion can deadlock`
}

func (l *Ledger) forget(id int64) {
	l.mu.Lock()
	delete(l.open, id)
	l.mu.Unlock()
}

// Balance releases the account lock before taking the ledger's: no edge.
func (a *Account) Balance() int64 {
	a.mu.Lock()
	b := a.balance
	a.mu.Unlock()
	a.ledger.mu.Lock()
	a.ledger.journal = append(a.ledger.journal, "balance")
	a.ledger.mu.Unlock()
	return b
}
