package mail

import (
	"errors"
	"fmt"
	"io"
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
	return fmt.Sprintf("%s, where the server takes up to %s", bytesize(e.size), bytesize(e.limit))
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
		// 552 5.2.2 is a full mailbox (mailboxFull), no message too large.
		if se.ErrorCode() == 552 && !mailboxFull(enhancedCode(se)) || enhancedCode(se) == "5.3.4" {
			return "the server answered " + answer(se)
		}
	}
	return ""
}

// tooLargeError is the error of a message the server does not take as too
// large, why says how (err, the one sending it met, says no more). Not
// temporary: it will be as large next time.
func (s *Sender) tooLargeError(why string, _ error) error {
	return &Error{Err: fmt.Errorf("mail %s: the message is too large for the server (%s)", s.server(), why), Big: why}
}
