package main_test

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestExportTextShowsNoOverride: a lead whose name begins with a
// right-to-left override (U+202E, then "nesnaH miK") reached syncd export
// -format text as sent, so the letter for the person showed "Kim Hansen"
// and turned the rest of its line around, in the enquiry's fields and in
// the unreadable delivery's body alike. The letter leaves such characters
// out and shows the name as the sender wrote it.
func TestExportTextShowsNoOverride(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	p := e2ePerson{"\u202enesnaH miK\u2066", "kim.override@example.com", "20 12 34 57", "11122233344455566677799"}
	storeOldLeads(t, dir, p, time.Now().AddDate(0, 0, -1))
	out := syncdOK(t, "export", "-config", config, "-email", p.email, "-format", "text")
	for i, line := range strings.Split(out, "\n") {
		if strings.IndexFunc(line, syncd.Hidden) >= 0 {
			t.Errorf("line %d holds a character that reorders or hides text: %q", i+1, line)
		}
	}
	for _, want := range []string{"contact_name: nesnaH miK\n", `"contact_name": "nesnaH miK"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the text export lacks %q:\n%s", want, out)
		}
	}
}
