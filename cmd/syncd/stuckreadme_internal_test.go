package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSystemdReadmeQuotesTheStuckLine: systemd/README.md quoted the
// status line of a stuck batch as "ONE BATCH STUCK (504 Gateway Timeout
// to operation(s) ID...)", a form the line no longer takes: one operation
// is "to operation ID", several are "N OPERATIONS STUCK (... to operations
// ID, ID, each alone)". The README quotes both as the line says them.
func TestSystemdReadmeQuotesTheStuckLine(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../systemd/README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := strings.Join(strings.Fields(string(b)), " ")
	ids := regexp.MustCompile(`\b(221|361)\b`)
	for _, ops := range [][]int64{{221}, {221, 361}} {
		l := &statusLine{}
		l.crmStuck("hubspot", ops, "504 Gateway Timeout")
		quote := strings.TrimPrefix(l.sent, "ATTENTION: ")
		quote, _, _ = strings.Cut(quote, ": syncd status")
		if len(ops) > 1 {
			quote = quote[strings.Index(quote, "2 OPERATIONS"):]
		}
		quote = ids.ReplaceAllString(quote, "ID")
		if !strings.Contains(readme, quote) {
			t.Errorf("systemd/README.md does not quote the status line of %d stuck operation(s), %q", len(ops), quote)
		}
	}
}
