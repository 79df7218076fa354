package main

import (
	"fmt"
	"net"
	"time"
)

type counter struct{ n int }

func (c *counter) inc() { c.n++ }

// startHeartbeat runs once, from main: its ticker goroutine lives as long
// as the program.
func startHeartbeat(c *counter, every time.Duration) {
	go func() {
		for {
			time.Sleep(every)
			c.inc()
		}
	}()
}

// startMetrics is called by startHeartbeats, itself run once from main.
func startMetrics(c *counter) {
	go func() {
		for {
			time.Sleep(time.Second)
			fmt.Println(c.n)
		}
	}()
}

func startHeartbeats(c *counter) {
	startMetrics(c)
}

// watch is called for every accepted connection: each call leaves one
// more goroutine behind that never exits.
func watch(conn net.Conn, c *counter) {
	go func() { // want `goroutine never exits: its loop has no return, break or case that ends it`
		for {
			time.Sleep(time.Second)
			c.inc()
		}
	}()
	conn.Close()
}

// serve is started from main, but in its accept loop.
func serve(l net.Listener, c *counter) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		watch(conn, c)
	}
}

func init() {
	c := &counter{}
	startHeartbeat(c, time.Minute)
	startHeartbeats(c)
	if l, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		go serve(l, c)
	}
}
