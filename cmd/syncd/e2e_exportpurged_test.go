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
	out := syncdOK(t, "purge", "-config", config)
	if !strings.HasPrefix(out, "purged: 1 event body") {
		t.Fatalf("purge: %s", out)
	}
	// What purge left, the oldest of each kind, is what shows the authority
	// that nothing older than the retention is held; it said only what it
	// dropped this time ("purged: 0 ..." on a second run proves nothing).
	mustContain(t, "purge", out, "held now, the oldest of each kind",
		"\n  enquiries (their bodies): none\n",
		"\n  CRM operations finished: ", " (kept for ever: retention.outbox_days 0)\n",
		"\n  CRM links (an email or phone and its CRM id): ", " (kept for ever: retention.link_days 0)\n",
		"\n  CRM operations not sent yet: none\n",
		"\n  daily reports (workbooks in report.dir): none\n",
		"\nnothing held is older than its retention\n")

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
