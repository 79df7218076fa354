package lockorder_test

import (
	"testing"

	"github.com/concvet/concvet/passes/lockorder"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockorder.Analyzer,
		"ledger", "fscache", "pubsub", "sched", "plugins", "registry", "app", "vfs", "wal", "forks", "kernels", "catalog", "outbox", "depot")
}
