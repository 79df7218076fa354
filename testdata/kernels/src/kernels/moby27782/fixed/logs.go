// Package fixed is moby/moby#27782 as fixed: closing the driver closes its
// readers' watchers.
package fixed

import "sync"

// LogWatcher delivers log messages to a reader.
type LogWatcher struct {
	Msg       chan string
	closeOnce sync.Once
	closeNtfy chan struct{}
}

// NewLogWatcher returns an open watcher.
func NewLogWatcher() *LogWatcher {
	return &LogWatcher{Msg: make(chan string, 1), closeNtfy: make(chan struct{})}
}

// Close tells the follower to stop.
func (w *LogWatcher) Close() {
	w.closeOnce.Do(func() { close(w.closeNtfy) })
}

// WatchClose is closed by Close.
func (w *LogWatcher) WatchClose() <-chan struct{} { return w.closeNtfy }

type jsonFileLogger struct {
	mu       sync.Mutex
	readers  map[*LogWatcher]struct{}
	messages []string
}

// ReadLogs starts following the log.
func (l *jsonFileLogger) ReadLogs() *LogWatcher {
	w := NewLogWatcher()
	l.mu.Lock()
	l.readers[w] = struct{}{}
	l.mu.Unlock()
	go l.followLogs(w)
	return w
}

func (l *jsonFileLogger) followLogs(w *LogWatcher) {
	l.mu.Lock()
	msgs := append([]string(nil), l.messages...)
	l.mu.Unlock()
	for _, m := range msgs {
		select {
		case w.Msg <- m:
		case <-w.WatchClose():
			return
		}
	}
	<-w.WatchClose()
}

// Close closes the driver, forgetting its readers.
func (l *jsonFileLogger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for w := range l.readers {
		w.Close()
	}
	l.readers = nil
	return nil
}
