// Command floor is the baseline for concvet's benchmarks: a vet tool whose
// only analyzer does nothing but require buildssa and declare a fact type.
// Loading, type-checking and building SSA is the floor that no SSA-based
// suite can go below; bench/bench.sh reports concvet's cost as a ratio to it.
package main

import (
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/unitchecker"
)

type nothing struct{}

func (*nothing) AFact()         {}
func (*nothing) String() string { return "nothing" }

var floor = &analysis.Analyzer{
	Name:       "floor",
	Doc:        "floor: requires buildssa and does nothing else",
	Requires:   []*analysis.Analyzer{buildssa.Analyzer},
	FactTypes:  []analysis.Fact{new(nothing)},
	ResultType: reflect.TypeFor[int](),
	Run: func(pass *analysis.Pass) (any, error) {
		_ = pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
		return 0, nil
	},
}

func main() { unitchecker.Main(floor) }
