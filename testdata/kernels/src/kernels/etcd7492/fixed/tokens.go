// Package fixed is etcd-io/etcd#7492 as fixed: the token is handed to the
// keeper after the lock is released.
package fixed

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
	t.simpleTokens[token] = user
	t.simpleTokensMu.Unlock()
	t.keeper.Add(token)
}
