package withtests

import "context"

type Store struct{ rows map[string]string }

func (s *Store) Get(ctx context.Context, k string) string { return s.rows[k] }
