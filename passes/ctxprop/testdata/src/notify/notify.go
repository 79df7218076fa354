// Package notify delivers events to subscribers and logs through a
// context-aware logger interface, as client libraries do.
package notify

import (
	"context"
	"log/slog"
)

// Logging is the library's logger: it takes a context for values (trace
// IDs), not for cancellation.
type Logging interface {
	Printf(ctx context.Context, format string, v ...any)
}

// Level is a log level.
type Level int

// Leveled logs at a level, slog style.
type Leveled interface {
	Log(ctx context.Context, level Level, msg string, args ...any)
}

type Sink interface {
	Deliver(ctx context.Context, event string) error
	// Record stores the event and returns nothing; it is not a logger:
	// it takes no format and no values.
	Record(ctx context.Context, event string)
}

type Hub struct {
	log   Logging
	lvl   Leveled
	sinks []Sink
	slog  *slog.Logger
}

// Publish logs with a fresh context: a log line has nothing to cancel.
func (h *Hub) Publish(ctx context.Context, event string) error {
	h.log.Printf(context.Background(), "publishing %s to %d sinks", event, len(h.sinks))
	h.lvl.Log(context.TODO(), 2, "publish", "event", event)
	slog.InfoContext(context.Background(), "publish", "event", event)
	h.slog.Log(context.Background(), slog.LevelDebug, "publish", "event", event)
	for _, s := range h.sinks {
		if err := s.Deliver(ctx, event); err != nil {
			return err
		}
	}
	return nil
}

// Replay delivers with a fresh context: the delivery is work that ctx
// should cancel, reported next to the log line that is not.
func (h *Hub) Replay(ctx context.Context, events []string) error {
	for _, e := range events {
		h.log.Printf(context.Background(), "replaying %s", e)
		for _, s := range h.sinks {
			if err := s.Deliver(context.Background(), e); err != nil { // want `context.Background\(\) discards ctx in scope`
				return err
			}
		}
	}
	return nil
}

// Archive records with a fresh context: Record returns nothing, but it
// takes no values to log, so it is work, reported.
func (h *Hub) Archive(ctx context.Context, event string) {
	for _, s := range h.sinks {
		s.Record(context.Background(), event) // want `context.Background\(\) discards ctx in scope`
	}
}

// Category is what a driver's log line is about.
type Category uint64

// DriverLog is a database driver's logger: a category and a message,
// no values, nothing returned.
type DriverLog interface {
	Log(ctx context.Context, category Category, msg string)
}

// Wire sends one message of a kind; it returns nothing, but it is work.
type Wire interface {
	Send(ctx context.Context, kind Category, msg string)
}

// Decode logs with a fresh context and sends with one.
func Decode(ctx context.Context, l DriverLog, w Wire, col string) {
	l.Log(context.Background(), 4, "decrypting column "+col)
	w.Send(context.Background(), 4, col) // want `context.Background\(\) discards ctx in scope`
}
