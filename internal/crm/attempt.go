package crm

import (
	"context"
	"io"
	"net/http"
	"time"
)

// attempt bounds one HTTP attempt by the client's timeout, counted from
// when the limiter let it go: waiting for the rate budget is not part of
// a request's time. The deadline covers reading the body too; it ends
// when the body is closed.
//
// A write under way when req's context ends (syncd stopping, Ctrl-C)
// goes on for up to grace more, within its timeout: cut at once, a create
// the CRM made lost its answer, the record's id with it, and its next
// write had to find the record again (Pipedrive: after a settle time, in
// its lists) or wait, in doubt, while syncd said it was finishing the
// work under way. A read (GET, HEAD) is cut at once: its answer is of no
// use once stopped, and Ctrl-C on a check of a CRM that does not answer
// would wait.
func attempt(req *http.Request, timeout, grace time.Duration) (*http.Request, context.CancelFunc) {
	parent := req.Context()
	if grace <= 0 || req.Method == http.MethodGet || req.Method == http.MethodHead {
		ctx, cancel := context.WithTimeout(parent, timeout)
		return req.WithContext(ctx), cancel
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), timeout)
	stop := context.AfterFunc(parent, func() {
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(ctx, func() { t.Stop() })
	})
	return req.WithContext(ctx), func() { stop(); cancel() }
}

// cancelBody ends an attempt's deadline when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
