// Package fixed is rakyll/gotest#44 as fixed: the copiers are added to the
// group only when they are started, and waited for before the command.
package fixed

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
	wg.Add(2)
	go copyLines(&wg, stdout, out)
	go copyLines(&wg, stderr, out)
	wg.Wait()
	return cmd.Wait()
}
