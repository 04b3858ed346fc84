package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestMailToAnAddressBeyondASCIISaysSMTPUTF8: report.mail.to names
// søren@firma.dk, letters beyond ASCII before the @, and the mail server
// offers no SMTPUTF8, as many relays do not. validate -mail and report
// -mail said the server took it (it went against RFC 6531, to bounce
// later into the sender's mailbox, or be refused with words that did not
// say why): they say that søren@ was not sent it, why, and what to do,
// the others having it.
func TestMailToAnAddressBeyondASCIISaysSMTPUTF8(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", smtp.Port)),
		"to: [manager@example.com]", "to: [manager@example.com, søren@firma.dk]", 1)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	for _, args := range [][]string{{"validate", "-mail"}, {"report", "-date", "2026-11-02", "-mail"}} {
		before := len(smtp.Messages())
		_, stderr, code := syncdRun(t, append(args, "-config", file)...)
		msgs := smtp.Messages()[before:]
		if code != 1 || len(msgs) != 1 || strings.Join(msgs[0].To, ",") != "manager@example.com" ||
			!strings.Contains(stderr, "søren@firma.dk (not sent: letters beyond ASCII before the @ take SMTPUTF8, which the server does not offer)") ||
			!strings.Contains(stderr, "refused for good: correct or remove it in report.mail.to") {
			t.Errorf("%s: exit %d, %d messages (want 1, to manager@ alone, and søren@ named with SMTPUTF8, exit 1)\n%s",
				strings.Join(args, " "), code, len(msgs), stderr)
		}
	}
}
