// Package etcd7492 has the shape of etcd-io/etcd#7492: the auth store
// assigns a token under simpleTokensMu and hands it to the TTL keeper,
// whose Add blocks until the keeper goroutine receives. That goroutine,
// when a token expires, calls back into the store, which takes
// simpleTokensMu: each waits for the other. The keeper lives in another
// package.
//
// kernel: lock-blocking etcd-io/etcd#7492
package etcd7492

import (
	"sync"

	"kernels/etcd7492/keeper"
)

// TokenProvider issues simple tokens.
type TokenProvider struct {
	simpleTokensMu sync.Mutex
	simpleTokens   map[string]string
	keeper         *keeper.Keeper
}

// NewTokenProvider starts the TTL keeper.
func NewTokenProvider() *TokenProvider {
	t := &TokenProvider{simpleTokens: make(map[string]string)}
	t.keeper = keeper.New(t.deleteToken)
	return t
}

func (t *TokenProvider) deleteToken(token string) {
	t.simpleTokensMu.Lock()
	defer t.simpleTokensMu.Unlock()
	delete(t.simpleTokens, token)
}

// Assign gives user a token.
func (t *TokenProvider) Assign(user, token string) {
	t.simpleTokensMu.Lock()
	defer t.simpleTokensMu.Unlock()
	t.simpleTokens[token] = user
	t.keeper.Add(token) // bug: lockblock
}
