//go:build linux || darwin

package odd

import "sync"

var tagged sync.Mutex

func Tagged() {
	tagged.Lock()
	tagged.Unlock()
}
