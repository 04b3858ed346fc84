package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// EventFromBody makes the event a delivery of body from source (of kind)
// would become, by intake's own decoder (sender.Decode): the same parse,
// type and shape check, and key as the idempotency key, or when key is ""
// the one intake computes. A body that does not fit its kind comes back
// with MapState unrecognised and the reason in MapError.
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

// Explain prints what mapping ev gives: its state and reason, the rule, and
// each operation with its properties. It writes nothing anywhere else; it
// is what `syncd map` shows.
func Explain(r *Rules, ev syncd.Event, w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "event: %s %s from %s (key %s)\n", ev.Kind, typeName(ev.Type), ev.Source, ev.Key)
	if ev.MapState == syncd.MapUnrecognised {
		fmt.Fprintf(&b, "target: %s\nstate: %s\nreason: %s\n", r.target, ev.MapState, ev.MapError)
		b.WriteString("intake stores it as an event that needs attention, listed in the report; it is never mapped\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	res := r.Map(ev)
	fmt.Fprintf(&b, "target: %s\nstate: %s\n", r.target, res.State)
	if s := sender.For(ev.Kind); s != nil && !s.Known(ev.Type) && res.State == syncd.MapIgnored {
		fmt.Fprintf(&b, "new event type %s: %s does not document it and no rule maps it; the report lists it\n",
			typeName(ev.Type), s.Name)
	}
	if res.Rule != "" {
		fmt.Fprintf(&b, "rule: %s\n", res.Rule)
	}
	if res.Reason != "" {
		fmt.Fprintf(&b, "reason: %s\n", res.Reason)
	}
	for _, op := range res.Ops {
		b.WriteString("\n")
		writeOp(&b, op, r.modes)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ExplainBody is Explain for a raw body, as `syncd map -source S FILE.json`
// reads it; see EventFromBody for kind, source and key.
func ExplainBody(r *Rules, kind syncd.Kind, source, key string, body []byte, w io.Writer) error {
	ev, err := EventFromBody(kind, source, key, body)
	if err != nil {
		return err
	}
	return Explain(r, ev, w)
}

// writeOp prints one operation, properties in name order, each marked
// with its write mode when it has one, and then what an update of an
// existing record would write.
func writeOp(b *strings.Builder, op syncd.Op, modes syncd.WriteModes) {
	fmt.Fprintf(b, "%s %s", op.Kind, op.Key)
	if op.ContactKey != "" {
		fmt.Fprintf(b, " (contact %s)", op.ContactKey)
	}
	fmt.Fprintf(b, " [%s, %s]\n", op.MappingFile, shortHash(op.MappingHash))
	names := make([]string, 0, len(op.Properties))
	for k := range op.Properties {
		names = append(names, k)
	}
	slices.Sort(names)
	var update []string
	marked := false
	for _, k := range names {
		fmt.Fprintf(b, "  %s: %s", k, gjsonQuote(op.Properties[k]))
		switch modes.Of(op.Kind, k) {
		case syncd.WriteCreate:
			b.WriteString("  (on create only)")
			marked = true
		case syncd.WriteAdd:
			b.WriteString("  (added to the list)")
			update, marked = append(update, k+" (added)"), true
		default:
			update = append(update, k)
		}
		b.WriteString("\n")
	}
	if marked {
		fmt.Fprintf(b, "  an update of an existing %s writes only: %s\n", op.Kind, orNone(update))
	}
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// gjsonQuote quotes a value only when it would be ambiguous unquoted
// (spaces at the ends, line breaks, empty).
func gjsonQuote(s string) string {
	if s == "" || strings.ContainsAny(s, "\n\r\t") || strings.TrimSpace(s) != s {
		b, _ := json.Marshal(s)
		return string(b)
	}
	return s
}
