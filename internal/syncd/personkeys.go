package syncd

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// PersonCheck tells whether an email or a phone number, as a CRM record
// holds it, is the person's being erased: PersonKeys in clear (syncd erase
// -crm at once), SealedKeys in a queued erase operation.
type PersonCheck interface {
	// HasEmail reports whether email is one of the person's.
	HasEmail(email string) bool
	// HasPhone reports whether phone, in any format, is one of the
	// person's numbers.
	HasPhone(phone string) bool
}

// PersonKeys are the emails and phone numbers syncd knows as one
// person's, to tell a CRM record that is theirs alone from one that also
// holds someone else's (a salesperson merged the person with another, or
// typed another's number into it).
type PersonKeys struct {
	// Emails are lower-cased.
	Emails []string
	// Phones are the digits each number may be written with (as
	// Subject.Phones: national, with the country code, after 00).
	Phones []string
}

// HasEmail reports whether email, as a CRM record holds it, is one of
// the person's.
func (p PersonKeys) HasEmail(email string) bool {
	return slices.Contains(p.Emails, normalEmail(email))
}

// HasPhone reports whether phone, as a CRM record holds it (in any
// format: "+45 20 12 34 56", "20123456"), is one of the person's numbers:
// its digits are one of Phones.
func (p PersonKeys) HasPhone(phone string) bool {
	d := phoneDigits(phone)
	return d != "" && slices.Contains(p.Phones, d)
}

// Seal returns p as an erase operation keeps it (SealedKeys): a random
// salt and the salted SHA-256 of each email and phone digits, no value in
// clear; "" when p is empty.
func (p PersonKeys) Seal() string {
	if len(p.Emails)+len(p.Phones) == 0 {
		return ""
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	salt := hex.EncodeToString(b)
	out := []string{salt}
	for _, e := range p.Emails {
		out = append(out, sealed(salt, "e", e))
	}
	for _, d := range p.Phones {
		out = append(out, sealed(salt, "p", d))
	}
	return strings.Join(slices.Compact(slices.Sorted(slices.Values(out[1:]))), " ") + " " + salt
}

// SealedKeys are PersonKeys as an erase operation keeps them (Seal):
// whether a value is the person's can be told, the values cannot be read.
type SealedKeys struct {
	salt string
	sums []string
}

// UnsealKeys reads what PersonKeys.Seal wrote; ok is false for "" or
// what Seal does not write.
func UnsealKeys(s string) (k SealedKeys, ok bool) {
	f := strings.Fields(s)
	if len(f) < 2 {
		return k, false
	}
	return SealedKeys{salt: f[len(f)-1], sums: f[:len(f)-1]}, true
}

// HasEmail reports whether email is one of the sealed emails.
func (k SealedKeys) HasEmail(email string) bool {
	return slices.Contains(k.sums, sealed(k.salt, "e", normalEmail(email)))
}

// HasPhone reports whether phone's digits are one of the sealed phones'.
func (k SealedKeys) HasPhone(phone string) bool {
	d := phoneDigits(phone)
	return d != "" && slices.Contains(k.sums, sealed(k.salt, "p", d))
}

func sealed(salt, kind, v string) string {
	h := sha256.Sum256([]byte(salt + "\x00" + kind + "\x00" + v))
	return hex.EncodeToString(h[:16])
}

func normalEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func phoneDigits(p string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, p)
}
