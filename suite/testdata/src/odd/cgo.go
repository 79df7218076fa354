package odd

/*
static int twice(int x) { return 2 * x; }
*/
import "C"

import "sync"

var cmu sync.Mutex

func Twice(x int) int {
	cmu.Lock()
	defer cmu.Unlock()
	return int(C.twice(C.int(x)))
}
