package report

import (
	"strings"

	"golang.org/x/net/idna"
)

// readableEmail is an email as sent to the CRM with its domain's letters:
// HubSpot takes a domain beyond ASCII only in its ASCII form, so the
// client's "aase@bøgh.dk" is sent as "aase@xn--bgh-0na.dk", which no
// reader of the report recognises (the same address: a mail program takes
// either). An email without such a form, or one whose letters IDNA does
// not give back as sent, is returned as it is.
func readableEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || !strings.Contains(strings.ToLower(email[at:]), "xn--") {
		return email
	}
	d, err := idna.Lookup.ToUnicode(email[at+1:])
	if back, err2 := idna.Lookup.ToASCII(d); err != nil || err2 != nil || !strings.EqualFold(back, email[at+1:]) {
		return email
	}
	return email[:at+1] + d
}
