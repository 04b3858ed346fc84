package mail

import (
	"errors"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// relayRefused reports whether err is the server's refusal for good to
// pass a message on to a recipient's domain (relay it): a server that
// takes mail without a login for its own domains alone, as a company's
// relay or MX does (Postfix: "554 5.7.1 <a@b>: Relay access denied";
// Exchange: "550 5.7.54 Unable to relay recipient in non-accepted
// domain", or "550 5.7.1 Unable to relay"). The address is right as it
// is: the login, or the server, is the setting to change. Postfix since
// 2.10 answers so for now by default ("454 4.7.1 <a@b>: Relay access
// denied", its defer_unauth_destination), so that a mistake in its own
// settings bounces no mail: to syncd it is the same refusal, which no
// wait mends.
func relayRefused(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.Reason != gomail.ErrSMTPRcptTo || se.ErrorCode() < 400 {
		return false
	}
	said := strings.ToLower(answer(se))
	if se.ErrorCode() < 500 {
		return strings.Contains(said, "relay access denied")
	}
	return enhancedCode(se) == "5.7.54" || strings.Contains(said, "relay")
}

// relayAdvice says what to change when the server does not relay to a
// recipient: a login it relays for, or the server.
func (s *Sender) relayAdvice() string {
	if s.opts.Username == "" {
		return "the server relays mail to other domains only after a login: set username and password_file, " +
			"or host: and port: of the server for sending mail out (587 with a login)"
	}
	return "the server relays no mail there for the login " + s.opts.Username +
		": ask its administrator to let it, or send through another server"
}
