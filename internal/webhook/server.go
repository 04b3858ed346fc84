package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/ratelog"
)

// ServerOptions are the listener's protections against slow or greedy
// clients.
type ServerOptions struct {
	ReadHeaderTimeout time.Duration // default 5s
	ReadTimeout       time.Duration // default 30s
	WriteTimeout      time.Duration // default 30s, from the end of the body read (closeUnread)
	IdleTimeout       time.Duration // default 2m
	MaxHeaderBytes    int           // default 16 KiB
	ShutdownTimeout   time.Duration // how long in-flight requests get on shutdown (default 30s)
	// MaxConnections caps the connections open at once (0: no cap), so the
	// daemon keeps file descriptors for its database. Past it, the oldest
	// connection not in a request and silent is closed for a new one (see connCap).
	MaxConnections int
	// Log receives net/http's own errors ("Accept error", TLS, panics) as
	// JSON, once per interval each.
	Log zerolog.Logger
}

// Server is an HTTP server that stops gracefully.
type Server struct {
	srv      *http.Server
	shutdown time.Duration
	maxConns int
	errs     *ratelog.Limiter // net/http's own errors
}

// NewServer returns a server for h with opts' timeouts and limits.
func NewServer(h http.Handler, opts ServerOptions) *Server {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opts.ReadHeaderTimeout, 5*time.Second)
	def(&opts.ReadTimeout, 30*time.Second)
	def(&opts.WriteTimeout, 30*time.Second)
	def(&opts.IdleTimeout, 2*time.Minute)
	def(&opts.ShutdownTimeout, 30*time.Second)
	if opts.MaxHeaderBytes <= 0 {
		opts.MaxHeaderBytes = 16 << 10
	}
	errs := ratelog.New(opts.Log, 0, nil)
	errLog := stdlog.New(httpErrors{errs}, "", 0)
	return &Server{shutdown: opts.ShutdownTimeout, maxConns: opts.MaxConnections, errs: errs, srv: &http.Server{
		ConnContext:       withConn,
		ErrorLog:          errLog,
		Handler:           closeUnread(h, opts.WriteTimeout),
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		ReadTimeout:       opts.ReadTimeout,
		WriteTimeout:      opts.WriteTimeout,
		IdleTimeout:       opts.IdleTimeout,
		MaxHeaderBytes:    opts.MaxHeaderBytes,
	}}
}

// Run serves on ln until ctx ends, then stops accepting and waits for the
// requests in flight (each of which waits for its commit) before returning.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	defer s.errs.Close() // the counts of errors held back, at the end
	if s.maxConns > 0 {
		cc := newConnCap(ln, s.maxConns, s.capReached)
		s.srv.ConnState = cc.track
		ln = cc
	}
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.shutdown)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// capReached logs, once per interval with a count, that the connection
// cap was reached: a connection not in a request was closed for a new one
// (info), or every connection is in a request and new ones, senders'
// among them, wait (warn): no line said so, and a sender that gave up
// waiting left no trace. It runs under the cap's lock, which the log's
// own lock never waits for.
func (s *Server) capReached(full bool) {
	fields := func(e *zerolog.Event) { e.Int("max_connections", s.maxConns) }
	if !full {
		s.errs.Log(zerolog.InfoLevel, "conn_cap_idle", nil, "connections at http.max_connections: the oldest one "+
			"not in a request (idle, silent since it opened, or refused and answered, its unread body still coming) was closed for a new one; if a sender or a proxy "+
			"before syncd keeps that many open, raise http.max_connections, then restart syncd", fields)
		return
	}
	s.errs.Log(zerolog.WarnLevel, "conn_cap_full", nil, "every connection http.max_connections allows is in a request: "+
		"new ones, senders' among them, wait for one to end (at most http.read_timeout), and a sender that gives up "+
		"sooner retries later or loses its lead; if they are senders' deliveries, raise http.max_connections, then restart syncd "+
		"(a reload does not take it); "+
		"if they are clients sending slowly or not at all, block their addresses before syncd", fields)
}

// closeUnread closes the connection of a request whose body the handler did
// not read to its end (a wrong token, an unknown path, a body over the
// limit) once it is answered, after reading what is left of the body for
// at most unreadGrace and drainLimit bytes: a body sent whole is read, so
// that the client sees the answer rather than a reset (nginx, which sends
// the whole body before it reads the answer, turned the reset into a 502
// and counted the instance as failing); a trickle is cut. net/http would
// instead read the rest itself (up to 256 KiB, to keep the connection),
// first before answering and again after, so that a client refused unread
// could trickle its body and hold a connection in a request, which the
// connection cap never closes, until the read timeout; past 256 KiB it
// closed at once, with the body unread: a reset. A client that asked for
// "Expect: 100-continue" is never asked for its body, and its connection is
// closed within unreadGrace: net/http waited for that body to read it, until
// the read timeout. Meanwhile the connection cap may close it for a
// newcomer (cappedConn.answered).
//
// A body read to its end moves the write deadline to write after its end:
// net/http measures it from the end of the headers, so that a body that
// took longer than http.write_timeout to arrive (http.read_timeout allows
// it) was stored, and its answer cut, the sender retrying a delivery it had
// made. The read timeout still bounds how long a body may take; the answer
// then has write (more than intake.answer_within) as it would after a body
// sent at once.
func closeUnread(h http.Handler, write time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Connection", "close")
		rc := http.NewResponseController(w)
		b := &keepOnEnd{ReadCloser: r.Body, left: r.ContentLength, header: w.Header(), rc: rc, write: write}
		r.Body = b
		h.ServeHTTP(w, r)
		if b.ended {
			return
		}
		rc.Flush() // the answer first
		rc.SetReadDeadline(time.Now().Add(unreadGrace))
		if cc, ok := r.Context().Value(connKey{}).(*cappedConn); ok {
			cc.answered() // what is left is not worth a sender's place at the cap
		}
		if !b.began && r.Header.Get("Expect") != "" {
			// Never asked for: the client waits for 100 Continue, and
			// reading would send it. net/http would still wait for the
			// body to read it, until the read timeout; the deadline ends
			// that wait within unreadGrace.
			return
		}
		io.CopyN(io.Discard, b, drainLimit)
	})
}

// connKey is the context key of a request's connection (withConn).
type connKey struct{}

// withConn keeps a connection in its requests' context, for closeUnread to
// tell the connection cap of one refused (cappedConn.answered).
func withConn(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// drainLimit is how much of a body left unread is read after the answer:
// past any proxy's usual body limit (nginx's default is 1 MiB).
const drainLimit = 8 << 20

// unreadGrace is how long a body the handler left unread may take to arrive
// once the request is answered.
const unreadGrace = time.Second

// keepOnEnd lifts closeUnread's Connection: close once the body is read to
// its end: the connection can then serve the sender's next delivery; and
// it sets the write deadline to write from then.
type keepOnEnd struct {
	io.ReadCloser
	left   int64 // declared bytes not yet read; -1 when undeclared (chunked)
	began  bool  // read from at all
	ended  bool
	header http.Header
	rc     *http.ResponseController
	write  time.Duration
}

func (b *keepOnEnd) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.began = true
	if b.left > 0 {
		b.left -= int64(n)
	}
	if !b.ended && (err == io.EOF || b.left == 0) {
		b.ended = true
		b.header.Del("Connection")
		b.rc.SetWriteDeadline(time.Now().Add(b.write))
	}
	return n, err
}

// httpErrors writes net/http's log lines as JSON at warn level, each kind
// once per interval with a count: with the file descriptors spent,
// "Accept error" repeats every few ms.
type httpErrors struct{ logs *ratelog.Limiter }

func (h httpErrors) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	// The kind is the text up to a colon or a digit ("Accept error",
	// "panic serving "): never an address, so the kinds stay few.
	kind := strings.TrimPrefix(msg, "http: ")
	if i := strings.IndexAny(kind, ":0123456789["); i >= 0 {
		kind = kind[:i]
	}
	h.logs.Log(zerolog.WarnLevel, kind, nil, "http server", func(e *zerolog.Event) { e.Str("error", msg) })
	return len(p), nil
}
