package mail

import (
	netmail "net/mail"
	"strings"

	"golang.org/x/net/idna"
)

// asciiDomain is addr with its domain in ASCII (IDNA's xn-- form), as
// SMTP without SMTPUTF8 and DNS take it: "sales@bücher.example" is
// "sales@xn--bcher-kva.example". An address it cannot read, or whose
// domain IDNA refuses, is returned as it is (the server then says what it
// makes of it).
func asciiDomain(addr string) string {
	p, err := netmail.ParseAddress(addr)
	if err != nil {
		return addr
	}
	at := strings.LastIndex(p.Address, "@")
	if at < 0 {
		return addr
	}
	domain, err := idna.Lookup.ToASCII(p.Address[at+1:])
	if err != nil || domain == p.Address[at+1:] {
		return addr
	}
	p.Address = p.Address[:at+1] + domain
	return p.String()
}

// asciiDomains is asciiDomain of each address.
func asciiDomains(addrs []string) []string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = asciiDomain(a)
	}
	return out
}
