package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles starts the CPU profile asked for by -cpuprofile and
// returns a function that stops it and writes the -memprofile heap
// profile. Both profile only this process, so they are meant for
// -driver=packages; under the vet driver the analysis runs in child
// processes.
func startProfiles(opts *options) (stop func() error, err error) {
	var cpu *os.File
	if opts.cpuProfile != "" {
		if cpu, err = os.Create(opts.cpuProfile); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, err
		}
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return err
			}
		}
		if opts.memProfile == "" {
			return nil
		}
		f, err := os.Create(opts.memProfile)
		if err != nil {
			return err
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}
