package mail

import (
	"fmt"
	"strings"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

// asciiOnlyError is a message not sent: an address of its envelope has
// letters beyond ASCII before the @ (søren@firma.dk; its domain goes in
// ASCII, see asciiDomain), which SMTP carries only with SMTPUTF8 (RFC
// 6531), and the server offers none. Sent all the same, the server may
// refuse the address, or take it and bounce the message later to the
// sender's mailbox, where nobody running syncd looks.
type asciiOnlyError struct {
	from string   // the sender's address, when it is the one
	to   []string // else the recipients' addresses that are
}

func (e *asciiOnlyError) Error() string {
	if e.from != "" {
		return fmt.Sprintf("the sender address %s has letters beyond ASCII before the @, which takes SMTPUTF8, "+
			"and the server does not offer it: set from: to an address of ASCII letters", e.from)
	}
	return fmt.Sprintf("not sent to %s: letters beyond ASCII before the @ take SMTPUTF8, and the server does not "+
		"offer it: write an address of ASCII letters for the recipient (an alias), or send through a server that offers SMTPUTF8",
		strings.Join(e.to, ", "))
}

// refusal is e as Error.Refusals says a recipient's refusal, in brackets
// after the address.
func (e *asciiOnlyError) refusal() string {
	return "not sent: letters beyond ASCII before the @ take SMTPUTF8, which the server does not offer"
}

// beyondASCII reports whether addr has a character beyond ASCII.
func beyondASCII(addr string) bool {
	for i := 0; i < len(addr); i++ {
		if addr[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// needsSMTPUTF8 reports whether m's envelope has an address beyond ASCII,
// which takes SMTPUTF8; with offered false (the server has no SMTPUTF8),
// such a message is an asciiOnlyError instead.
func needsSMTPUTF8(m *gomail.Msg, offered bool) (bool, error) {
	from, err := m.GetSender(false)
	if err != nil {
		return false, nil // a message that has none fails as it is sent
	}
	from = strings.Trim(from, "<>")
	to, _ := m.GetRecipients()
	var beyond []string
	for _, a := range to {
		if beyondASCII(a) {
			beyond = append(beyond, strings.Trim(a, "<>"))
		}
	}
	switch {
	case !beyondASCII(from) && len(beyond) == 0:
		return false, nil
	case offered:
		return true, nil
	case beyondASCII(from):
		return false, &asciiOnlyError{from: from}
	}
	return false, &asciiOnlyError{to: beyond}
}
