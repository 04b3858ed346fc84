package crm

import (
	"context"
	"errors"
	"time"
)

type sendHookKey struct{}

// WithSendHook returns ctx carrying hook, which the client calls with the
// time of each attempt just before it goes on the wire (after any wait for
// the rate limiter). An error from hook stops the attempt unsent. Adapters
// use it to stamp a create's intent with when it was really sent.
func WithSendHook(ctx context.Context, hook func(sent time.Time) error) context.Context {
	return context.WithValue(ctx, sendHookKey{}, hook)
}

// sending runs the request's send hook, if any.
func sending(ctx context.Context, now time.Time) error {
	if hook, ok := ctx.Value(sendHookKey{}).(func(time.Time) error); ok && hook != nil {
		return hook(now)
	}
	return nil
}

// errSentLate stops an attempt whose send hook took the whole timeout.
var errSentLate = errors.New("send hook outlasted the timeout: not sent")

// sendWithin runs the send hook stamped now and returns what is left of
// timeout for the attempt. The timeout counts from the stamp, not from
// after the hook: a guard reckons that a request stamped at t is on the
// wire, and answered or given up, by t+timeout. A hook that writes to a
// slow disk would otherwise let the request go out later than its stamp
// admits, and a later lookup could take its absence for proof that it was
// never applied. A hook that took the whole timeout sends nothing.
func sendWithin(ctx context.Context, now time.Time, timeout time.Duration) (time.Duration, error) {
	start := time.Now() // real time: now may be a test's clock
	if err := sending(ctx, now); err != nil {
		return 0, err
	}
	left := timeout - time.Since(start)
	if left <= 0 {
		return 0, errSentLate
	}
	return left, nil
}
