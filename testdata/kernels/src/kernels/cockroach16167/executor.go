// Package cockroach16167 has the shape of cockroachdb/cockroach#16167:
// the executor's systemConfigCond is built on systemConfigMu.RLocker(), so
// locking the condition's L read-locks systemConfigMu. updateSystemConfig
// holds systemConfigMu for writing and then waits through the condition,
// read-locking the mutex it already holds.
//
// kernel: double-lock cockroachdb/cockroach#16167
package cockroach16167

import "sync"

// SystemConfig is the gossiped system configuration.
type SystemConfig struct{ Version int }

// Executor runs SQL statements.
type Executor struct {
	systemConfigMu   sync.RWMutex
	systemConfigCond *sync.Cond
	systemConfig     *SystemConfig
}

// NewExecutor returns an executor with its condition set up.
func NewExecutor() *Executor {
	e := &Executor{}
	e.systemConfigCond = sync.NewCond(e.systemConfigMu.RLocker())
	return e
}

func (e *Executor) updateSystemConfig(cfg *SystemConfig) {
	e.systemConfigMu.Lock()
	defer e.systemConfigMu.Unlock()
	e.systemConfig = cfg
	e.waitForConfigLocked()
}

func (e *Executor) waitForConfigLocked() {
	e.systemConfigCond.L.Lock() // bug: lockpair
	e.systemConfigCond.Broadcast()
	e.systemConfigCond.L.Unlock()
}

// WaitForSystemConfig blocks until a configuration is known.
func (e *Executor) WaitForSystemConfig() *SystemConfig {
	e.systemConfigCond.L.Lock()
	defer e.systemConfigCond.L.Unlock()
	for e.systemConfig == nil {
		e.systemConfigCond.Wait()
	}
	return e.systemConfig
}
