package mapping

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// notTLD is the last label of email's domain when it is no top-level
// domain, else "". HubSpot refuses an address whose domain does not end in
// a TLD of IANA's list (INVALID_EMAIL: "kim@hotmail.con", "x@y.example"),
// after reading a Unicode TLD in its ASCII form: the ICANN part of the
// public suffix list holds those TLDs, xn-- forms among them. email is
// lower-cased, its domain in ASCII (sameDomain), as the list is.
func notTLD(email string) string {
	tld := email[strings.LastIndexByte(email, '.')+1:]
	// A label before it: a TLD the list holds by a wildcard alone ("*.ck")
	// is the suffix of a name under it, not of the label alone.
	if _, icann := publicsuffix.PublicSuffix("x." + tld); icann {
		return ""
	}
	return tld
}
