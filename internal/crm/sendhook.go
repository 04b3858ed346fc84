package crm

import (
	"context"
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
