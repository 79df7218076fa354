// Package fixed is didip/tollbooth#107 as fixed: the hook is read under the
// lock and run after releasing it.
package fixed

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
	fn := l.onLimitReached
	l.mu.RUnlock()
	if fn != nil {
		fn(w, r)
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
