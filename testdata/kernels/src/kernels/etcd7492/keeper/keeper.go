// Package keeper expires simple tokens after their TTL.
package keeper

import "time"

// Keeper tracks token deadlines in its own goroutine and calls deleteToken
// for each expired one.
type Keeper struct {
	addCh       chan string
	stopCh      chan struct{}
	deadlines   map[string]time.Time
	deleteToken func(string)
}

// New starts a keeper.
func New(deleteToken func(string)) *Keeper {
	k := &Keeper{
		addCh:       make(chan string),
		stopCh:      make(chan struct{}),
		deadlines:   make(map[string]time.Time),
		deleteToken: deleteToken,
	}
	go k.run()
	return k
}

// Add hands a token to the keeper goroutine.
func (k *Keeper) Add(token string) {
	k.addCh <- token
}

// Stop ends the keeper goroutine.
func (k *Keeper) Stop() { close(k.stopCh) }

func (k *Keeper) run() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case t := <-k.addCh:
			k.deadlines[t] = time.Now().Add(5 * time.Minute)
		case now := <-tick.C:
			for t, d := range k.deadlines {
				if now.After(d) {
					k.deleteToken(t)
					delete(k.deadlines, t)
				}
			}
		case <-k.stopCh:
			return
		}
	}
}
