package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestMailThroughALocalRelayThatOffersALoginWithoutTLS: an agency's server
// relays its mail through Postfix on 127.0.0.1:25, which offers SMTP AUTH
// (PLAIN, LOGIN) and no STARTTLS; report.mail has tls: none, a username
// and password_file. `syncd validate -mail` said "the server offers login
// only as PLAIN ..., and syncd does not: tls: starttls (port 587) or tls:
// tls (port 465)", exit 1, and no report was ever mailed. The login never
// leaves the host: validate -mail and report -mail now send with it. A
// relay on another host offering the same is still not sent the password,
// and says why and the real choices, not STARTTLS the relay does not offer.
func TestMailThroughALocalRelayThatOffersALoginWithoutTLS(t *testing.T) {
	t.Parallel()
	config := func(dir, host string, port int) string {
		pw := filepath.Join(dir, "smtp-password")
		if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return writeConfigWith(t, dir, "report:\n  mail:\n    host: "+host+"\n    port: "+strconv.Itoa(port)+
			"\n    tls: none\n    username: reports\n    password_file: "+pw+
			"\n    from: syncd@example.com\n    to: [manager@example.com]\n")
	}

	local := mailtest.StartRelay(t, "127.0.0.1", "reports", "s3cret", "PLAIN", "LOGIN")
	dir := t.TempDir()
	file := config(dir, "127.0.0.1", local.Port)
	out, stderr, code := syncdRun(t, "validate", "-offline", "-mail", "-config", file)
	if code != 0 || !strings.Contains(out, "mail: a test message went to 1 recipient of report.mail.to: 127.0.0.1:"+
		strconv.Itoa(local.Port)+" (tls: none) took it") || strings.Contains(out+stderr, "STARTTLS") {
		t.Fatalf("validate -mail to the relay on this host: exit %d\n%s%s", code, out, stderr)
	}
	if msgs := local.Messages(); len(msgs) != 1 || msgs[0].User != "reports" {
		t.Fatalf("%d messages, want the test message sent with the login", len(msgs))
	}

	lan := mailtest.LANAddress(t)
	remote := mailtest.StartRelay(t, lan, "reports", "s3cret", "PLAIN", "LOGIN")
	_, stderr, code = syncdRun(t, "validate", "-offline", "-mail", "-config", config(t.TempDir(), lan, remote.Port))
	for _, w := range []string{"report.mail does not fit what the mail server offers: mail " + lan,
		"offers login only as PLAIN LOGIN, and no STARTTLS", "would send the password readable across the network",
		"have the relay offer STARTTLS and set tls: starttls", "or send through a relay on this host",
		"remove username and password_file", "then run syncd validate -mail again"} {
		if code != 1 || !strings.Contains(stderr, w) {
			t.Errorf("validate -mail to a relay on another host: exit %d, want 1 and %q in:\n%s", code, w, stderr)
		}
	}
	if strings.Contains(stderr, "tls: tls") || strings.Contains(stderr, "s3cret") || len(remote.Messages()) != 0 {
		t.Errorf("validate -mail to a relay on another host: TLS from the first byte advised, the password said, "+
			"or %d messages sent:\n%s", len(remote.Messages()), stderr)
	}

	notInShort(t, longUnderRace)
	makeDB(t, dir)
	out, stderr, code = syncdRun(t, "report", "-mail", "-config", file)
	msgs := local.Messages()
	if code != 0 || len(msgs) != 2 || msgs[1].User != "reports" {
		t.Fatalf("report -mail through the relay on this host: exit %d, %d messages\n%s%s", code, len(msgs), out, stderr)
	}
	p, err := msgs[1].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if name := filepath.Base(strings.TrimSpace(out)); len(p.Attachments[name]) == 0 {
		t.Fatalf("the report's mail has no %s attached: %v", name, p.Attachments)
	}
}

// TestDaemonMailsTheReportThroughALocalRelayWithItsLogin: the daemon's
// report of yesterday, made at its start, went unmailed through a relay on
// 127.0.0.1 that offers a login as PLAIN alone and no STARTTLS (the mail
// recorded failed, "tls: starttls (port 587) or tls: tls (port 465)"). It
// now arrives, sent with the login; through such a relay on another host
// it is not sent, and status says why and what to change.
func TestDaemonMailsTheReportThroughALocalRelayWithItsLogin(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	daemon := func(ip string, relay *mailtest.Server) (*daemon, string) {
		dir := t.TempDir()
		pw := filepath.Join(dir, "smtp-password")
		if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n  mail:\n    host: "+ip+"\n    port: "+
			strconv.Itoa(relay.Port)+"\n    tls: none\n    username: reports\n    password_file: "+pw+
			"\n    from: syncd@example.com\n    to: [manager@example.com]\n"), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
		config := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		installedDaysAgo(t, filepath.Join(dir, "data", "syncd.db"), 3) // so the daemon makes yesterday's report at once
		return start(t, config), config
	}

	local := mailtest.StartRelay(t, "127.0.0.1", "reports", "s3cret", "PLAIN")
	d, _ := daemon("127.0.0.1", local)
	defer d.stop(t, syscall.SIGTERM)
	for deadline := time.Now().Add(60 * time.Second); len(local.Messages()) == 0; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no report mailed through the relay on this host:\n%s", d.log())
		}
	}
	if msgs := local.Messages(); msgs[0].User != "reports" {
		t.Fatalf("the report mailed without the login (%q)", msgs[0].User)
	}

	lan := mailtest.LANAddress(t)
	remote := mailtest.StartRelay(t, lan, "reports", "s3cret", "PLAIN")
	d2, config := daemon(lan, remote)
	defer d2.stop(t, syscall.SIGTERM)
	var out string
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(out, "FAILED"); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("status never said the mail failed:\n%s\n%s", out, d2.log())
		}
		out, _, _ = syncdRun(t, "status", "-config", config)
	}
	for _, w := range []string{"offers login only as PLAIN, and no STARTTLS", "have the relay offer STARTTLS and set tls: starttls",
		"or send through a relay on this host", "remove username and password_file"} {
		if !strings.Contains(out, w) {
			t.Errorf("status: want %q in:\n%s", w, out)
		}
	}
	if strings.Contains(out, "tls: tls") || len(remote.Messages()) != 0 {
		t.Errorf("status advises TLS from the first byte, or %d messages went:\n%s", len(remote.Messages()), out)
	}
}

// TestValidateMailSaysToLogInToAPostfixThatRelaysOnlyAfterALogin: a
// Postfix relay on the LAN (2.10 or later, as installed) answers a host
// not in its mynetworks and without a login "454 4.7.1 <a@b>: Relay access
// denied", for now. validate -mail said "refused the test message for
// now ... try again in a few minutes; the daemon retries the report's mail
// by itself", exit 4, and report -mail to run it again: no wait mends it.
// Both now say to set the login (exit 1).
func TestValidateMailSaysToLogInToAPostfixThatRelaysOnlyAfterALogin(t *testing.T) {
	t.Parallel()
	relay := mailtest.StartRough(t, false)
	relay.AnswerRcptTo("454 4.7.1 <manager@example.com>: Relay access denied")
	dir := t.TempDir()
	file := writeConfigWith(t, dir, "report:\n"+mailTo("127.0.0.1", relay.Port))
	_, stderr, code := syncdRun(t, "validate", "-offline", "-mail", "-config", file)
	for _, w := range []string{"report.mail does not fit what the mail server offers",
		"(454 4.7.1 <manager@example.com>: Relay access denied)", "relays mail to other domains only after a login: set username and password_file"} {
		if code != 1 || !strings.Contains(stderr, w) {
			t.Errorf("validate -mail: exit %d, want 1 and %q in:\n%s", code, w, stderr)
		}
	}
	if strings.Contains(stderr, "try again in a few minutes") || strings.Contains(stderr, "it may take it later") {
		t.Errorf("validate -mail says to wait:\n%s", stderr)
	}
	notInShort(t, longUnderRace)
	makeDB(t, dir)
	_, stderr, code = syncdRun(t, "report", "-mail", "-config", file)
	if code != 1 || !strings.Contains(stderr, "set username and password_file") || strings.Contains(stderr, "run the same command again to retry") {
		t.Errorf("report -mail: exit %d, want 1 and the login to set\n%s", code, stderr)
	}
}
