package apiclient

import (
	"context"
	"net"
	"os"
	"sync"
	"time"

	"golang.org/x/exp/slog"
)

// Leader tracks which node leads.
type Leader struct {
	mu     sync.Mutex
	leader string
	conn   net.Conn
}

// Current returns the leader known now, at once.
func (l *Leader) Current() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leader
}

// CurrentWithContext polls until a leader is known or ctx is done: a
// different operation, not a cancellable Current.
func (l *Leader) CurrentWithContext(ctx context.Context) string {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		if s := l.Current(); s != "" {
			return s
		}
		select {
		case <-ctx.Done():
			return ""
		case <-t.C:
		}
	}
}

// Announce asks the leader over the network.
func (l *Leader) Announce(name string) error {
	_, err := l.conn.Write([]byte(name))
	return err
}

// AnnounceContext does so under ctx's deadline.
func (l *Leader) AnnounceContext(ctx context.Context, name string) error {
	if dl, ok := ctx.Deadline(); ok {
		l.conn.SetWriteDeadline(dl)
	}
	_, err := l.conn.Write([]byte(name))
	return err
}

// Route reads the current leader (nothing to cancel) and logs it (the
// log line's InfoCtx would only carry values); announcing waits on the
// network and should follow ctx.
func (l *Leader) Route(ctx context.Context, name string) error {
	leader := l.Current()
	slog.Info("routing", "leader", leader)
	return l.Announce(name) // want `l.Announce ignores ctx in scope`
}

// WaitLeader polls for a leader for at most ten seconds: the second
// ticker is a timeout, and its case returns.
func (l *Leader) WaitLeader(ctx context.Context) bool {
	poll := time.NewTicker(time.Millisecond)
	defer poll.Stop()
	timeout := time.NewTicker(10 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case <-timeout.C:
			return false
		case <-poll.C:
			if l.Current() != "" {
				return true
			}
		}
	}
}

// PollLeader polls with no timeout: only a leader ends the loop.
func (l *Leader) PollLeader(ctx context.Context, changed chan struct{}) {
	poll := time.NewTicker(time.Millisecond)
	defer poll.Stop()
	for {
		select { // want `select has no case on ctx.Done\(\)`
		case <-changed:
		case <-poll.C:
			if l.Current() != "" {
				return
			}
		}
	}
}

// TLSFiles names a certificate and its key.
type TLSFiles struct{ Cert, Key string }

// LoadTLS reads the certificate files.
func LoadTLS(f TLSFiles) ([]byte, error) {
	cert, err := os.ReadFile(f.Cert)
	if err != nil {
		return nil, err
	}
	key, err := os.ReadFile(f.Key)
	return append(cert, key...), err
}

// LoadTLSWithContext can also fetch the files from a secret store.
func LoadTLSWithContext(ctx context.Context, f TLSFiles) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return LoadTLS(f)
}

// Secure reads the local certificate files: nothing ctx could cancel.
func (l *Leader) Secure(ctx context.Context, f TLSFiles) error {
	b, err := LoadTLS(f)
	if err != nil {
		return err
	}
	return l.AnnounceContext(ctx, string(b))
}

// Mailbox hands values to a reader through a small buffer.
type Mailbox struct{ ch chan string }

// NewMailbox makes a mailbox with room for one value.
func NewMailbox() *Mailbox { return &Mailbox{ch: make(chan string, 1)} }

// Post waits while the buffer is full.
func (m *Mailbox) Post(v string) { m.ch <- v }

// PostContext gives up when ctx is done.
func (m *Mailbox) PostContext(ctx context.Context, v string) error { // want PostContext:"cutsWait\\[0\\]"
	select {
	case m.ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Elect posts the leader: a full buffer would keep it waiting past ctx.
func (l *Leader) Elect(ctx context.Context, m *Mailbox) {
	m.Post(l.Current()) // want `m.Post ignores ctx in scope`
}
