// Package gotest44 has the shape of rakyll/gotest#44: the runner adds the
// two output copiers to its wait group and defers the Wait before it
// starts the command; when starting fails it returns before the copiers
// are started, and the deferred Wait waits forever.
//
// kernel: goroutine-leak rakyll/gotest#44
package gotest44

import (
	"bufio"
	"io"
	"os/exec"
	"sync"
)

func copyLines(wg *sync.WaitGroup, r io.Reader, out func(string)) {
	defer wg.Done()
	s := bufio.NewScanner(r)
	for s.Scan() {
		out(s.Text())
	}
}

// Run runs the tests and colors their output.
func Run(args []string, out func(string)) error {
	var wg sync.WaitGroup
	wg.Add(2)       // bug: goroutineleak
	defer wg.Wait() // bug: goroutineleak

	cmd := exec.Command("go", append([]string{"test"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go copyLines(&wg, stdout, out)
	go copyLines(&wg, stderr, out)
	return cmd.Wait()
}
