package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// writeExplanation prints what `syncd map` shows: the event, the state and
// reason, the rule, and each operation with its properties.
func writeExplanation(w io.Writer, e mapping.Explanation) error {
	var b strings.Builder
	ev, res := e.Event, e.Result
	fmt.Fprintf(&b, "event: %s %s from %s (key %s)\n", ev.Kind, typeName(ev.Type), ev.Source, ev.Key)
	fmt.Fprintf(&b, "target: %s\nstate: %s\n", e.Target, res.State)
	if res.State == syncd.MapUnrecognised {
		fmt.Fprintf(&b, "reason: %s\n", res.Reason)
		b.WriteString("intake stores it as an event that needs attention, listed in the report; it is never mapped\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	if e.NewType != "" {
		fmt.Fprintf(&b, "new event type %s: %s does not document it and no rule maps it; the report lists it\n",
			typeName(ev.Type), e.NewType)
	}
	if res.Rule != "" {
		fmt.Fprintf(&b, "rule: %s\n", res.Rule)
	}
	if res.Reason != "" {
		fmt.Fprintf(&b, "reason: %s\n", res.Reason)
	}
	for _, op := range res.Ops {
		b.WriteString("\n")
		writeOp(&b, op, e.Modes)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeChange prints one event a replay changes, with the operations it
// adds, its time on clk.
func writeChange(w io.Writer, clk clock, modes syncd.WriteModes, ch mapping.ReplayChange) error {
	var b strings.Builder
	ev := ch.Event
	fmt.Fprintf(&b, "event %d (%s %s, %s): %s -> %s", ev.ID, ev.Source, typeName(ev.Type),
		clk.show(ev.ReceivedAt), ev.MapState, ch.Result.State)
	if ch.Result.Reason != "" {
		fmt.Fprintf(&b, " (%s)", ch.Result.Reason)
	}
	b.WriteString("\n")
	for _, op := range ch.Fresh {
		b.WriteString("+ ")
		writeOp(&b, op, modes)
	}
	_, err := io.WriteString(w, b.String())
	return err
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
		fmt.Fprintf(b, "  %s: %s", k, quoteValue(op.Properties[k]))
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

// quoteValue quotes a value only when it would be ambiguous unquoted
// (spaces at the ends, line breaks, empty), as JSON writes a string but
// with "&", "<" and ">" as they are: a message "Fish & chips" over two
// lines showed "Fish \u0026 chips", which is not what the CRM gets.
func quoteValue(s string) string {
	if s == "" || strings.ContainsAny(s, "\n\r\t") || strings.TrimSpace(s) != s {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s) // a string always encodes
		return strings.TrimSuffix(b.String(), "\n")
	}
	return s
}

func typeName(t string) string {
	if t == "" {
		return "(no type)"
	}
	return t
}
