package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// EventFromBody makes the event a delivery of body from source (of kind)
// would become, by intake's own decoder (sender.Decode): the same parse,
// type and shape check, and key as the idempotency key, or when key is ""
// the one intake computes. A body that does not fit its kind comes back
// with MapState unrecognised and the reason in MapError. It has no receipt
// (ReceivedAt is zero: syncd.received_at is ""); a caller that maps it as a
// delivery would be mapped sets one.
func EventFromBody(kind syncd.Kind, source, key string, body []byte) (syncd.Event, error) {
	d := sender.Decode(kind, body, 0)
	if d.Reason != "" {
		return syncd.Event{}, fmt.Errorf("parse body: %s", d.Reason)
	}
	payload := d.Payload
	if payload == nil {
		var compact bytes.Buffer
		if err := json.Compact(&compact, body); err != nil {
			return syncd.Event{}, fmt.Errorf("parse body: %w", err)
		}
		payload = compact.Bytes()
	}
	if key == "" {
		key = d.Key
	}
	ev := syncd.Event{Source: source, Kind: kind, Type: d.Type, Key: key, Body: body, Payload: payload, Parse: d.Parse}
	if d.Unrecognised != "" {
		ev.MapState, ev.MapError = syncd.MapUnrecognised, d.Unrecognised
	}
	return ev, nil
}

// Explanation is what mapping an event gives, for `syncd map` to show: the
// result (state, reason, rule, operations), whether the event's type is
// new to its sender, and how each property is written.
type Explanation struct {
	Event  syncd.Event
	Target string
	Result Result
	// NewType names the sender when it does not document the event's type
	// and no rule maps it (the report lists such events).
	NewType string
	// Modes says which properties are written on create only or added to
	// a list; the rest are written on every update.
	Modes syncd.WriteModes
}

// Explain maps ev without writing anything anywhere. An unrecognised event
// (one that does not fit its source's kind) is never mapped: its result is
// its state and reason.
func Explain(r *Rules, ev syncd.Event) Explanation {
	e := Explanation{Event: ev, Target: r.target, Modes: r.modes}
	if ev.MapState == syncd.MapUnrecognised {
		e.Result = Result{State: ev.MapState, Reason: ev.MapError}
		return e
	}
	e.Result = r.Map(ev)
	if s := sender.For(ev.Kind); s != nil && !s.Known(ev.Type) && e.Result.State == syncd.MapIgnored {
		e.NewType = s.Name
	}
	return e
}

// ExplainBody is Explain for a raw body, as `syncd map -source S FILE.json`
// reads it, taken as received now; see EventFromBody for kind, source and key.
func ExplainBody(r *Rules, kind syncd.Kind, source, key string, body []byte) (Explanation, error) {
	ev, err := EventFromBody(kind, source, key, body)
	if err != nil {
		return Explanation{}, err
	}
	ev.ReceivedAt = time.Now()
	return Explain(r, ev), nil
}
