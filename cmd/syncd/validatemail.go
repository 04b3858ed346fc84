package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"os"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// testMail sends, for validate -mail, a message with no lead in it to
// report.mail.to, once, as the daemon mails the report, so that a mail
// setting the server refuses shows before the first report: on stdout
// that the server took it, else on stderr what it answered and what to
// change. It returns the exit status: 0 taken, 1 refused (a setting, the
// login, an address refused for good), 2 no recipients, 4 not reached or
// refused only for now, for some recipients or all (try again).
func (c *cli) testMail(ctx context.Context, cfg *config.Config, next string) int {
	m := cfg.Report.Mail
	if len(m.To) == 0 {
		fmt.Fprintln(c.stderr, "syncd validate: -mail: no recipients configured (report.mail.to): the reports are not mailed")
		return exitUsage
	}
	sender, err := reportMailer(cfg)
	if err != nil {
		return c.fail(err)
	}
	host, _ := os.Hostname()
	// Read by each recipient, staff who may not know syncd: who sent it,
	// why to them, and that it asks nothing of them.
	body := fmt.Sprintf("A test message from syncd on %s (`syncd validate -mail`), sent as the daily leads report is "+
		"mailed: you get it as one of those the daily leads report is mailed to (report.mail.to in %s). "+
		"It holds no lead. Nothing to do.\n\n%s\n", host, cfg.File, next)
	server := fmt.Sprintf("%s (tls: %s)", net.JoinHostPort(m.Host, strconv.Itoa(m.Port)), m.TLS) // [::1]:25 for an IPv6 address
	err = sender.Send(ctx, "syncd: test message (report.mail)", body)
	if err == nil {
		fmt.Fprintf(c.stdout, "mail: a test message went to %s of report.mail.to: %s took it\n", syncd.Counted(len(m.To), "recipient", "recipients"), server)
		return exitOK
	}
	if errors.Is(err, context.Canceled) {
		return c.fail(err)
	}
	why, code := mailRefusal(err, m.To, server)
	fmt.Fprintf(c.stderr, "syncd validate: -mail: %s\n", why)
	return code
}

// mailRefusal says in an operator's words why the test message did not
// go, and the exit status: a setting that does not fit what the server
// offers (mail says which: STARTTLS, TLS at once, a login, the sender), addresses the server refused while the others
// got it, a refusal for good (the login, the sender or a recipient), or
// the server not reached or refusing only for now. err, from mail, names
// the server once and says what to change where the cause is known:
// server (with its tls:) is said only where err does not name it.
func mailRefusal(err error, to []string, server string) (string, int) {
	var me *mail.Error
	var ne net.Error
	const again = "; then run syncd validate -mail again"
	switch {
	case mail.Misfit(err):
		return fmt.Sprintf("report.mail does not fit what the mail server offers: %v"+again, err), exitFailure
	case errors.As(err, &me) && me.Partial():
		if len(me.Refusals()) == 0 {
			// Refused only for now: nothing to mend, as when every
			// recipient was (exit 4, try again).
			return partialRefusal(me, to, server), exitUnavailable
		}
		return partialRefusal(me, to, server), exitFailure
	case errors.As(err, &ne):
		return fmt.Sprintf("the mail server was not reached: %v"+again, err), exitUnavailable
	case errors.As(err, &me) && !me.Temporary():
		return fmt.Sprintf("the mail server refused the test message for good (mend report.mail as it says): %v"+again, err), exitFailure
	case errors.As(err, &me):
		return fmt.Sprintf("the mail server refused the test message for now: %v: "+
			"try again in a few minutes; the daemon retries the report's mail by itself", err), exitUnavailable
	}
	return fmt.Sprintf("the mail server %s did not take the test message: %v: check report.mail"+again, server, err), exitFailure
}

// partialRefusal says who got the test message and who the server refused
// it for, those for good (to correct or remove in report.mail.to) apart
// from those only for now (which may take it later); to is report.mail.to.
func partialRefusal(me *mail.Error, to []string, server string) string {
	got := tookIt(me, to)
	msg := fmt.Sprintf("%s took the test message for %s but refused ", server, strings.Join(got, ", "))
	var parts []string
	if r := me.Refusals(); len(r) > 0 {
		parts = append(parts, fmt.Sprintf("%s: refused for good: correct or remove %s in report.mail.to, "+
			"then run syncd validate -mail again (the others get it again)", strings.Join(r, ", "), itThem(len(r))))
	}
	if d := me.Deferrals(); len(d) > 0 {
		parts = append(parts, fmt.Sprintf("%s: refused only for now (greylisting, a full mailbox): the server may take "+
			"%s later; the daemon mails the report to %s again alone", strings.Join(d, ", "), itThem(len(d)), itThem(len(d))))
	}
	return msg + strings.Join(parts, "; and ")
}

// tookIt is who of to (report.mail.to) a mail partly refused (me) went
// to: every address the server neither refused nor deferred.
func tookIt(me *mail.Error, to []string) []string {
	not := map[string]bool{}
	for _, said := range append(me.Refusals(), me.Deferrals()...) {
		addr, _, _ := strings.Cut(said, " (")
		not[strings.ToLower(addr)] = true
	}
	var got []string
	for _, a := range to {
		addr := a
		if p, err := netmail.ParseAddress(a); err == nil {
			addr = p.Address
		}
		if !not[strings.ToLower(addr)] {
			got = append(got, addr)
		}
	}
	return got
}

// itThem is "it" for one, "them" for more.
func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
