package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mail"
)

// testMail sends, for validate -mail, a message with no lead in it to
// report.mail.to, once, as the daemon mails the report, so that a mail
// setting the server refuses shows before the first report: on stdout
// that the server took it, else on stderr what it answered and what to
// change. It returns the exit status: 0 taken, 1 refused (a setting, the
// login, an address), 2 no recipients, 4 not reached or refused only for
// now (try again).
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
	body := fmt.Sprintf("A test message from `syncd validate -mail` on %s, sent as the daily report is mailed "+
		"(report.mail in %s). It holds no lead.\n\n%s\n", host, cfg.File, next)
	server := fmt.Sprintf("%s:%d (tls: %s)", m.Host, m.Port, m.TLS)
	err = sender.Send(ctx, "syncd: test message (report.mail)", body)
	if err == nil {
		fmt.Fprintf(c.stdout, "mail: a test message went to %d recipient(s) of report.mail.to: %s took it\n", len(m.To), server)
		return exitOK
	}
	if errors.Is(err, context.Canceled) {
		return c.fail(err)
	}
	why, code := mailRefusal(err, server)
	fmt.Fprintf(c.stderr, "syncd validate: -mail: %s\n", why)
	return code
}

// mailRefusal says in an operator's words why the test message did not
// go, and the exit status: a setting that does not fit what the server
// offers (mail says which: STARTTLS, TLS at once, a login, the sender), addresses the server refused while the others
// got it, a refusal for good (the login, the sender or a recipient), or
// the server not reached or refusing only for now.
func mailRefusal(err error, server string) (string, int) {
	var me *mail.Error
	var ne net.Error
	switch {
	case mail.Misfit(err):
		return fmt.Sprintf("report.mail does not fit what the mail server offers: %v; "+
			"then run syncd validate -mail again", err), exitFailure
	case errors.As(err, &me) && me.Partial():
		said := append(me.Refusals(), me.Deferrals()...)
		return fmt.Sprintf("%s took the test message for the others but refused it for %s: correct or remove "+
			"an address refused for good (5xx) in report.mail.to; one refused for now (4xx) may take it later",
			server, strings.Join(said, ", ")), exitFailure
	case errors.As(err, &ne):
		return fmt.Sprintf("the mail server %s was not reached: %v: check report.mail.host and port, and that a firewall "+
			"lets this host reach it; then run syncd validate -mail again", server, err), exitUnavailable
	case errors.As(err, &me) && !me.Temporary():
		return fmt.Sprintf("%s refused the test message for good: %v: %s", server, err, refusedFix(err.Error())), exitFailure
	case errors.As(err, &me):
		return fmt.Sprintf("%s refused the test message for now: %v: the server may take it later: "+
			"try again in a few minutes; the daemon retries the report's mail by itself", server, err), exitUnavailable
	}
	return fmt.Sprintf("the mail server %s did not take the test message: %v: check report.mail, "+
		"then run syncd validate -mail again", server, err), exitFailure
}

// refusedFix says which setting a refusal for good points at, by the
// SMTP answer's code: 535, 534 and 530 the login; else the addresses (a
// sender refused is a misfit, which mail words itself).
func refusedFix(answer string) string {
	switch {
	case strings.Contains(answer, "535") || strings.Contains(answer, "534"):
		return "the server refused the login: check report.mail.username and the password in report.mail.password_file"
	case strings.Contains(answer, "530"):
		return "the server wants a login: set report.mail.username and report.mail.password_file"
	}
	return "mend report.mail as the server's answer says (the login, report.mail.from or a recipient in report.mail.to)"
}
