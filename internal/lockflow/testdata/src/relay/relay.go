// Package relay calls into kv from several functions: the readers test
// asks for kv's summaries concurrently.
package relay

import "kv"

func Put(s *kv.Store) { s.Put("k", nil) }

func Publish(s *kv.Store) {
	kv.LockRegistry()
	defer kv.UnlockRegistry()
	kv.Register("x", s)
}

func Both(s *kv.Store) {
	Put(s)
	s.Put("j", nil)
	Publish(s)
}
