// Package seqs holds iterators over sorted keys, used by other packages in
// range-over-func loops.
package seqs

import (
	"cmp"
	"iter"
	"slices"
)

// Sorted yields the keys of m in order.
func Sorted[K cmp.Ordered, V any](m map[K]V) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		keys := make([]K, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}
