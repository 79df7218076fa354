// want package:`edges \(\*gateway\.Cache\)\.mu -> \(\*gateway\.Settings\)\.mu \(\(\*gateway\.Cache\[V\]\)\.Refresh\), \(\*gateway\.Conn\)\.mu -> \(\*gateway\.Settings\)\.mu \(\(\*gateway\.Conn\)\.Redial\), \(\*gateway\.Settings\)\.mu -> \(\*gateway\.Conn\)\.mu \(\(\*gateway\.Settings\)\.Broadcast\), \(\*gateway\.Ledger\)\.mu -> \(\*gateway\.Pool\)\.mu \(\(\*gateway\.Ledger\)\.Audit\), \(\*gateway\.Worker\)\.mu -> \(\*gateway\.Pool\)\.mu \(\(\*gateway\.Worker\)\.Quit\), \(\*gateway\.Pool\)\.mu -> \(\*gateway\.Worker\)\.mu \(\(\*gateway\.Pool\)\.Spawn\), \(\*gateway\.Pool\)\.mu -> \(\*gateway\.Ledger\)\.mu \(\(\*gateway\.Pool\)\.Rehire\), \(\*gateway\.Entry\)\.mu -> \(\*gateway\.Registry\)\.mu \(\(\*gateway\.Entry\)\.Rename\), \(\*gateway\.Registry\)\.mu -> \(\*gateway\.Entry\)\.mu \(\(\*gateway\.Registry\)\.Add\)\}$`

// Package gateway dials connections from shared settings. Constructors
// lock the new connection through its own methods while they hold the
// settings' lock: nobody else can reach the connection yet.
package gateway

import "sync"

// Settings are shared by every connection dialled from them.
type Settings struct {
	mu      sync.RWMutex
	addr    string
	headers map[string]string
	conns   map[string]*Conn
}

// Conn is a connection with headers of its own.
type Conn struct {
	mu       sync.Mutex
	name     string
	settings *Settings
	headers  map[string]string
}

// SetHeader sets one header under the connection's lock.
func (c *Conn) SetHeader(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.headers[k] = v
}

// applyHeaders sets each header through SetHeader.
func (c *Conn) applyHeaders(h map[string]string) {
	for k, v := range h {
		c.SetHeader(k, v)
	}
}

// Dial makes a connection and sets its headers through its own method:
// the connection is not shared before it is returned.
func (s *Settings) Dial(name string) (*Conn, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &Conn{name: name, settings: s, headers: make(map[string]string)}
	if c.settings == nil {
		return nil, errNoSettings
	}
	for k, v := range s.headers {
		c.SetHeader(k, v)
	}
	return c, nil
}

// DialDefault does the same through a helper, two calls down.
func (s *Settings) DialDefault(name string) *Conn {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &Conn{name: name, settings: s, headers: make(map[string]string)}
	c.applyHeaders(s.headers)
	return c
}

// Redial reads the address under the connection's lock.
func (c *Conn) Redial() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settings.mu.RLock()
	defer c.settings.mu.RUnlock()
	return c.settings.addr
}

// Broadcast sets a header on every registered connection: long-lived
// objects, locked through the same method in the order Redial inverts.
func (s *Settings) Broadcast(k, v string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range s.conns {
		c.SetHeader(k, v) // want `lock class \(\*gateway\.Conn\)\.mu is acquired while \(\*gateway\.Settings\)\.mu is held \(\(\*gateway\.Settings\)\.Broadcast -> \(\*gateway\.Conn\)\.SetHeader\), but \(\*gateway\.Conn\)\.Redial acquires them in the opposite order`
	}
}

type dialError string

func (e dialError) Error() string { return string(e) }

const errNoSettings = dialError("gateway: no settings")
