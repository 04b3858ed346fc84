package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mattn/go-isatty"
	"github.com/nyaruka/phonenumbers"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// minPattern is the shortest form searched for: shorter strings (a short
// national number) would name too many people.
const minPattern = 6

// newSubject is the person an erase or export is about, from -email and
// -phone (either or both): every form their identifiers may have been
// stored in (an address with æ, ø or å also decomposed). An address pasted with its name ("Jane Doe <jane@x.dk>") is
// read as the address; anything else that is not one is refused, rather
// than searched for and found nowhere. A phone without a country code is read in each configured
// source's default country.
func newSubject(cfg *config.Config, email, phone string) (syncd.Subject, error) {
	var s syncd.Subject
	var ids []string
	// An address copied from a lead may bring a character no one sees
	// (a soft hyphen, a zero-width space): the person is the address
	// without it, as the matcher reads the bodies.
	if email = pastedAddress(syncd.AddressText(email)); email != "" {
		a, err := mail.ParseAddress(mapping.AddressWithin(email)) // a From line, as the mapper reads it
		if err != nil {
			return s, fmt.Errorf("-email %q: not an email address (give it as jane@example.com)", email)
		}
		email = norm.NFC.String(strings.ToLower(a.Address))
		ids = append(ids, email)
		// Composed, as mapping keys contacts; decomposed, as a Mac may
		// send it and versions before 2026-11-30 keyed it; its domain in
		// ASCII and in Unicode, as mapping keys it for HubSpot and for
		// Pipedrive, and a sender may write it either way.
		var seen []string
		for _, d := range domainForms(email) {
			for _, e := range []string{d, norm.NFD.String(d)} {
				if !slices.Contains(seen, e) {
					seen = append(seen, e)
					s.AddKeys(syncd.KeyEmail, e)
					s.Patterns = append(s.Patterns, emailForms(e)...)
				}
			}
		}
	}
	// A number quoted in a letter ("20 12 34 56") was refused as no
	// number in any configured country.
	if phone = unquoted(phone); phone != "" {
		keys, forms := phoneForms(phone, regions(cfg))
		if len(keys) == 0 {
			return s, fmt.Errorf("-phone %q: not a phone number in the sources' countries (default_country: %s): "+
				"give it with its country code, such as +4520123456", phone, strings.Join(regions(cfg), ", "))
		}
		s.Phones = phoneDigitForms(keys)
		// Two numbers pasted as one ("20 12 34 56, 40 40 40 40") read as
		// the first: the second would stay, unsaid.
		if d := digitsOf(phone); len(d) >= minPattern && !slices.Contains(s.Phones, d) {
			return s, fmt.Errorf("-phone %q: more digits than the one number read from it (%s): give one number, without an extension, and erase or export each number on its own", phone, keys[0])
		}
		ids = append(ids, keys[0])
		s.AddKeys(syncd.KeyPhone, keys...)
		s.Patterns = append(s.Patterns, forms...)
	}
	if len(ids) == 0 {
		return s, errors.New("give -email ADDR or -phone NUMBER (or, for a client known by name alone, -name NAME, " +
			"or the leads' -event ID[,ID...])")
	}
	s.ID = strings.Join(ids, " ")
	s.Patterns = slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(s.Patterns))),
		func(p string) bool { return len(p) < minPattern })
	return s, nil
}

// quotePairs are the quotes and brackets a letter, a word processor or a
// mail client puts round an address: “jane@x.dk” pasted from a request
// typed in Word.
var quotePairs = [][2]string{{`"`, `"`}, {"'", "'"}, {"“", "”"}, {"”", "”"}, {"„", "“"}, {"‘", "’"},
	{"«", "»"}, {"»", "«"}, {"[", "]"}, {"(", ")"}}

// pastedAddress is the address in s as an officer pastes it from the
// person's request: without the quotes or brackets round it, a mailto:
// link's address without its query (?subject=...) and with its
// percent-escapes read (RFC 6068), and the address of Outlook's
// "jane@x.dk<mailto:jane@x.dk>" or "Jane <mailto:jane@x.dk>". Each of
// those but the last two read as an address (a quote, "?" and "%" are
// letters an address may hold) that no lead holds: erase said "nothing
// found", exit 0, recorded the erasure, and left the person's leads. What
// is not one of those is returned trimmed, for mail.ParseAddress to judge.
func pastedAddress(s string) string {
	s = unquoted(s)
	const scheme = "mailto:"
	if lt := strings.LastIndexByte(s, '<'); lt >= 0 && strings.HasSuffix(s, ">") &&
		len(s)-lt-2 > len(scheme) && strings.EqualFold(s[lt+1:lt+1+len(scheme)], scheme) {
		link := mailtoAddress(s[lt+1+len(scheme) : len(s)-1])
		name := strings.Trim(strings.TrimSpace(s[:lt]), `"'`)
		if strings.Contains(name, "@") && !strings.EqualFold(name, link) {
			return s // two addresses: refused, not one of them taken
		}
		return link
	}
	if len(s) > len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
		return mailtoAddress(s[len(scheme):])
	}
	return s
}

// unquoted is s trimmed, without one pair of quotes or brackets round it
// (quotePairs).
func unquoted(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range quotePairs {
		if len(s) > len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// mailtoAddress is the address of a mailto: link after its scheme: up to
// its query, percent-escapes read ("%C3%A5ge@%C3%A5bo.dk" is åge@åbo.dk).
func mailtoAddress(link string) string {
	link, _, _ = strings.Cut(link, "?")
	if a, err := url.PathUnescape(link); err == nil {
		link = a
	}
	return strings.TrimSpace(link)
}

// auditID is the identifier an erase of s, given -email email, records in
// the audit: the email when one was given, else s.ID (the phone). An
// export by the email the person asks with then finds the erasure,
// whether or not it is given the phone too (syncd.Subject.AuditIDs holds
// each key alone); one named by the email and the phone together was
// found only by an export given both.
func auditID(cfg *config.Config, s syncd.Subject, email string) string {
	if strings.TrimSpace(email) == "" {
		return s.ID
	}
	if es, err := newSubject(cfg, email, ""); err == nil {
		return es.ID
	}
	return s.ID
}

// subjectHint says what to do with an argument an erase or export does
// not take (an address given without -email, a phone number with spaces
// not quoted).
const subjectHint = "give -email ADDR and/or -phone NUMBER, quoting a number with spaces (-phone '+45 20 12 34 56'), or -email - to read it from standard input"

// Flag descriptions of erase's and export's -email and -phone.
const (
	emailUsage = "the person's email address (`ADDR`), one only; - reads it from standard input (kept out of ps and of sudo's log)"
	phoneUsage = "the person's phone number (`NUMBER`, with country code, or in a source's default country), one only; " +
		"- reads it from standard input (after the email when both are -)"
)

// subjectArgs replaces -email and -phone given as "-" by a line each of
// standard input, the email's first: a command line shows in ps and under
// sudo in the system's log, which syncd cannot erase. On a terminal it
// asks for each on stderr. An interrupt (Ctrl-C, which ends ctx) while it
// waits for a line ends the wait: the error wraps ctx's. A file with
// lines past those (a person's second address, one a line) is refused:
// they were left unread, unsaid, the erase or export done for the first.
func (c *cli) subjectArgs(ctx context.Context, email, phone *string) error {
	r, read, err := c.readSubjectLines(ctx, email, phone)
	if err != nil || r == nil {
		return err
	}
	// Only what the reads buffered is looked at: more would wait on a pipe
	// that is never closed. A file's first few kilobytes are all of it.
	if rest, _ := r.Peek(r.Buffered()); strings.TrimSpace(string(rest)) != "" {
		return fmt.Errorf("standard input holds more lines than the %s read from it, so nothing was done: it takes one "+
			"person's address (or number) a run; for a person who wrote from several, give each on its own, one run each",
			strings.Join(read, " and the "))
	}
	return nil
}

// readSubjectLines reads the lines subjectArgs replaces -email and -phone
// with, through r (nil when neither is "-"), and returns the names of
// those it read.
func (c *cli) readSubjectLines(ctx context.Context, email, phone *string) (r *bufio.Reader, read []string, err error) {
	for _, f := range []struct {
		name string
		v    *string
	}{{"email", email}, {"phone", phone}} {
		if *f.v != "-" {
			continue
		}
		if c.stdin == nil {
			return nil, nil, fmt.Errorf("-%s -: no standard input to read the %s from", f.name, f.name)
		}
		if r == nil {
			r = bufio.NewReader(c.stdin)
		}
		if in, ok := c.stdin.(*os.File); ok && isatty.IsTerminal(in.Fd()) {
			fmt.Fprintf(c.stderr, "%s: ", f.name)
		}
		line, err := readLine(ctx, r)
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("-%s -: interrupted before a line was read, nothing done: %w", f.name, ctx.Err())
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("-%s -: read standard input: %w", f.name, err)
		}
		// A file saved by Notepad begins with a byte-order mark.
		if *f.v = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff")); *f.v == "" {
			return nil, nil, fmt.Errorf("-%s -: no %s read from standard input: give it on a line of its own "+
				"(typed, or from a file: -%s - < FILE; with -email - -phone -, the email on the first line, the number on the second)",
				f.name, f.name, f.name)
		}
		read = append(read, f.name)
	}
	return r, read, nil
}

// readLine reads a line from r, or gives up when ctx ends first
// (untilDone).
func readLine(ctx context.Context, r *bufio.Reader) (string, error) {
	return untilDone(ctx, func() (string, error) { return r.ReadString('\n') })
}

// untilDone returns what read returns, or ctx's error when ctx ends
// first: a read of a terminal or pipe does not end by itself (the reading
// goroutine stays blocked until the process exits, which it then does).
func untilDone[T any](ctx context.Context, read func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := read()
		done <- result{v, err}
	}()
	select {
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	case res := <-done:
		return res.v, res.err
	}
}

// subjectArgsStatus is the exit status after subjectArgs failed with err,
// said on stderr: 1 interrupted, else 2.
func (c *cli) subjectArgsStatus(cmd string, err error) int {
	fmt.Fprintf(c.stderr, "syncd %s: %v\n", cmd, err)
	if errors.Is(err, context.Canceled) {
		return exitFailure
	}
	return exitUsage
}

// domainForms is email, then email with its domain as IDNA writes it in
// ASCII ("xn--bo-xia.dk") and in Unicode ("åbo.dk"), where they differ
// from it.
func domainForms(email string) []string {
	forms := []string{email}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return forms
	}
	for _, to := range []func(string) (string, error){idna.Lookup.ToASCII, idna.Lookup.ToUnicode} {
		if d, err := to(email[at+1:]); err == nil && d != "" && !slices.Contains(forms, email[:at+1]+d) {
			forms = append(forms, email[:at+1]+d)
		}
	}
	return forms
}

// emailForms are the ways an email appears in a body: as is, JSON-escaped
// (HTML characters, "@" as \u0040, letters that are not ASCII as \u00e5)
// and URL-encoded (a mailto: link, a form). A letter that is not ASCII is
// found URL-encoded by the matcher, which reads "%C3%A5" as "å": its form
// with "@" as %40 is the one that finds "%C3%A5ge%40%C3%A5bo.dk".
func emailForms(email string) []string {
	b, _ := json.Marshal(email)
	return []string{
		email,
		strings.Trim(string(b), `"`),
		strings.ReplaceAll(email, "@", `\u0040`),
		asciiJSON(email),
		url.QueryEscape(email),
		strings.ReplaceAll(email, "@", "%40"),
	}
}

// asciiJSON is s with every character that is not ASCII written as a JSON
// \u escape, as senders that write ASCII only do.
func asciiJSON(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// regions are the configured sources' default countries.
func regions(cfg *config.Config) []string {
	var out []string
	for _, name := range cfg.SourceNames() {
		if r := cfg.Sources[name].DefaultCountry; r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// phoneForms returns the E.164 forms of raw (one per region it parses in,
// valid numbers first) and every way it may be written: as typed, E.164, international and
// national formats, with and without spaces.
func phoneForms(raw string, regions []string) (keys, forms []string) {
	forms = []string{raw}
	for _, region := range regions {
		e164 := mapping.E164(raw, region)
		if e164 == "" || slices.Contains(keys, e164) {
			continue
		}
		keys = append(keys, e164)
		num, err := phonenumbers.Parse(e164, "")
		if err != nil {
			continue
		}
		intl := phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
		national := phonenumbers.Format(num, phonenumbers.NATIONAL)
		forms = append(forms, e164, intl, national, noSpaces(national), noSpaces(intl),
			"00"+strings.TrimPrefix(e164, "+"), phonenumbers.GetNationalSignificantNumber(num))
	}
	slices.SortStableFunc(keys, func(a, b string) int { return cmpBool(validPhone(b), validPhone(a)) })
	return keys, forms
}

// validPhone reports whether the E.164 number e164 is one its country
// assigns (not merely of a possible length): the reading of a number
// without a country code that names the person.
func validPhone(e164 string) bool {
	num, err := phonenumbers.Parse(e164, "")
	return err == nil && phonenumbers.IsValidNumber(num)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// phoneDigitForms returns the digits each E.164 number in keys may be
// written with: national number, national format (with a trunk prefix
// such as the UK's 0), each after the country code, as in "+45 20 12 34
// 56" and "+44 (0)20 3870 4550", and after 00 and the country code; and
// the national number after the country code and a 0 ("+45 (0)20 12 34
// 56") where the country has no trunk prefix.
func phoneDigitForms(keys []string) []string {
	var out []string
	for _, k := range keys {
		num, err := phonenumbers.Parse(k, "")
		if err != nil {
			continue
		}
		cc := strconv.Itoa(int(num.GetCountryCode()))
		nsn := phonenumbers.GetNationalSignificantNumber(num)
		for _, n := range []string{nsn, digitsOf(phonenumbers.Format(num, phonenumbers.NATIONAL))} {
			out = append(out, n, cc+n, "00"+cc+n)
		}
		// "+45 (0)20 12 34 56": a "(0)" written where the country dials
		// no trunk prefix.
		out = append(out, cc+"0"+nsn, "00"+cc+"0"+nsn)
	}
	return slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(out))),
		func(p string) bool { return len(p) < minPattern })
}

// digitsOf is s without what is not a digit.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func noSpaces(s string) string { return strings.NewReplacer(" ", "", "-", "").Replace(s) }
