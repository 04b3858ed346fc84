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

// TestMailARelayRefusesSaysToLogIn: report.mail names a server that takes
// mail without a login for its own domains alone (a company's relay), and
// report.mail.to an address elsewhere: the server answers "554 5.7.1
// Relay access denied". validate -mail and report -mail said to correct or
// remove the address, which does not mend it; they say that the login (or the
// server) is the setting to change.
func TestMailARelayRefusesSaysToLogIn(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", smtp.Port)),
		"to: [manager@example.com]", "to: [manager@norelay.example]", 1)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	for _, args := range [][]string{{"validate", "-mail"}, {"report", "-date", "2026-11-02", "-mail"}} {
		_, stderr, code := syncdRun(t, append(args, "-config", file)...)
		if code != 1 || !strings.Contains(stderr, "Relay access denied") ||
			!strings.Contains(stderr, "report.mail does not fit what the mail server offers") ||
			!strings.Contains(stderr, "set username and password_file") || strings.Contains(stderr, "correct or remove") {
			t.Errorf("%s: exit %d, want 1, the login said to set, not the address\n%s", strings.Join(args, " "), code, stderr)
		}
	}
}
