package webhook

import (
	"container/list"
	"errors"
	"net"
	"net/http"
	"sync"
)

// connCap keeps at most max connections open, so that a flood of
// connections cannot take the file descriptors the database needs. To make
// room for a new connection it closes the oldest one that is not in a
// request (just opened and silent, or idle between requests): a flood of
// idle connections then costs a legitimate client nothing but its turn in
// the accept queue. Only when every connection is in a request does Accept
// wait for one to end. Each time it does either, it tells reached (full:
// every connection is in a request).
type connCap struct {
	net.Listener
	max     int
	reached func(full bool)

	mu     sync.Mutex
	cond   *sync.Cond
	open   int
	closed bool
	quiet  *list.List // connections not in a request, oldest first
	at     map[net.Conn]*list.Element
}

var errListenerClosed = errors.New("listener closed")

func newConnCap(ln net.Listener, max int, reached func(full bool)) *connCap {
	c := &connCap{Listener: ln, max: max, reached: reached, quiet: list.New(), at: map[net.Conn]*list.Element{}}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// Accept returns the next connection once there is room for it.
func (c *connCap) Accept() (net.Conn, error) {
	conn, err := c.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	told := false
	for c.open >= c.max && !c.closed {
		if e := c.quiet.Front(); e != nil {
			old := c.quiet.Remove(e).(net.Conn)
			delete(c.at, old)
			old.Close() // its server goroutine reports StateClosed, which makes room
			c.reached(false)
		} else if !told {
			told = true
			c.reached(true)
		}
		c.cond.Wait()
	}
	if c.closed {
		conn.Close()
		return nil, errListenerClosed
	}
	c.open++
	return conn, nil
}

// Close closes the listener and wakes an Accept waiting for room.
func (c *connCap) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cond.Broadcast()
	return c.Listener.Close()
}

// track is the server's ConnState hook: it keeps the list of connections
// not in a request, and counts the ones that close.
func (c *connCap) track(conn net.Conn, st http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.at[conn]; e != nil {
		c.quiet.Remove(e)
		delete(c.at, conn)
	}
	switch st {
	case http.StateNew, http.StateIdle:
		c.at[conn] = c.quiet.PushBack(conn)
	case http.StateClosed, http.StateHijacked:
		c.open--
		c.cond.Broadcast()
	}
}
