package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// FuzzExportText writes the text export (syncd export -format text) of a
// person whose enquiry holds lit (the inside of a JSON string as a sender
// writes it) as a value, as a field's name and as its event type, whose
// unreadable delivery (its body and why it could not be read) and CRM
// operation hold it too (seeds: below, plus
// testdata/fuzz/FuzzExportText). The export is for the person to read,
// on a screen or a terminal: it must be UTF-8 without control characters
// (an escape sequence would drive the terminal) or the invisible ones
// that reorder or hide text (syncd.Hidden: "\u202eevil" showed backwards,
// and so did the rest of its line) and have the lines of a
// plain value's export, none started by the sender.
func FuzzExportText(f *testing.F) {
	for _, s := range []string{"Kim", `a\nWhat syncd holds about you: nothing`, `\u001b[2J\u001b[31mred`, `\u0000\u0007\b`,
		`\u2028\u2029\u0085`, `\ud800`, "tab\\there", `\u202eevil`} {
		f.Add(s)
	}
	want := exportLines(f, "plain")
	f.Fuzz(func(t *testing.T, lit string) {
		var v string
		if json.Unmarshal([]byte(`"`+lit+`"`), &v) != nil {
			return
		}
		got := exportLines(t, lit)
		if got == nil {
			return
		}
		for i, line := range got {
			if !utf8.ValidString(line) || strings.IndexFunc(line, func(r rune) bool {
				return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) || syncd.Hidden(r)
			}) >= 0 {
				t.Fatalf("line %d holds a control character, a right-to-left override or another character that hides or reorders text, or is not UTF-8: %q", i+1, line)
			}
		}
		if oneLine(v, 0) != "" && len(got) != len(want) {
			t.Fatalf("%d lines, a plain value's export has %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
		}
	})
}

// exportLines is the text export's lines for a person whose data holds
// lit; nil when lit cannot be in a JSON payload.
func exportLines(t testing.TB, lit string) []string {
	t.Helper()
	var v string
	payload := []byte(`{"contact_name":"` + lit + `","` + lit + `":"x","list":["` + lit + `"]}`)
	if json.Unmarshal([]byte(`"`+lit+`"`), &v) != nil || !json.Valid(payload) {
		return nil
	}
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	out := personExport{Subject: "kim@example.com", ExportedAt: at,
		Events:      []exportEvent{{ID: 1, Source: "eaf", Type: v, ReceivedAt: at, Deliveries: 1, Payload: payload}},
		Quarantined: []exportQuarantine{{ID: 2, Source: "eaf", ReceivedAt: at, Reason: "not JSON: " + v, Body: `{"contact_name": "` + v}},
		Operations: []exportOp{{ID: 3, EventID: 1, Target: "hubspot", Kind: "contact", Key: "kim@example.com", State: "dead",
			Properties: map[string]string{"firstname": v}, LastError: "refused " + v, UpdatedAt: at}},
	}
	cfg := &config.Config{}
	cfg.CRM.Kind, cfg.Report.TimeZone = "hubspot", "UTC"
	var b bytes.Buffer
	if err := writeExportText(&b, out, cfg); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}
