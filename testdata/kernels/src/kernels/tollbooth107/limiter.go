// Package tollbooth107 has the shape of didip/tollbooth#107 (for #106):
// ExecOnLimitReached runs the user's on-limit-reached hook while it holds
// the limiter's read lock; a hook that asks the limiter for its message
// read-locks it again, and a concurrent setter waiting for the write lock
// between the two deadlocks them.
//
// kernel: double-lock didip/tollbooth#107
package tollbooth107

import (
	"net/http"
	"sync"
)

// Limiter limits requests.
type Limiter struct {
	mu             sync.RWMutex
	message        string
	onLimitReached func(w http.ResponseWriter, r *http.Request)
}

// SetMessage sets the message sent when the limit is reached.
func (l *Limiter) SetMessage(msg string) *Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.message = msg
	return l
}

// GetMessage returns the message.
func (l *Limiter) GetMessage() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.message
}

// SetOnLimitReached installs the hook.
func (l *Limiter) SetOnLimitReached(fn func(w http.ResponseWriter, r *http.Request)) *Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onLimitReached = fn
	return l
}

// ExecOnLimitReached runs the hook.
func (l *Limiter) ExecOnLimitReached(w http.ResponseWriter, r *http.Request) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if fn := l.onLimitReached; fn != nil {
		fn(w, r) // bug: lockpair
	}
}

// NewLimiter returns a limiter whose hook writes its message.
func NewLimiter() *Limiter {
	l := &Limiter{message: "You have reached maximum request limit."}
	l.SetOnLimitReached(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, l.GetMessage(), http.StatusTooManyRequests)
	})
	return l
}
