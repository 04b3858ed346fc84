package webhook

import (
	"container/list"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// connCap keeps at most max connections open, so that a flood of
// connections cannot take the file descriptors the database needs. To make
// room for a new connection it closes the oldest one that is not in a
// request and is silent: idle between requests, or opened and sending
// nothing (see silent), or one refused and answered whose body is still
// coming (see answered). A flood of idle or silent connections then costs a
// legitimate client nothing but its turn in the accept queue. Only when no
// such connection is there does Accept wait: for one to end (every
// connection in a request) or to fall silent. Each time it closes one, or
// finds every connection in a request, it tells reached (full: every
// connection is in a request).
//
// A connection whose request has arrived but is not read yet is also not
// in a request to net/http (StateNew until its headers are parsed): under
// an unauthenticated flood of requests at the cap's rate (1,700 a second
// at the default 512, from one local client), the senders' connections
// were closed in that moment for the flood's newcomers, and 15 of 16
// deliveries failed with a reset or EOF.
type connCap struct {
	net.Listener
	max     int
	reached func(full bool)
	now     func() time.Time

	mu     sync.Mutex
	cond   *sync.Cond
	open   int
	closed bool
	quiet  *list.List // connections not in a request (*cappedConn), oldest first
	at     map[net.Conn]*list.Element
	timer  *time.Timer // wakes an Accept waiting for a connection to fall silent
}

// silentFor is how long a connection just opened must have received
// nothing before it may be closed for a new one: a sender's request follows
// its connection's opening at once, but "at once" on a busy machine may
// take a scheduler's while.
const silentFor = 100 * time.Millisecond

var errListenerClosed = errors.New("listener closed")

func newConnCap(ln net.Listener, max int, reached func(full bool)) *connCap {
	c := &connCap{Listener: ln, max: max, reached: reached, now: time.Now, quiet: list.New(), at: map[net.Conn]*list.Element{}}
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
		switch old := c.silentOne(); {
		case old != nil:
			c.quiet.Remove(c.at[old])
			delete(c.at, old)
			old.Close() // its server goroutine reports StateClosed, which makes room
			c.reached(false)
		case c.quiet.Len() > 0: // connections that may yet fall silent: look again soon
			if c.timer == nil {
				c.timer = time.AfterFunc(silentFor/4, func() {
					c.mu.Lock()
					c.timer = nil
					c.mu.Unlock()
					c.cond.Broadcast()
				})
			}
		case !told:
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
	return &cappedConn{Conn: conn, opened: c.now(), cap: c}, nil
}

// silentOne is the oldest connection refused and answered, else the oldest
// not in a request that is silent, or nil. A refused one goes first: it is
// no sender's delivery, where one only opened and silent may be a sender's
// whose request is being read (silent only as far as silentFor can tell on
// a busy machine).
func (c *connCap) silentOne() *cappedConn {
	for e := c.quiet.Front(); e != nil; e = e.Next() {
		if cc := e.Value.(*cappedConn); cc.refused.Load() {
			return cc
		}
	}
	now := c.now()
	for e := c.quiet.Front(); e != nil; e = e.Next() {
		if cc := e.Value.(*cappedConn); cc.silent(now) {
			return cc
		}
	}
	return nil
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
		if cc, ok := conn.(*cappedConn); ok {
			cc.idle.Store(st == http.StateIdle)
			cc.refused.Store(false)
			if st == http.StateIdle {
				cc.begun.Store(0) // the next request's first byte, when it comes
			}
			c.at[conn] = c.quiet.PushBack(cc)
		}
		if st == http.StateIdle {
			c.cond.Broadcast() // one that may be closed for an Accept waiting for room
		}
	case http.StateClosed, http.StateHijacked:
		c.open--
		c.cond.Broadcast()
	}
}

// cappedConn is a connection the cap counts: it notes when its request
// began to arrive, for silent.
type cappedConn struct {
	net.Conn
	opened  time.Time
	cap     *connCap
	begun   atomic.Int64 // UnixNano of its first byte read since it opened or went idle; 0 when none
	idle    atomic.Bool  // between requests (StateIdle), not just opened
	refused atomic.Bool  // in a request refused and answered, its body unread (answered)
}

// answered tells the cap that the connection's request was refused and
// answered, and that what the client still sends is a body syncd does not
// want: read for a while after the answer (closeUnread), so that a proxy
// that sends a body whole before it reads the answer is not reset, but not
// worth a sender's place. The cap may close the connection for a newcomer
// at once, as a silent one: a client refused for a wrong token, needing
// none, kept its connection in the request for that while by trickling
// its body, and as many of them as the cap kept every sender waiting.
func (cc *cappedConn) answered() {
	cc.refused.Store(true)
	c := cc.cap
	c.mu.Lock()
	if c.at[cc] == nil {
		c.at[cc] = c.quiet.PushBack(cc)
	}
	c.mu.Unlock()
	c.cond.Broadcast()
}

func (cc *cappedConn) Read(p []byte) (int, error) {
	n, err := cc.Conn.Read(p)
	if n > 0 && cc.begun.Load() == 0 {
		cc.begun.Store(time.Now().UnixNano())
	}
	return n, err
}

// CloseWrite lets net/http half-close the connection, as it does a TCP
// connection's, before closing it: the client then reads the answer rather
// than a reset.
func (cc *cappedConn) CloseWrite() error {
	if cw, ok := cc.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// silent reports whether the connection, not in a request, may be closed
// for a new one: it was refused and answered (answered), or nothing it was
// sent waits in the kernel to be read, no request began to arrive on it
// within slowFor (a request begun, read in part or whole, is not in a
// request to net/http until its headers are parsed; a client trickling
// them is cut after slowFor: a sender's come whole), and it is idle
// between requests or was opened at least silentFor ago. A request begun
// was taken for silent 100 ms after its last byte: a sender whose headers
// came in two TCP segments a moment apart, or whose request waited to be
// parsed on a busy machine, had its connection closed, and its delivery
// failed (EOF).
func (cc *cappedConn) silent(now time.Time) bool {
	if cc.refused.Load() { // what waits to be read is the body refused
		return true
	}
	if b := cc.begun.Load(); b != 0 && now.Sub(time.Unix(0, b)) < slowFor {
		return false
	}
	if !cc.idle.Load() && now.Sub(cc.opened) < silentFor {
		return false
	}
	return !cc.waiting()
}

// slowFor is how long a connection may take to send its request's headers
// before it may be closed for a new one though it is sending them.
const slowFor = time.Second

// waiting reports whether bytes the client sent wait in the kernel to be
// read (a request arrived, its connection not yet served); false when that
// cannot be told.
func (cc *cappedConn) waiting() bool {
	sc, ok := cc.Conn.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	n := 0
	raw.Control(func(fd uintptr) { n, _ = unix.IoctlGetInt(int(fd), unix.SIOCINQ) })
	return n > 0
}
