package a

import (
	"bufio"
	"io"
)

// A reader goroutine that hands each line of a connection to the caller,
// which drains it in counted loops.

// lineReader sends every line read from conn on the channel it returns,
// and ends when conn is closed.
func lineReader(conn io.Reader) <-chan string { // want lineReader:`chans\(r0:spawns-sends-many/cap-0\)`
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(conn)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// Greeting reads the three lines the server sends on connect, then
// closes: the loop runs its body three times, so every path receives.
func Greeting(conn io.ReadCloser) []string {
	defer conn.Close()
	lines := lineReader(conn)
	var out []string
	for i := 1; i <= 3; i++ {
		out = append(out, <-lines)
	}
	return out
}

// Features reads one line per feature of a fixed list.
func Features(conn io.ReadCloser) map[string]string {
	defer conn.Close()
	lines := lineReader(conn)
	got := map[string]string{}
	for _, name := range []string{"auth", "size", "tls"} {
		got[name] = <-lines
	}
	return got
}

// Drain waits for the two lines the server sends before it hangs up.
func Drain(conn io.ReadCloser) {
	defer conn.Close()
	lines := lineReader(conn)
	for range 2 {
		<-lines
	}
}

// Head reads the first n lines: with n == 0 it closes the connection
// without receiving, and the reader stays blocked sending the first line.
func Head(conn io.ReadCloser, n int) []string {
	defer conn.Close()
	lines := lineReader(conn) // want `goroutine started by lineReader can block forever sending on the channel it returns: Head can return without receiving from it`
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, <-lines)
	}
	return out
}

// Rest reads one line per name it is given, a list that may be empty.
func Rest(conn io.ReadCloser, names []string) []string {
	defer conn.Close()
	lines := lineReader(conn) // want `goroutine started by lineReader can block forever sending on the channel it returns: Rest can return without receiving from it`
	var out []string
	for range names {
		out = append(out, <-lines)
	}
	return out
}
