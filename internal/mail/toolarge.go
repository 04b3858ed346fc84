package mail

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// tooLargeError is a message not sent: larger than the limit the server
// announced (SIZE, RFC 1870), which it would refuse with 552 once all of
// it had been sent.
type tooLargeError struct{ size, limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%s with it, where the server takes up to %s", bytesize(e.size), bytesize(e.limit))
}

// bytesize is n bytes as "12.3 MB", or "800 kB" under a megabyte.
func bytesize(n int64) string {
	if n < 1e6 {
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// sizeLimit is the message size limit the server announced in its answer
// to EHLO ("SIZE 10240000"); 0 when it announced none.
func sizeLimit(c *smtp.Client) int64 {
	ok, param := c.Extension("SIZE")
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(param), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// fits returns a tooLargeError when m is larger than limit (none when
// limit is 0): sending it would cost the time to send all of it for the
// server's 552.
func fits(m *gomail.Msg, limit int64) error {
	if limit <= 0 {
		return nil
	}
	n, err := m.WriteTo(io.Discard)
	if err != nil || n <= limit {
		return nil // a message that cannot be written fails as it is sent
	}
	return &tooLargeError{size: n, limit: limit}
}

// tooLarge returns what says that err is a message larger than the
// server takes: over its announced SIZE, or answered 552 (or 5.x.4's
// "message too big") to MAIL FROM or to its data; "" otherwise.
func tooLarge(err error) string {
	var tl *tooLargeError
	if errors.As(err, &tl) {
		return tl.Error()
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return ""
	}
	switch se.Reason {
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		if se.ErrorCode() == 552 || se.EnhancedStatusCode() == "5.3.4" {
			return "the server answered " + answer(se)
		}
	}
	return ""
}

// sendUnattached sends the message without its attachments, which the
// server refused as too large (why says how), saying so and where they
// are kept on this host at the top of text and html. The error it returns
// says so too (Error.Unattached), or why this failed as well.
func (s *Sender) sendUnattached(ctx context.Context, subject, text, html string, attachments []string, why string) error {
	note := leftOutNote(attachments, why)
	if html != "" {
		html = "<p><strong>" + htmlLines(note) + "</strong></p>\n" + html
	}
	err := s.SendHTML(ctx, subject, note+"\n\n"+text, html)
	names := make([]string, len(attachments))
	for i, a := range attachments {
		names[i] = filepath.Base(a)
	}
	said := fmt.Sprintf("the message with %s is too large for the server (%s)", strings.Join(names, ", "), why)
	var me *Error
	switch {
	case err == nil:
		return &Error{Err: fmt.Errorf("mail %s:%d: %s: sent without it, saying it is kept at %s",
			s.opts.Host, s.opts.Port, said, strings.Join(attachments, ", ")), LeftOut: attachments}
	case errors.As(err, &me) && me.Sent: // the refusals said, and what was left out
		me.Err, me.LeftOut = fmt.Errorf("%w; %s: sent without it", me.Err, said), attachments
		return me
	case errors.As(err, &me):
		me.Err = fmt.Errorf("%w (the message without %s: %s)", me.Err, strings.Join(names, ", "), said)
		return me
	}
	return err
}

// leftOutNote tells the recipients that the files at attachments are not
// attached, too large for the mail server (why), and where they are kept.
func leftOutNote(attachments []string, why string) string {
	where := "on the server syncd runs on"
	if host, err := os.Hostname(); err == nil && host != "" {
		where += " (" + host + ")"
	}
	var b strings.Builder
	for i, a := range attachments {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s is not attached: it is too large for the mail server (%s). It is kept %s, at %s.",
			filepath.Base(a), why, where, a)
	}
	return b.String()
}

// htmlLines is text escaped for HTML, its lines apart.
func htmlLines(text string) string {
	return strings.ReplaceAll(html.EscapeString(text), "\n", "<br>\n")
}
