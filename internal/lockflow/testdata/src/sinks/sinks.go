// Package sinks hands batches to sinks through interfaces: the targets
// test asks lockflow, from several goroutines at once, which methods
// each interface call runs.
package sinks

import "sync"

// A Sink takes batches and flushes them.
type Sink interface {
	Write(b []byte)
	Flush()
}

// A Writer only takes batches.
type Writer interface {
	Write(b []byte)
}

type fileSink struct {
	mu  sync.Mutex
	buf []byte
}

func (s *fileSink) Write(b []byte) {
	s.mu.Lock()
	s.buf = append(s.buf, b...)
	s.mu.Unlock()
}

func (s *fileSink) Flush() {
	s.mu.Lock()
	s.buf = s.buf[:0]
	s.mu.Unlock()
}

type memSink struct {
	mu sync.Mutex
	n  int
}

func (m *memSink) Write(b []byte) {
	m.mu.Lock()
	m.n += len(b)
	m.mu.Unlock()
}

func (m *memSink) Flush() {}

// counter has Write but no Flush: it is converted to an interface, but
// it is no Sink, so a Sink's Write never runs its Write; a Writer's does.
type counter struct{ n int }

func (c *counter) Write(b []byte) { c.n += len(b) }

func Fanout(b []byte) {
	sinks := []Sink{&fileSink{}, &memSink{}}
	for _, s := range sinks {
		s.Write(b) // want `runs \(\*sinks\.fileSink\)\.Write, \(\*sinks\.memSink\)\.Write$`
		s.Flush()  // want `runs \(\*sinks\.fileSink\)\.Flush, \(\*sinks\.memSink\)\.Flush$`
	}
	var w Writer = &counter{}
	w.Write(b) // want `runs \(\*sinks\.counter\)\.Write, \(\*sinks\.fileSink\)\.Write, \(\*sinks\.memSink\)\.Write$`
}

// A pipeline keeps its sink in a field: its calls run the types stored
// there, and a counter stored in its Writer field is no Sink.
type pipeline struct {
	out Sink
	log Writer
}

func newPipeline() *pipeline {
	return &pipeline{out: &fileSink{}, log: &counter{}}
}

func (p *pipeline) send(b []byte) {
	p.out.Write(b) // want `runs \(\*sinks\.fileSink\)\.Write$`
	p.log.Write(b) // want `runs \(\*sinks\.counter\)\.Write$`
	p.out.Flush()  // want `runs \(\*sinks\.fileSink\)\.Flush$`
}
