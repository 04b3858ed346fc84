package mapping

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/tailscale/hujson"
)

// EventFromBody makes the event a delivery of body from source (of kind)
// would become: the body standardised with hujson (trailing commas and
// comments, as senders write them), the type read from event_type/eaf_type,
// and key as the idempotency key, or when key is "" the one intake computes:
// "eaf:<eaf_id>" for an EAF body with an id, else "sha256:<hex>" of the
// canonical JSON (keys sorted, no insignificant space).
func EventFromBody(kind syncd.Kind, source, key string, body []byte) (syncd.Event, error) {
	std, err := hujson.Standardize(bytes.Clone(body))
	if err != nil {
		return syncd.Event{}, fmt.Errorf("parse body: %w", err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(std))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return syncd.Event{}, fmt.Errorf("parse body: %w", err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, std); err != nil {
		return syncd.Event{}, fmt.Errorf("parse body: %w", err)
	}
	typeField := "event_type"
	if kind == syncd.KindEAF {
		typeField = "eaf_type"
	}
	typ, _ := doc[typeField].(string)
	if key == "" {
		if id, _ := doc["eaf_id"].(string); kind == syncd.KindEAF && id != "" {
			key = "eaf:" + id
		} else {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(doc); err != nil {
				return syncd.Event{}, fmt.Errorf("canonical body: %w", err)
			}
			sum := sha256.Sum256(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			key = "sha256:" + hex.EncodeToString(sum[:])
		}
	}
	return syncd.Event{Source: source, Kind: kind, Type: typ, Key: key, Body: body, Payload: compact.Bytes()}, nil
}

// Explain prints what mapping ev gives: its state and reason, the rule, and
// each operation with its properties. It writes nothing anywhere else; it
// is what `syncd map` shows.
func Explain(r *Rules, ev syncd.Event, w io.Writer) error {
	res := r.Map(ev)
	var b strings.Builder
	fmt.Fprintf(&b, "event: %s %s from %s (key %s)\n", ev.Kind, typeName(ev.Type), ev.Source, ev.Key)
	fmt.Fprintf(&b, "target: %s\nstate: %s\n", r.target, res.State)
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
