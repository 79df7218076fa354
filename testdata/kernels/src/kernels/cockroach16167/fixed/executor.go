// Package fixed is cockroachdb/cockroach#16167 as fixed: the update
// broadcasts after it releases the write lock.
package fixed

import "sync"

type SystemConfig struct{ Version int }

type Executor struct {
	systemConfigMu   sync.RWMutex
	systemConfigCond *sync.Cond
	systemConfig     *SystemConfig
}

func NewExecutor() *Executor {
	e := &Executor{}
	e.systemConfigCond = sync.NewCond(e.systemConfigMu.RLocker())
	return e
}

func (e *Executor) updateSystemConfig(cfg *SystemConfig) {
	e.systemConfigMu.Lock()
	e.systemConfig = cfg
	e.systemConfigMu.Unlock()
	e.systemConfigCond.Broadcast()
}

func (e *Executor) WaitForSystemConfig() *SystemConfig {
	e.systemConfigCond.L.Lock()
	defer e.systemConfigCond.L.Unlock()
	for e.systemConfig == nil {
		e.systemConfigCond.Wait()
	}
	return e.systemConfig
}
