package mail

import (
	"crypto/rand"
	netmail "net/mail"
	"strings"
)

// messageID is a Message-ID for a message from the address from: 128
// random bits at from's domain, "<2PJT…@example.com>". RFC 5322 (3.6.4)
// wants the id unique the world over, its right side a domain of the
// sender's; go-mail's own took the machine's bare host name ("vm"),
// which is neither, and told every recipient the name of an internal
// host. from's domain is already in ASCII (New: asciiDomain).
func messageID(from string) string {
	return rand.Text() + "@" + fromDomain(from)
}

// fromDomain is the domain of the address from, "syncd.invalid" (RFC
// 2606's reserved name) for one it cannot read: From was checked before
// a message is made, so that is a fallback that keeps the host's name out.
func fromDomain(from string) string {
	if d := domainOf(from); d != "" {
		return d
	}
	return "syncd.invalid"
}

// domainOf is the domain of the address addr ("Name <a@example.com>"), ""
// for one it cannot read.
func domainOf(addr string) string {
	p, err := netmail.ParseAddress(addr)
	if err != nil {
		return ""
	}
	at := strings.LastIndex(p.Address, "@")
	if at < 0 {
		return ""
	}
	return p.Address[at+1:]
}
