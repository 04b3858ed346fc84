package crm

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// closedIdleText is the message of net/http's errServerClosedIdle.
const closedIdleText = "http: server closed idle connection"

// closedBeforeWritten reports whether err is net/http's "server closed
// idle connection". Its HTTP/1 transport returns it only for a connection
// it saw closed (or sent a 408) while no request was registered on it:
// closed before this request was queued for writing, so no byte of it
// went out. net/http sends again on its own only an idempotent request
// that ended so, not a create, though the CRM never saw it.
func closedBeforeWritten(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == closedIdleText {
			return true
		}
	}
	return false
}

// maxUnwritten bounds the resends of one attempt whose connection was
// closed before anything went out (send).
const maxUnwritten = 8

type reachedKey struct{}

// withReached returns ctx carrying reached, which send sets once an
// attempt wrote its request's headers on a connection not closed before
// anything went out: the CRM may have read it.
func withReached(ctx context.Context, reached *atomic.Bool) context.Context {
	return context.WithValue(ctx, reachedKey{}, reached)
}

// send sends req through the transport underneath (once only, unless
// safe, see sendOnce), and again at once on another connection while the
// pooled one it took turns out closed before anything of req went out
// (closedBeforeWritten): a CRM or a proxy closing idle keep-alive
// connections would otherwise fail a create now and then. Each such
// resend spent an idle connection, which is gone now; a fresh connection
// closed so is left to the retry policy (notSent), which waits first.
func (t *transport) send(req *http.Request, safe bool) (*http.Response, error) {
	reached, _ := req.Context().Value(reachedKey{}).(*atomic.Bool)
	for n := 0; ; n++ {
		var wrote, reused atomic.Bool
		r := req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			GotConn:      func(info httptrace.GotConnInfo) { reused.Store(info.Reused) },
			WroteHeaders: func() { wrote.Store(true) },
		}))
		if n > 0 && req.Body != nil && req.Body != http.NoBody {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = body
		}
		if !safe {
			sendOnce(r)
		}
		resp, err := t.base.RoundTrip(r)
		unwritten := err != nil && closedBeforeWritten(err)
		if wrote.Load() && !unwritten && reached != nil {
			reached.Store(true)
		}
		canRewind := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
		if !unwritten || !reused.Load() || !canRewind || n == maxUnwritten || req.Context().Err() != nil {
			return resp, err
		}
	}
}
