// want package:`edges \(\*rosters\.Team\)\.mu -> \(\*rosters\.Member\)\.mu \(\(\*rosters\.Team\)\.Total\), \(\*rosters\.Member\)\.mu -> \(\*rosters\.Team\)\.mu \(\(\*rosters\.Member\)\.Leave\), \(\*rosters\.Team\)\.mu -> \(\*rosters\.League\)\.mu \(\(\*rosters\.Team\)\.Rename\), \(\*rosters\.League\)\.mu -> \(\*rosters\.Team\)\.mu \(\(\*rosters\.League\)\.Reset\)\}$`

// Package rosters keeps teams and their members, each guarded by its own
// mutex. Teams walk their members with range-over-func loops; lock order
// inside the loop body counts as it does in any loop.
package rosters

import (
	"iter"
	"maps"
	"slices"
	"sync"
)

type Team struct {
	mu      sync.Mutex
	name    string
	members map[string]*Member
}

type Member struct {
	mu    sync.Mutex
	team  *Team
	score int
}

type League struct {
	mu    sync.Mutex
	teams []*Team
}

// Total locks each member while holding the team's lock: Team, then
// Member.
func (t *Team) Total() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for m := range maps.Values(t.members) {
		m.mu.Lock()
		n += m.score
		m.mu.Unlock()
	}
	return n
}

// Leave takes the team's lock while holding the member's: Member, then
// Team, the opposite order.
func (m *Member) Leave(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.team
	t.mu.Lock() // want `lock class \(\*rosters.Team\).mu is acquired while \(\*rosters.Member\).mu is held`
	delete(t.members, name)
	t.mu.Unlock()
}

// Names releases the league's lock inside the loop body before it takes
// each team's: no order between League and Team.
func (l *League) Names() []string {
	var out []string
	l.mu.Lock()
	for _, t := range slices.All(l.teams) {
		l.mu.Unlock()
		t.mu.Lock()
		out = append(out, t.name)
		t.mu.Unlock()
		l.mu.Lock()
	}
	l.mu.Unlock()
	return out
}

// Rename holds a team's lock, then the league's: Team, then League. Names
// orders nothing; Reset, below, orders them the other way.
func (t *Team) Rename(l *League, name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	l.mu.Lock()
	t.name = name
	l.mu.Unlock()
}

// Teams yields the league's teams while holding its lock.
func (l *League) Teams() iter.Seq[*Team] {
	return func(yield func(*Team) bool) {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, t := range l.teams {
			if !yield(t) {
				return
			}
		}
	}
}

// Reset locks each team in a loop over Teams, which holds the league's
// lock while the body runs: League, then Team, against Rename.
func (l *League) Reset() {
	for t := range l.Teams() { // want `lock class \(\*rosters.Team\).mu is acquired while \(\*rosters.League\).mu is held \(\(\*rosters.League\).Reset -> \(\*rosters.League\).Teams func literal -> \(\*rosters.League\).Reset loop body\), but \(\*rosters.Team\).Rename acquires them in the opposite order`
		t.mu.Lock()
		t.name = ""
		t.mu.Unlock()
	}
}
