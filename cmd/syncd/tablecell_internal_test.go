package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSenderTextKeepsToItsCell: an event type holding a line break or a tab
// (and the mapping error quoting it) stays in its row and column of events
// list, on a terminal and in a pipe, shown as \n and \t. The line break
// ended the row, and what followed it (here a forged row of a mapped lead)
// was printed as a row of its own.
func TestSenderTextKeepsToItsCell(t *testing.T) {
	t.Parallel()
	forged := "feed_import\n99  2025-01-02 10:00:00 +01:00  eaf  email_lead\tstrict  1  mapped"
	ev := syncd.Event{ID: 7, Source: "eaf", Type: forged, Parse: syncd.ParseStrict, Deliveries: 1,
		ReceivedAt: time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC), MapState: syncd.MapIgnored, MapError: "no rule for eaf " + forged}
	for name, wrap := range map[string]func(*bytes.Buffer) io.Writer{
		"pipe":     func(b *bytes.Buffer) io.Writer { return b },
		"terminal": func(b *bytes.Buffer) io.Writer { return ctlEscaper{b} },
	} {
		var out bytes.Buffer
		c := &cli{stdout: wrap(&out)}
		c.printEvents(cph, []syncd.Event{ev}, false, true)
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[1], "7 ") || !strings.Contains(lines[1], `feed_import\n99`) ||
			!strings.Contains(lines[1], `email_lead\tstrict`) {
			t.Errorf("%s: the type left its row or cell:\n%s", name, out.String())
		}
	}
}

// TestInvisibleCharactersShowOnATerminal: on a terminal, the format
// characters a sender may write, which show as nothing or reorder what
// follows them (a zero-width space, a right-to-left override), are shown
// as escapes. An event type "email_lead" with a zero-width space after it
// showed as email_lead in events list, beside "ignored: no rule for eaf
// email_lead", for a mapping that has that rule.
func TestInvisibleCharactersShowOnATerminal(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"email_lead\u200b":      `email_lead\u200b`,
		"a\u202ecba":            `a\u202ecba`,
		"\ufeffx\u2066y\u2069":  `\ufeffx\u2066y\u2069`,
		"tag\U000e0041":         `tag\U000e0041`,
		"Søren Ø, Åse, 😀, ü, ñ": "Søren Ø, Åse, 😀, ü, ñ",
	} {
		var out bytes.Buffer
		fmt.Fprint(ctlEscaper{&out}, in)
		if out.String() != want {
			t.Errorf("%q shown as %q, want %q", in, out.String(), want)
		}
	}
}
