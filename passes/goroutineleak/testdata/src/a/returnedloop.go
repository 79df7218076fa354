package a

import "net"

// Channels returned by the function that starts a loop sending on them.

// packetSink echoes what conn receives and reports each packet on the
// channel it returns, until conn is closed.
func packetSink(conn *net.UDPConn) <-chan []byte {
	received := make(chan []byte, 64)
	go func() {
		for {
			buf := make([]byte, 1500)
			n, addr, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			received <- buf[:n]
			if _, err := conn.WriteToUDP(buf[:n], addr); err != nil {
				return
			}
		}
	}()
	return received
}

// EchoOnly drops the packet channel: its buffer of 64 fills only if more
// packets arrive than that, which depends on the peer: silent.
func EchoOnly(conn *net.UDPConn) {
	packetSink(conn)
}

// packetFeed is packetSink with an unbuffered channel: its first packet
// blocks the loop when nobody receives.
func packetFeed(conn *net.UDPConn) <-chan []byte { // want packetFeed:`chans\(r0:spawns-sends-many/cap-0\)`
	received := make(chan []byte)
	go func() {
		for {
			buf := make([]byte, 1500)
			n, _, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			received <- buf[:n]
		}
	}()
	return received
}

// DrainNothing drops the unbuffered feed: the goroutine blocks on the
// first packet.
func DrainNothing(conn *net.UDPConn) {
	packetFeed(conn) // want `goroutine started by packetFeed can block forever sending on the channel it returns: the caller discards the channel`
}
