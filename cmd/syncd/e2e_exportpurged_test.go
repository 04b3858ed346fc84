package main_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestExportSaysWhyAnEnquirysContentIsGone: with retention.outbox_days
// longer than event_days, export finds a lead whose body the retention
// purged by its CRM operations, and printed it without a payload and
// without a word why, which read to the person as data withheld. It says,
// as events show does, that the retention purged it and when.
func TestExportSaysWhyAnEnquirysContentIsGone(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  outbox_days: 0\n")
	d := start(t, config)
	id := postTestdata(t, d, "eaf/email_lead.json").ID
	waitFor(t, "the lead to be mapped", func() bool {
		out, _, _ := syncdRun(t, "events", "list", "-config", config)
		return !strings.Contains(out, "pending")
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "sync", "-config", config)
	ageEvent(t, filepath.Join(dir, "data", "syncd.db"), id)
	if out := syncdOK(t, "purge", "-config", config); !strings.HasPrefix(out, "purged: 1 event bodies") {
		t.Fatalf("purge: %s", out)
	}

	const email = "support@estateagentfeeds.com"
	js := syncdOK(t, "export", "-config", config, "-email", email)
	if !regexp.MustCompile(`"payload_gone": "purged by the retention \(retention.event_days\) at \d{4}-`).MatchString(js) {
		t.Errorf("the export does not say why the lead's content is gone:\n%s", js)
	}
	text := syncdOK(t, "export", "-config", config, "-email", email, "-format", "text")
	if !strings.Contains(text, "its content is no longer held: purged by the retention (retention.event_days) at ") {
		t.Errorf("the text export does not say why the lead's content is gone:\n%s", text)
	}
}
