package syncd_test

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestMentionsAPhoneHoweverItIsWritten: a phone number names the person
// whatever punctuation a sender or a lead wrote it with; a longer number,
// one run into letters, or a date with the same digits does not.
func TestMentionsAPhoneHoweverItIsWritten(t *testing.T) {
	dk := syncd.Subject{ID: "+4520123456", Phones: []string{"20123456", "4520123456", "004520123456"}}
	gb := syncd.Subject{ID: "+442038704550", Phones: []string{"2038704550", "02038704550", "442038704550",
		"4402038704550", "00442038704550", "004402038704550"}}
	day := syncd.Subject{ID: "+4520261130", Phones: []string{"20261130", "4520261130", "004520261130"}}
	hour := syncd.Subject{ID: "+442026113010", Phones: []string{"2026113010", "02026113010", "442026113010"}}
	hourDMY := syncd.Subject{ID: "+442011202610", Phones: []string{"2011202610", "02011202610", "442011202610"}}
	round := syncd.Subject{ID: "+4520000000", Phones: []string{"20000000", "4520000000", "004520000000"}}
	dmy := syncd.Subject{ID: "+4520112026", Phones: []string{"20112026", "4520112026", "004520112026"}}
	for _, c := range []struct {
		s    syncd.Subject
		body string
		want bool
	}{
		{dk, `{"phone":"20 12 34 56"}`, true},
		{dk, `{"phone":"2012 3456"}`, true},
		{dk, `{"phone":"+45 20-12-34-56"}`, true},
		{dk, `{"phone":"(+45) 20 12 34 56"}`, true},
		{dk, `{"phone":"0045 20.12.34.56"}`, true},
		{dk, `ring på 20123456.`, true},
		{dk, `{"phone":"20 12 34 567"}`, false},
		{dk, `{"phone":"120123456"}`, false},
		{dk, `{"ref":"20123456a"}`, false},
		{dk, `{"ref":"x20123456"}`, false},
		{dk, `{"eaf_portal_reference":"20123456_EAF_67004"}`, false},
		{dk, `{"phone":"20   12 34 56"}`, false},
		{gb, `{"contact_phone":"+44(0)20 3870 4550"}`, true},
		{gb, `{"contact_phone":"020 3870 4550"}`, true},
		{gb, `{"contact_phone":"+44 (0) 20 3870 4550"}`, true},
		{gb, `{"contact_phone":"0044 20 3870 4550"}`, true},
		{day, `{"phone":"20 26 11 30"}`, true},
		{day, `{"date":"2026-11-30"}`, false},
		{dmy, `{"date":"20.11.2026"}`, false},
		{dmy, `{"phone":"20 11 20 26"}`, true},
		{round, `{"comment":"budget 20.000.000 kr."}`, false},
		{round, `{"phone":"20.00.00.00"}`, true},
		{day, `{"at":"2026-11-30T10:00:00Z"}`, false},
		{hour, `{"email_date_time":"2026-11-30 10:15:00"}`, false},
		{hourDMY, `{"date":"20/11/2026 10:15"}`, false},
		{hourDMY, `{"phone":"+44 20 1120 2610"}`, true},
		{hour, `{"phone":"020 2611 3010"}`, true},
	} {
		if got := c.s.Mentions([]byte(c.body)); got != c.want {
			t.Errorf("%s in %s: %v, want %v", c.s.ID, c.body, got, c.want)
		}
	}
}

// TestMentionsAnAddressWithAnInvisibleCharacterInIt: an address a sender
// wrote with an invisible character inside it (a soft hyphen or a
// zero-width space pasted with it, raw, JSON-escaped or URL-encoded) names
// the person, as the mapping keys its contact without it; the same
// character does not join a longer address to the person's.
func TestMentionsAnAddressWithAnInvisibleCharacterInIt(t *testing.T) {
	jane := syncd.Subject{ID: "jane.doe@example.com", Patterns: []string{"jane.doe@example.com", `jane.doe\u0040example.com`, "jane.doe%40example.com"}}
	aase := syncd.Subject{ID: "åse@example.com", Patterns: []string{"åse@example.com"}}
	for _, c := range []struct {
		s    syncd.Subject
		body string
		want bool
	}{
		{jane, "{\"email\":\"jane.doe\u00ad@example.com\"}", true},
		{jane, "{\"email\":\"JANE.\u200bDOE@EXAMPLE.COM\"}", true},
		{jane, `{"email":"jane.doe\u00AD@example.com"}`, true},
		{jane, `{"email":"jane\u200b.doe@exa\u2060mple.com"}`, true},
		{jane, `{"email":"\ufeffjane.doe@example.com"}`, true},
		{jane, `mailto:jane.doe%C2%AD%40example.com`, true},
		{jane, "{\"email\":\"mo\u200bjane.doe@example.com\"}", false},
		{jane, "{\"email\":\"jane.doe@example.com\u00adx\"}", false},
		{aase, "{\"email\":\"\u00c5se\u00ad@example.com\"}", true},
		{aase, `{"email":"\u00e5se\u200b@example.com"}`, true},
	} {
		if got := c.s.Mentions([]byte(c.body)); got != c.want {
			t.Errorf("%s in %s: %v, want %v", c.s.ID, c.body, got, c.want)
		}
	}
}

// TestMentionsAPhoneWrittenWithNoBreakSpaces: a number whose groups a web
// form or a word processor joined with no-break spaces (U+00A0, the
// narrow U+202F, the thin U+2009; raw, JSON-escaped or URL-encoded) or
// with an invisible character names the person, as the mapping reads it.
func TestMentionsAPhoneWrittenWithNoBreakSpaces(t *testing.T) {
	dk := syncd.Subject{ID: "+4522334455", Phones: []string{"22334455", "4522334455", "004522334455"}}
	for _, c := range []struct {
		body string
		want bool
	}{
		{"{\"phone\":\"+45\u00a022\u00a033\u00a044\u00a055\"}", true},
		{`{"phone":"+45\u00a022\u00A033\u00a044\u00a055"}`, true},
		{"ring 22\u202f33\u202f44\u202f55", true},
		{"ring 2233\u20094455", true},
		{"tel:+45%C2%A022334455", true},
		{"{\"phone\":\"2233\u200b4455\"}", true},
		{"{\"phone\":\"22\u00a033\u00a044\u00a0556\"}", false},
		{"{\"ref\":\"x\u00a022334455a\"}", false},
	} {
		if got := dk.Mentions([]byte(c.body)); got != c.want {
			t.Errorf("%s in %q: %v, want %v", dk.ID, c.body, got, c.want)
		}
	}
}
