package lockblock_test

import (
	"testing"

	"github.com/concvet/concvet/passes/lockblock"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockblock.Analyzer,
		"example.com/pool", "example.com/ratelimit", "example.com/shipper",
		"example.com/sched", "example.com/cache", "example.com/misc", "example.com/kernel",
		"example.com/nsexec", "example.com/linkcfg", "example.com/watch", "example.com/journal", "example.com/spool", "example.com/wal", "example.com/poller",
		"example.com/session", "example.com/throttle", "example.com/workq")
}
