// Command daemon waits for a signal; its goroutines live as long as the
// program.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan bool, 1)
	go func() {
		sig := <-sigs
		fmt.Println(sig)
		done <- true
	}()
	go func() {
		for {
			time.Sleep(time.Minute)
			fmt.Println("still alive")
		}
	}()
	<-done
}
