package mapping

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// nameTitles are salutations portals put in front of a name ("Mr John
// Smith"); they are neither a first nor a last name. Compared lower-cased,
// without a trailing dot.
var nameTitles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true,
	"prof": true, "sir": true, "hr": true, "fru": true, "frk": true, "herr": true, "frau": true,
	"mme": true, "mlle": true,
}

// nameJoins are the words that join two salutations of a couple ("Mr &
// Mrs Smith", "Hr. og Fru Hansen").
var nameJoins = map[string]bool{"&": true, "+": true, "/": true, "and": true, "og": true, "och": true, "und": true}

// companyForms are the legal forms that end a company's name ("Bakers
// ApS", "Smith Ltd."), compared lower-cased without a trailing dot: the
// part of a name field after (or before) a comma that ends in one is the
// client's company, not a first (or last) name.
var companyForms = map[string]bool{
	"aps": true, "a/s": true, "ivs": true, "i/s": true, "p/s": true, "k/s": true, "amba": true, "a.m.b.a": true,
	"as": true, "asa": true, "ab": true, "oy": true, "oyj": true, "ltd": true, "limited": true, "plc": true,
	"llp": true, "llc": true, "inc": true, "gmbh": true, "ag": true, "bv": true,
}

// nameRole is what a word of a name field says of the words beside it.
type nameRole int

const (
	// attention: the name follows it ("Att.: Søren Ærø", "Attn: John
	// Smith", "FAO John Smith"), after a company the client writes for
	// ("Ærø Ejendomme ApS v/ Søren Ærø": v/, "ved", by; "Acme Ltd c/o
	// John Smith").
	attention nameRole = iota + 1
	// jobTitle: a part after a comma holding it is the client's job
	// ("Søren Ærø, direktør", "John Smith, Sales Director"), not a name.
	jobTitle
)

// nameRoles are the words around a name that are no part of it, in the
// languages portals' clients write, compared in any case without a
// trailing "." or ":" (nameRoleOf).
var nameRoles = []struct {
	word string
	role nameRole
}{
	{"att", attention}, {"attn", attention}, {"attention", attention}, {"fao", attention}, {"f.a.o", attention},
	{"v/", attention}, {"c/o", attention}, {"z.hd", attention},
	{"direktør", jobTitle}, {"ejer", jobTitle}, {"indehaver", jobTitle}, {"formand", jobTitle},
	{"director", jobTitle}, {"manager", jobTitle}, {"owner", jobTitle}, {"founder", jobTitle}, {"chairman", jobTitle},
	{"ceo", jobTitle}, {"cfo", jobTitle}, {"coo", jobTitle}, {"cto", jobTitle},
}

// longestRoleWord is the length in bytes of nameRoles' longest word.
const longestRoleWord = len("attention")

// nameRoleOf is word's role in a name field (0: a word of the name). It
// makes no copy of the word: every name of every lead is read so.
func nameRoleOf(word string) nameRole {
	word = strings.TrimRight(word, ".:")
	if len(word) > longestRoleWord {
		return 0
	}
	for _, r := range nameRoles {
		if strings.EqualFold(r.word, word) {
			return r.role
		}
	}
	return 0
}

// attentionAt reports whether word says the name follows it, alone
// ("Att.:", "v/") or written against the name ("v/Søren").
func attentionAt(word string) bool {
	return nameRoleOf(word) == attention || len(word) > 3 &&
		(strings.EqualFold(word[:2], "v/") || strings.EqualFold(word[:3], "c/o"))
}

// withoutAttention is the name a field gives after a word that says the
// name follows (attention): "Søren Ærø" of "Att.: Søren Ærø" and of "Ærø
// Ejendomme ApS v/ Søren Ærø", where SplitName made "Att.:" the first name
// and "Ejendomme ApS v/ Søren Ærø" the last. "v/" and "c/o" may be written
// against the name ("v/Søren Ærø"). When what follows is a company and a
// name is before ("John Smith c/o Acme Ltd"), the name is that before.
// Text without such a word is returned as it is.
func withoutAttention(full string) string {
	found := false
	for w := range strings.FieldsSeq(full) {
		if found = attentionAt(w); found {
			break
		}
	}
	if !found {
		return full // the commonest case, without a copy
	}
	words := strings.Fields(full)
	for i := len(words) - 1; i >= 0; i-- {
		var after []string
		switch w := words[i]; {
		case nameRoleOf(w) == attention:
			after = words[i+1:]
		case attentionAt(w):
			_, rest, _ := strings.Cut(w, "/")
			if len(rest) > 0 && (rest[0] == 'o' || rest[0] == 'O') && strings.EqualFold(w[:3], "c/o") {
				rest = rest[1:]
			}
			after = append([]string{rest}, words[i+1:]...)
		default:
			continue
		}
		before, name := words[:i], strings.Join(after, " ")
		lettered := func(ws []string) bool { return strings.ContainsFunc(strings.Join(ws, ""), unicode.IsLetter) }
		switch {
		case lettered(after) && !(isCompany(after) && lettered(before)):
		case lettered(before):
			name = strings.Join(before, " ")
		default:
			return full
		}
		return strings.Trim(name, " ,;:-–—")
	}
	return full
}

// SplitName splits a full name into first and last name. The first word is
// the first name and the rest the last name, so particles stay with the
// surname ("Ludwig van Beethoven" -> "Ludwig", "van Beethoven") and
// hyphenated parts stay whole ("Åse Ørsted-Hansen" -> "Åse",
// "Ørsted-Hansen"). "Last, First" is understood, and so is a name with its
// company or job title after a comma ("Jens Hansen, Bakers ApS", "Jens
// Hansen, direktør" -> "Jens", "Hansen"), and the name after a word that
// says it follows ("Att.: Jens Hansen", "Bakers ApS v/ Jens Hansen",
// "Acme Ltd c/o John Smith": withoutAttention).
// Leading salutations are dropped ("Mr", "Mrs", "Dr", "Mr & Mrs", "Hr. og
// Fru"), and the one word after them is a last name ("Mrs Baker" -> "",
// "Baker"); runs of white space collapse, and a single name is a first
// name with an empty last name. An email address typed with the name is
// no part of it ("Kim Hansen <kim@x.dk>" -> "Kim", "Hansen":
// withoutAddress). A name that is an email address alone ("kim@x.dk",
// "<kim@x.dk>": a form's name field given the address), or that has no
// letter ("-", "...", a phone number) is no name: both are empty. The
// directional marks and soft hyphens copied with a name are no part of it
// (fieldText).
func SplitName(full string) (first, last string) {
	full = withoutAddress(fieldText(full))
	if noName(full) {
		return "", ""
	}
	full = withoutCompany(withoutNumbers(withoutAttention(full)))
	if before, after, ok := strings.Cut(full, ","); ok {
		lw, fw := strings.Fields(before), strings.Fields(after)
		if len(lw) > 0 && len(fw) > 0 {
			if fw, _ = dropTitles(fw); len(fw) == 1 && isTitle(fw[0]) {
				return "", strings.Join(lw, " ") // "Smith, Mr"
			}
			return strings.Join(fw, " "), strings.Join(lw, " ")
		}
		full = before + " " + after
	}
	return splitWords(strings.Fields(full))
}

// personName is the person a name field names, as SplitName reads it:
// its first name and last name, a space between ("Søren Ærø" of "Att.:
// Søren Ærø", of "Ærø Ejendomme ApS v/ Søren Ærø", of "Søren Ærø,
// direktør" and of "Ærø, Søren"), or "" when it names no one. A deal
// named after the person names the one the contact is.
func personName(full string) string {
	first, last := SplitName(full)
	switch {
	case first == "":
		return last
	case last == "":
		return first
	}
	return first + " " + last
}

// fieldText is a field's text without the invisible characters a value
// copied from a right-to-left page, a PDF or a word processor carries
// (syncd.AddressText's: the directional marks U+200E, U+200F and U+061C,
// the soft hyphen, the Hidden ones). Every value is sent without the
// Hidden ones, but the marks and the soft hyphen stay in text, where they
// may order or break it: "\u200fمحمد علي" made the CRM's first name start
// with an invisible mark, which its search and sort then took for a
// character, and "\u200fشركة النور" its company. A field's own letters
// order it: a mark orders no more than a letter of its direction does.
// Names, and every value but a message's (messageText), are read so.
// Text without one is returned as it is, without a copy.
func fieldText(s string) string {
	return syncd.AddressText(s)
}

// noName reports whether a name field's text names no one: an email
// address alone ("kim@x.dk", "<kim@hotmail.con>": a form's name field
// given the address), or text without a letter ("-", "...", a phone
// number typed there, blanks).
func noName(name string) bool {
	return !strings.ContainsFunc(withoutAddress(name), unicode.IsLetter)
}

// withoutAddress is a name field's text without the email addresses typed
// in it, as a mail program shows a sender ("Kim Hansen <kim@x.dk>", "\"Kim
// Hansen\" <kim@x.dk>") or a person adds one ("Kim Hansen (kim@x.dk)",
// "kim@x.dk / Kim Hansen"), and the marks left beside them at either end
// (a comma, a dash, a slash): "Kim Hansen". An address is a word with text
// on both sides of its "@" ("Kim @ Acme" has none), in brackets, quotes or
// after "mailto:" or not. The contact's email is its own property: in the
// name it named the deal "… : Kim Hansen <kim@x.dk>" and made the last
// name "Hansen <kim@x.dk>". Text without an "@" is returned as it is,
// without a copy.
func withoutAddress(name string) string {
	if strings.IndexByte(name, '@') < 0 {
		return name
	}
	words := strings.Fields(strings.ReplaceAll(name, "<", " <"))
	kept := words[:0]
	for _, w := range words {
		if !isAddressWord(w) {
			kept = append(kept, w)
		}
	}
	if len(kept) == len(words) {
		return name
	}
	rest := strings.Trim(strings.Join(kept, " "), " ,;:/|-–—")
	if len(rest) > 1 && rest[0] == '"' && rest[len(rest)-1] == '"' { // "\"Kim Hansen\" <kim@x.dk>"
		rest = strings.TrimSpace(rest[1 : len(rest)-1])
	}
	return rest
}

// isAddressWord reports whether w, a word of a name field, is an email
// address: text on both sides of an "@", once the brackets, quotes and
// punctuation around it and a "mailto:" are taken off.
func isAddressWord(w string) bool {
	w = strings.Trim(w, "<>()[]{}\"',;:")
	if len(w) > 7 && strings.EqualFold(w[:7], "mailto:") {
		w = w[7:]
	}
	at := strings.IndexByte(w, '@')
	return at > 0 && at < len(w)-1
}

// splitWords is SplitName of a name's words, without a comma.
func splitWords(words []string) (first, last string) {
	words, titled := dropTitles(words)
	switch {
	case len(words) == 0:
		return "", ""
	case len(words) == 1 && titled:
		return "", words[0]
	case len(words) == 1:
		return words[0], ""
	}
	return words[0], strings.Join(words[1:], " ")
}

// dropTitles is words without the salutations they start with (and the
// words joining two of them), titled whether there were any. The last
// word is kept: "Mr" alone is what the client gave as a name.
func dropTitles(words []string) (rest []string, titled bool) {
	for len(words) > 1 {
		switch {
		case isTitle(words[0]):
			words, titled = words[1:], true
		case titled && len(words) > 2 && nameJoins[strings.ToLower(words[0])] && isTitle(words[1]):
			words = words[1:]
		default:
			return words, titled
		}
	}
	return words, titled
}

// isTitle reports whether word is a salutation ("Mr.", "dr"), or two
// written as one ("Mr/Mrs", "Mr&Mrs").
func isTitle(word string) bool {
	parts := strings.FieldsFunc(strings.ToLower(word), func(r rune) bool { return r == '/' || r == '&' || r == '+' })
	for _, p := range parts {
		if !nameTitles[strings.TrimSuffix(p, ".")] {
			return false
		}
	}
	return len(parts) > 0
}

// withoutCompany is full without the parts between its commas that are a
// company (isCompany) or a job title (a word of it one: "direktør",
// "Sales Director") when others are not: "Jens Hansen" of "Jens Hansen,
// Bakers ApS" and of "Jens Hansen, direktør", "Hansen, Jens" of "Hansen,
// Jens, Bakers ApS".
func withoutCompany(full string) string {
	if !strings.Contains(full, ",") {
		return full
	}
	parts := strings.Split(full, ",")
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if w := strings.Fields(p); !isCompany(w) && !slices.ContainsFunc(w, isJobWord) {
			kept = append(kept, p)
		}
	}
	if len(kept) == len(parts) || strings.TrimSpace(strings.Join(kept, "")) == "" {
		return full
	}
	return strings.Join(kept, ",")
}

// isJobWord reports whether word names a job ("direktør", "Director").
func isJobWord(word string) bool { return nameRoleOf(word) == jobTitle }

// isCompany reports whether words, two or more, end in a company's legal
// form ("Bakers ApS").
func isCompany(words []string) bool {
	return len(words) > 1 && companyForms[strings.TrimSuffix(strings.ToLower(words[len(words)-1]), ".")]
}

// E164 formats a phone number in E.164 ("+4552250559"), reading numbers
// without a country code as numbers of region (ISO 3166 alpha-2, e.g. "DK").
// It returns "" for an empty string or anything that is not a possible phone
// number to call from anywhere (one dialled only within its area is not). "+44(0)20 3870 4550" and "+45 (0)52 25 05 59" are read the way a
// person reads them: +442038704550, +4552250559. Of a number with a word
// after it ("52 25 05 59 (mobil)") or several ("52 25 05 59 / 87 65 43
// 21"), the first is the one to call.
func E164(raw, region string) string {
	raw = strings.TrimSpace(phoneText(raw))
	if raw == "" {
		return ""
	}
	region = strings.ToUpper(region)
	if e := e164(raw, region); e != "" {
		return e
	}
	if first := firstNumber(raw); first != raw {
		return e164(first, region)
	}
	return ""
}

// International formats a phone number for people to read, in the
// international format ("+45 52 25 05 59", "+44 20 3870 4550"): the same
// number E164 gives, spaced as its country writes it. It returns "" for
// anything that is not one phone number (a word after it, "52 25 05 59
// (mobil)", or two numbers), which a reader then sees as written: E164
// keeps only the first of them.
func International(raw, region string) string {
	e := e164(strings.TrimSpace(phoneText(raw)), strings.ToUpper(region))
	if e == "" {
		return ""
	}
	num, err := phonenumbers.Parse(e, "")
	if err != nil {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// phoneText is raw without what a number copied from a phone's contacts
// or an e-mail program carries that is none of its characters: control
// and format characters (the marks that keep it left to right, U+202A and
// U+202C or U+2066 and U+2069, a NUL), with each space of another kind
// (the narrow no-break space French numbers are written with) a plain
// one. libphonenumber read such a number as none.
func phoneText(raw string) string {
	if strings.IndexFunc(raw, func(r rune) bool { return r < ' ' || r >= utf8.RuneSelf }) < 0 {
		return raw // the common case, without a copy
	}
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		case unicode.Is(unicode.Zs, r):
			return ' '
		}
		return r
	}, raw)
}

// e164 is E164 of one number, trimmed and not empty.
func e164(raw, region string) string {
	// "00" is the international prefix in most of Europe; libphonenumber
	// only knows it relative to the region, so make it explicit.
	if strings.HasPrefix(raw, "00") {
		raw = "+" + raw[2:]
	}
	num, err := readPhone(phoneDigits(raw), region)
	if err != nil || !callable(num) {
		// "(0)" after the country code is the trunk prefix, dialled only
		// at home. libphonenumber drops it where the country has one (the
		// UK's 0) but reads it as part of the number where there is none
		// (Denmark): +45 (0)52... would be 9 digits.
		home := strings.Replace(raw, "(0)", "", 1)
		if !strings.HasPrefix(raw, "+") || home == raw {
			return ""
		}
		if num, err = readPhone(phoneDigits(home), region); err != nil || !callable(num) {
			return ""
		}
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

// callable reports whether num has the length of a number to call from
// anywhere: libphonenumber's "possible" also takes one that dials only
// within its own area ("local only", "12345" read in GB), which in E.164
// ("+4412345") is a number nobody can call.
func callable(num *phonenumbers.PhoneNumber) bool {
	return phonenumbers.IsPossibleNumberWithReason(num) == phonenumbers.IS_POSSIBLE
}

// firstNumber is the first number in raw: from its first digit (or the "+"
// before it) to the letter, slash, comma or semicolon after it. Read whole,
// libphonenumber takes letters for the digits of a keypad ("mobil" is
// 66245) and two numbers for one too long.
func firstNumber(raw string) string {
	start := strings.IndexFunc(raw, func(r rune) bool { return r == '+' || '0' <= r && r <= '9' })
	if start < 0 {
		return raw
	}
	num := raw[start:]
	if end := strings.IndexFunc(num, func(r rune) bool {
		return unicode.IsLetter(r) || r == '/' || r == ',' || r == ';'
	}); end >= 0 {
		num = num[:end]
	}
	return strings.TrimSpace(num)
}

// otherNumbers is what follows the first number of raw, from its first
// digit, when it holds another number (six digits or more): "87654321" of
// "12345678 / 87654321", of which E164 keeps the first. An extension
// ("12345678 lok. 12") or a note ("(mobil)") is none: "".
func otherNumbers(raw string) string {
	first := firstNumber(raw)
	at := strings.Index(raw, first)
	if first == raw || first == "" || at < 0 {
		return ""
	}
	rest := raw[at+len(first):]
	start := strings.IndexFunc(rest, func(r rune) bool { return r == '+' || '0' <= r && r <= '9' })
	if start < 0 {
		return ""
	}
	rest = strings.TrimSpace(rest[start:])
	digits := 0
	for _, r := range rest {
		if '0' <= r && r <= '9' {
			digits++
		}
	}
	if digits < 6 {
		return ""
	}
	return rest
}

// phoneDigits keeps only the digits and a leading "+" of a number written
// with the usual punctuation (spaces, dashes, dots, brackets, slashes), which
// makes libphonenumber's parse several times faster. Anything else (letters
// of an extension, "ext.") is left for libphonenumber to read.
func phoneDigits(raw string) string {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c >= '0' && c <= '9':
			b = append(b, c)
		case c == '+' && len(b) == 0:
			b = append(b, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
		default:
			return raw
		}
	}
	return string(b)
}

// dateLayouts are the input forms parseDate understands, tried in order;
// wallLayouts say a date and time without an offset.
var (
	dateLayouts = []string{ // besides sender.ParseTime's
		time.RFC1123Z,
		time.RFC1123,
	}
	wallLayouts = []string{
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05",
		"2006-01-02 15:04",
		"2006-01-02",
	}
)

// parseDate reads a timestamp: an RFC 3339 or similar string (a string
// without an offset is the wall clock in loc), a number of Unix seconds (or
// milliseconds when it is too large for seconds), or a time.Time.
func parseDate(v any, loc *time.Location) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v, nil
	case int:
		return unixAuto(int64(v)), nil
	case int64:
		return unixAuto(v), nil
	case float64:
		return unixAuto(int64(v)), nil
	case string:
		return parseDateString(strings.TrimSpace(v), loc)
	case nil:
		return time.Time{}, nil
	}
	return time.Time{}, unreadableDate(fmt.Sprintf("cannot read %T as a date", v))
}

// unreadableDate is the error of a date helper given a value it cannot
// read as a date: the sender's, not the mapping's, so the property is left
// out and noted rather than the lead held back (run.props).
type unreadableDate string

// Error implements error.
func (e unreadableDate) Error() string { return string(e) }

// parseDateString is parseDate of a trimmed string.
func parseDateString(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return unixAuto(n), nil
	}
	if t, ok := sender.ParseTime(s); ok {
		return t, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	for _, l := range wallLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return wallIn(t, loc), nil
		}
	}
	return time.Time{}, unreadableDate(fmt.Sprintf("cannot read %q as a date", s))
}

// wallIn reads the clock time of w (in UTC) as a clock time in loc. Where
// loc's clocks go back, a time that occurs twice is the first one; where
// they go forward, a time that does not occur is read with the offset before
// the change (01:30 in London's skipped hour is 02:30 BST). RFC 5545
// (iCalendar) reads local times so; time.Date leaves the choice open.
func wallIn(w time.Time, loc *time.Location) time.Time {
	if loc == time.UTC {
		return w
	}
	// Offsets change at most once a day: the one in force a day before the
	// clock time and the one a day after are the only candidates.
	_, before := w.Add(-24 * time.Hour).In(loc).Zone()
	_, after := w.Add(24 * time.Hour).In(loc).Zone()
	first := w.Add(-time.Duration(max(before, after)) * time.Second)
	if sameClock(first.In(loc), w) {
		return first.In(loc)
	}
	second := w.Add(-time.Duration(min(before, after)) * time.Second)
	if sameClock(second.In(loc), w) {
		return second.In(loc)
	}
	return w.Add(-time.Duration(before) * time.Second).In(loc)
}

// sameClock reports whether t shows the clock time of w (in UTC).
func sameClock(t, w time.Time) bool {
	y, m, d := t.Date()
	wy, wm, wd := w.Date()
	return y == wy && m == wm && d == wd && t.Hour() == w.Hour() && t.Minute() == w.Minute() &&
		t.Second() == w.Second() && t.Nanosecond() == w.Nanosecond()
}

// unixAuto reads n as Unix seconds, or as milliseconds when it is past the
// year 5138 in seconds.
func unixAuto(n int64) time.Time {
	if n > 1e11 || n < -1e11 {
		return time.UnixMilli(n).UTC()
	}
	return time.Unix(n, 0).UTC()
}

// FormatDate reads v as parseDate does (a string without an offset is UTC)
// and formats it with a Go layout ("2006-01-02"), in time zone tz (""
// keeps the input's own offset; "UTC"; an IANA name such as
// "Europe/Copenhagen"). An empty input gives "".
func FormatDate(v any, layout, tz string) (string, error) {
	t, err := parseDate(v, time.UTC)
	if err != nil || t.IsZero() {
		return "", err
	}
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return "", fmt.Errorf("time zone %q: %w", tz, err)
		}
		t = t.In(loc)
	}
	return t.Format(layout), nil
}

// LocalTime reads v as parseDate does, a date and time without an offset
// ("2021-09-06 06:28:06") being the clock time in time zone tz (an IANA
// name such as "Europe/London") rather than UTC. An empty input gives the
// zero time, which formatDate formats as "".
func LocalTime(v any, tz string) (time.Time, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Time{}, fmt.Errorf("time zone %q: %w", tz, err)
	}
	return parseDate(v, loc)
}

// DefaultString returns v, or def when v is nil or a string that shows
// nothing (blank).
func DefaultString(v any, def any) any {
	switch s := v.(type) {
	case nil:
		return def
	case string:
		if blank(s) {
			return def
		}
	}
	return v
}

// JoinNonEmpty joins the values that show something (not blank) with sep,
// each trimmed.
func JoinNonEmpty(sep string, vals ...any) string {
	parts := make([]string, 0, len(vals))
	for _, v := range vals {
		if s := strings.TrimSpace(Stringify(v)); !blank(s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep)
}

// blank reports whether s shows nothing: it is empty, or holds only white
// space, control characters and the invisible ones every value is sent
// without (syncd.Hidden: a zero-width space, a byte order mark). A name
// field holding only a zero-width space named a deal "portal enquiry:"
// rather than after the client's email.
func blank(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsSpace(r) && !unicode.IsControl(r) && !syncd.Hidden(r)
	})
}

// portalName is the name people know a portal or sender by, given the id
// its sender writes for it (Estate Agent Feeds' email_source "rightmove",
// a kind "eaf"): the name the daily report gives it, from the one list
// both read (sender.Label: "Rightmove", "Zoopla", "OnTheMarket",
// "Estate Agent Feeds"), whatever the id's case; an id not in it with its
// first letter in upper case, as the report shows it
// ("rightmove_commercial" -> "Rightmove_commercial"); "" for one that
// shows nothing (blank), so that default() can name another. The deal's
// name is what agents scan in the CRM's pipeline, where "rightmove
// enquiry 87654321" read as the sender's code, not the portal's name.
func portalName(id string) string {
	id = strings.TrimSpace(fieldText(id)) // "\u200erightmove", from a right-to-left page, is Rightmove
	if blank(id) {
		return ""
	}
	if l, ok := sender.Label(strings.ToLower(id)); ok { // its ids are lower case
		return l
	}
	r, n := utf8.DecodeRuneInString(id)
	return string(unicode.ToUpper(r)) + id[n:]
}

// Stringify renders a value the way it is sent to a CRM: strings as they
// are, whole numbers without a fraction, times in RFC 3339, nil as "".
func Stringify(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case time.Time:
		return v.Format(time.RFC3339)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
