package mapping

import (
	"fmt"
	netmail "net/mail"
	"slices"
	"strings"
)

// addressesIn is the addresses of an email field holding several, as a
// client typing two into a form's one field writes them: "a@x.dk;
// b@y.dk", "a@x.dk, b@y.dk", "a@x.dk / b@y.dk", "Jane <a@x.dk>, Bo
// <b@y.dk>", each plausible (bare, in angle brackets or a mailto: link), with its domain as sameDomain gives
// it for ascii, each once; one with a separator after it ("a@x.dk;") is
// one. s is lower-cased and trimmed. It is nil unless s holds nothing but
// addresses.
func addressesIn(s string, ascii bool) []string {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == '/' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if list, err := netmail.ParseAddressList(s); err == nil { // "Jane <jane@x.dk>, Bob <bob@x.dk>"
		words = words[:0]
		for _, a := range list {
			words = append(words, a.Address)
		}
	}
	if len(words) == 0 {
		return nil
	}
	out := make([]string, 0, len(words))
	for _, w := range words {
		a := sameDomain(AddressWithin(w), ascii)
		if !plausibleEmail(a) {
			return nil
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// firstAddress is the contact's address of an email field holding several
// (addressesIn), and a note naming those left out: the first, or for
// HubSpot (ascii), which refuses an address without a top-level domain,
// the first with one. A client who typed two addresses was a contact
// without an email, and without a phone a lead waiting for a person. It
// is "" when s holds no such list or none is usable.
func firstAddress(s string, ascii bool) (email, note string) {
	all := addressesIn(s, ascii)
	for i, a := range all {
		if ascii && notTLD(a) != "" {
			continue
		}
		others := slices.Delete(slices.Clone(all), i, i+1)
		if len(others) == 0 {
			return a, ""
		}
		left := "is left out (add it"
		if len(others) > 1 {
			left = "are left out (add them"
		}
		return a, fmt.Sprintf("contact's email %q holds %d addresses: the contact is %s, and %s %s in the CRM by hand)",
			s, len(all), a, strings.Join(others, ", "), left)
	}
	return "", ""
}
