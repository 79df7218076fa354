// Package jujupubsub6 has the shape of juju/pubsub#6: the multiplexer
// calls its subscribers' callbacks while holding its mutex; a callback
// that subscribes another handler on the same multiplexer takes the
// mutex again.
//
// kernel: double-lock juju/pubsub#6
package jujupubsub6

import "sync"

type element struct {
	topic   string
	handler func(topic string, data map[string]any)
}

type multiplexer struct {
	mu      sync.Mutex
	outputs []element
}

// Add subscribes handler to topic.
func (m *multiplexer) Add(topic string, handler func(string, map[string]any)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.outputs = append(m.outputs, element{topic, handler})
}

func (m *multiplexer) callback(topic string, data map[string]any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.outputs {
		if e.topic == topic {
			e.handler(topic, data) // bug: lockpair
		}
	}
}

// FollowUp subscribes to "done" when "start" is published.
func FollowUp(m *multiplexer, done func(string, map[string]any)) {
	m.Add("start", func(string, map[string]any) {
		m.Add("done", done)
	})
}
