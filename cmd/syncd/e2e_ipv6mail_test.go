package main_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestMailGoesToARelayAtAnIPv6Address: report.mail.host: ::1, as
// docs/configuring.md says to write an IPv6 address (validate refuses
// [::1]), loaded and then failed every mail: the mail library joined host
// and port with a colon, "address ::1:2525: too many colons in address",
// and the daily report never went on an IPv6-only server. The test
// message of syncd validate -mail now goes to the relay on ::1 (STARTTLS,
// its certificate checked for ::1, the login taken), and the server is
// named [::1]:PORT, as curl and ss write it; down, it is named so too.
func TestMailGoesToARelayAtAnIPv6Address(t *testing.T) {
	t.Parallel()
	smtp := mailtest.StartIPv6(t, "reports", "s3cret")
	dir := t.TempDir()
	ca, pw := filepath.Join(dir, "relay.pem"), filepath.Join(dir, "pw")
	if err := os.WriteFile(ca, smtp.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := func(port int) string {
		return writeConfigWith(t, dir, "report:\n  mail:\n    host: ::1\n    port: "+strconv.Itoa(port)+
			"\n    username: reports\n    password_file: "+pw+"\n    ca_file: "+ca+
			"\n    from: syncd@example.com\n    to: [manager@example.com]\n")
	}

	out, stderr, code := syncdRun(t, "validate", "-offline", "-mail", "-config", config(smtp.Port))
	server := "[::1]:" + strconv.Itoa(smtp.Port)
	if code != 0 || !strings.Contains(out, "mail: a test message went to 1 recipient of report.mail.to: "+server+" (tls: starttls) took it") {
		t.Errorf("relay on ::1: exit %d, want 0 and the server named %s:\n%s%s", code, server, out, stderr)
	}
	if msgs := smtp.Messages(); len(msgs) != 1 || msgs[0].User != "reports" {
		t.Errorf("relay on ::1: %d messages, want 1 sent with the login", len(msgs))
	}

	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	out, stderr, code = syncdRun(t, "validate", "-offline", "-mail", "-config", config(down))
	server = "[::1]:" + strconv.Itoa(down)
	if code != 4 || !strings.Contains(stderr, "the mail server was not reached: mail "+server+": ") ||
		!strings.Contains(stderr, "connection refused") || strings.Contains(stderr, "too many colons") {
		t.Errorf("relay on ::1 down: exit %d, want 4, the server named %s, the connection refused:\n%s%s", code, server, out, stderr)
	}
}

// TestReportMailToARelayAtAnIPv6Address: syncd report -mail to a relay
// on ::1 failed as every mail there did ("too many colons in address");
// it mails the workbook, and one recipient refused is said with the
// server named [::1]:PORT, not ::1:PORT.
func TestReportMailToARelayAtAnIPv6Address(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.StartIPv6(t, "", "")
	dir := t.TempDir()
	file := writeConfigWith(t, dir, "report:\n  mail: {host: \"::1\", port: "+strconv.Itoa(smtp.Port)+
		", tls: none, from: syncd@example.com, to: [manager@example.com, gone@refused.example]}\n")
	makeDB(t, dir)
	out, stderr, code := syncdRun(t, "report", "-mail", "-config", file)
	server := "[::1]:" + strconv.Itoa(smtp.Port)
	if msgs := smtp.Messages(); code != 1 || len(msgs) != 1 || strings.Join(msgs[0].To, ",") != "manager@example.com" ||
		!strings.Contains(stderr, "mailed to manager@example.com; the mail server "+server+" refused gone@refused.example") {
		t.Errorf("report -mail to a relay on ::1, one recipient refused: exit %d, %d messages, want 1, the server named %s:\n%s%s",
			code, len(msgs), server, out, stderr)
	}
}
