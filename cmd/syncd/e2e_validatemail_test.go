package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestValidateMailSendsATestMessage: validate never tried the mail
// settings, so a password, a sender or an address the mail server refuses
// showed only when the first report's mail failed, the next morning.
// `syncd validate -mail` sends a message with no lead in it to
// report.mail.to, once, and says what the server answered, in words that
// name the setting to change: the login refused (535) exit 1, a recipient
// refused while the other got it exit 1, one refused only for now exit 4
// (nothing to mend), the server not reached exit 4;
// taken, exit 0 and on stdout. Without -mail nothing is sent.
func TestValidateMailSendsATestMessage(t *testing.T) {
	t.Parallel()
	smtp := mailtest.Start(t, "reports", "s3cret")
	smtp.Greylist(0) // late@greylist.example refused for now, always
	dir := t.TempDir()
	ca := filepath.Join(dir, "relay.pem")
	if err := os.WriteFile(ca, smtp.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	config := func(port int, password, to string, more ...string) string {
		from := "syncd@example.com"
		if len(more) > 1 {
			from = more[1]
		}
		pw := filepath.Join(dir, "pw")
		if err := os.WriteFile(pw, []byte(password+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return writeConfigWith(t, dir, "report:\n  mail:\n    host: 127.0.0.1\n    port: "+strconv.Itoa(port)+
			"\n    username: reports\n    password_file: "+pw+"\n    ca_file: "+ca+
			"\n    from: "+from+"\n    to: ["+to+"]\n"+more[0])
	}
	for _, c := range []struct {
		name, password, to string
		more, from         string
		down               bool
		code               int
		words              []string
		not                string // words not said
	}{
		{name: "sender refused", password: "s3cret", to: "manager@example.com", from: "syncd@refused.example", code: 1,
			words: []string{"553", "report.mail does not fit what the mail server offers", "set from: to an address"}},
		{name: "TLS at once", password: "s3cret", to: "manager@example.com", more: "    tls: tls\n", code: 1,
			words: []string{"report.mail does not fit what the mail server offers", "greets in plain text", "set tls: starttls"}},
		{name: "taken", password: "s3cret", to: "manager@example.com", code: 0,
			words: []string{"mail: a test message went to 1 recipient of report.mail.to: 127.0.0.1:"}},
		{name: "wrong password", password: "wrong", to: "manager@example.com", code: 1,
			words: []string{"refused the test message for good (mend report.mail as it says): mail 127.0.0.1:", "the server refused the login (535 5.7.8 Authentication failed): check username and the password (password_file)"}},
		{name: "one refused", password: "s3cret", to: "manager@example.com, gone@refused.example", code: 1,
			words: []string{"took the test message for manager@example.com but refused gone@refused.example (550 5.1.1 no such user)",
				"refused for good: correct or remove it in report.mail.to", "then run syncd validate -mail again"}, not: "4xx"},
		{name: "one greylisted", password: "s3cret", to: "manager@example.com, late@greylist.example", code: 4,
			words: []string{"took the test message for manager@example.com but refused late@greylist.example (450",
				"refused only for now (greylisting, a full mailbox): the server may take it later"}, not: "correct or remove"},
		{name: "down", password: "s3cret", to: "manager@example.com", down: true, code: 4,
			words: []string{"the mail server was not reached: mail 127.0.0.1:", "connection refused", "check host and port", "then run syncd validate -mail again"}},
	} {
		port := smtp.Port
		if c.down {
			port = closedPort(t)
		}
		before := len(smtp.Messages())
		from := c.from
		if from == "" {
			from = "syncd@example.com"
		}
		file := config(port, c.password, c.to, c.more, from)
		out, stderr, code := syncdRun(t, "validate", "-offline", "-mail", "-config", file)
		t.Logf("%s: exit %d\n%s%s", c.name, code, out, stderr)
		said := out + stderr
		if code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, code, c.code, said)
		}
		for _, w := range c.words {
			if !strings.Contains(said, w) {
				t.Errorf("%s: want %q in:\n%s", c.name, w, said)
			}
		}
		if c.not != "" && strings.Contains(said, c.not) {
			t.Errorf("%s: %q said:\n%s", c.name, c.not, said)
		}
		if !strings.Contains(out, ": ok (") || strings.Contains(said, "s3cret") || strings.Contains(said, "wrong") {
			t.Errorf("%s: no ok line, or the password said:\n%s", c.name, said)
		}
		// The server named once: it was said two or three times
		// ("the mail server 127.0.0.1:N (tls: starttls) was not reached:
		// mail 127.0.0.1:N: dial failed: dial tcp 127.0.0.1:N: ...").
		if c.code != 0 && strings.Count(stderr, "127.0.0.1") != 1 {
			t.Errorf("%s: the server named %d times:\n%s", c.name, strings.Count(stderr, "127.0.0.1"), stderr)
		}
		if c.name == "taken" {
			msgs := smtp.Messages()
			// The text as a mail program shows it: as sent, its lines are
			// broken (format=flowed) where the host's and file's names put them.
			var text string
			if len(msgs) > 0 {
				if p, err := msgs[len(msgs)-1].Parse(); err == nil {
					text = p.Text
				}
			}
			// Each recipient reads who sent it, why to them, and that there
			// is nothing to do: it said "report.mail in FILE" alone.
			if len(msgs) != before+1 || msgs[len(msgs)-1].User != "reports" ||
				!strings.Contains(text, "It holds no lead") ||
				!strings.Contains(text, "you get it as one of those the daily leads report is mailed to") ||
				!strings.Contains(text, "Nothing to do") {
				t.Errorf("taken: %d messages, want %d, sent with the login and saying it holds no lead, why and what to do:\n%s", len(msgs), before+1, text)
			}
		}
	}
	before := len(smtp.Messages())
	if _, _, code := syncdRun(t, "validate", "-offline", "-config", config(smtp.Port, "s3cret", "manager@example.com", "")); code != 0 ||
		len(smtp.Messages()) != before {
		t.Errorf("validate without -mail: exit %d, %d messages sent", code, len(smtp.Messages())-before)
	}
}

// closedPort is a loopback port nothing listens on: one of freeAddr's,
// below the ephemeral range and handed out once a run. A port the kernel
// gave a listener of its own and took back was given again to another
// test's server at once (TestReportMailByHand met a mail server there,
// "EOF" where it wanted "connection refused", in a full run).
func closedPort(t *testing.T) int {
	t.Helper()
	addr := freeAddr(t)
	port, err := strconv.Atoi(addr[strings.LastIndex(addr, ":")+1:])
	if err != nil {
		t.Fatal(err)
	}
	return port
}
