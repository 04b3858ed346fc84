package report_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMailPartlyRefusedLogsNoAddress: a report mail the server took for
// one recipient and refused for the others logged `mail report` at warn
// with the server's answer, which names each address refused
// ("gone@refused.example (550 …)"), and so did each attempt again to the
// ones refused only for now: email addresses, personal data, in log lines
// above debug. The warnings count them (syncd status names who, from what
// is recorded); the answer is at debug.
func TestMailPartlyRefusedLogsNoAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	srv := mailtest.Start(t, "", "")
	srv.Greylist(0) // refused for now every time
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, From: "syncd@example.com",
		To: []string{"boss@example.com", "gone@refused.example", "late@greylist.example"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	day := report.Day{Year: 2026, Month: 4, Day: 3}
	_, err = report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 2,
		MailBackoff: time.Millisecond, Log: zerolog.New(&logs).Level(zerolog.InfoLevel)})
	if !mail.Partial(err) {
		t.Fatalf("err = %v, want the partial refusal", err)
	}
	warned := 0
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var l struct {
			Level   string
			Message string
			Good    int `json:"refused_for_good"`
			Now     int `json:"refused_for_now"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if strings.Contains(line, "refused.example") || strings.Contains(line, "greylist.example") {
			t.Errorf("an address in a %s line: %s", l.Level, line)
		}
		if l.Level == "warn" && strings.Contains(l.Message, "refused it for some recipients") {
			warned++
			if l.Good != 1 || l.Now != 1 {
				t.Errorf("the warning counts %d for good, %d for now; want 1 and 1: %s", l.Good, l.Now, line)
			}
		}
	}
	if warned != 1 {
		t.Errorf("%d warnings of the partial refusal, want 1:\n%s", warned, logs.String())
	}
}

// TestMailRefusedForEveryoneLogsNoAddress: a report mail the server
// refused for every recipient (a single address refused, for good and for
// now) logged `mail report` at warn, and its failure at error, with the
// server's answer naming the address. The lines above debug say what
// happened with the addresses left out ("<address>"); the answer as the
// server gave it is at debug.
func TestMailRefusedForEveryoneLogsNoAddress(t *testing.T) {
	t.Parallel()
	for _, to := range []string{"gone@refused.example", "late@greylist.example"} {
		ctx := context.Background()
		db := openDB(t)
		srv := mailtest.Start(t, "", "")
		srv.Greylist(0)
		m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, From: "syncd@example.com",
			To: []string{to}, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		var logs strings.Builder
		day := report.Day{Year: 2026, Month: 4, Day: 3}
		_, err = report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 2,
			MailBackoff: time.Millisecond, Log: zerolog.New(&logs).Level(zerolog.DebugLevel)})
		if err == nil || mail.Partial(err) {
			t.Fatalf("%s: err = %v, want the mail refused", to, err)
		}
		domain := to[strings.Index(to, "@")+1:]
		said, debug := false, false
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var l struct{ Level, Message, Error string }
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			named := strings.Contains(line, domain)
			switch {
			case l.Level == "debug":
				debug = debug || named
			case named:
				t.Errorf("%s: the address in a %s line: %s", to, l.Level, line)
			case l.Message == "mail report" && strings.Contains(l.Error, "<address>"):
				said = true
			}
		}
		if !said || !debug {
			t.Errorf("%s: want the warning with <address> for it (%v) and the server's answer at debug (%v):\n%s", to, said, debug, logs.String())
		}
	}
}
