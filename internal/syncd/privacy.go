package syncd

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"regexp"
	"slices"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Subject is one person whose data is erased (GDPR Art. 17) or exported
// (Art. 15, 20): the ways their identifier may appear in what syncd holds.
type Subject struct {
	// ID is the identifier as normalised (a lower-cased email or an E.164
	// phone); the audit trail keeps only its salted hash.
	ID string
	// Keys are the contact keys the person may have in the outbox and the
	// CRM links, each with its kind: the lower-cased email, the E.164
	// phone. No one need guess a key's kind from its letters.
	Keys []Key
	// Patterns are the byte strings whose presence in a stored body names
	// the person (as typed, JSON-escaped, phone formats), compared ignoring
	// case (of every letter when a pattern is not ASCII: "Åge@Åbo.dk" is
	// "åge@åbo.dk", and so are "\u00C5ge@\u00C5bo.dk",
	// "%C3%85ge@%C3%85bo.dk" and its ISO-8859-1 bytes).
	Patterns []string
	// Phones are the digits the person's phone numbers may be written with:
	// the national number, with the trunk prefix, after the country code
	// and after 00 and the country code. A number in a body names the
	// person when its digits are exactly one of these, whatever spaces,
	// dashes, dots, slashes, brackets and "+" it is written with.
	Phones []string
	// Others are the contact keys of other people whose leads name the
	// person (a colleague's message): an erase erases those leads too, but
	// keeps the CRM links of those contacts and of their deals, which are
	// theirs.
	Others []string
	// Holds are the emails and phones syncd knows as the person's, which
	// an erase with a CRM target seals into the CRM erase operations
	// (EraseOps).
	Holds PersonKeys
	// Events, when set, are the events given by id (syncd erase -event):
	// PersonData reads exactly those, with their quarantined copies and
	// their outbox operations, and nothing found by an identifier.
	Events []int64
	// Name, when set (a NameKey), makes PersonData read the leads whose
	// contact name is it, with their quarantined copies and operations. A
	// name is not an identity (two clients may share one): nothing is
	// ever erased by it (CheckErasable), only listed for a person to pick.
	Name string
}

// Key is one contact key of a person (Subject.Keys) and what it is.
type Key struct {
	Kind  KeyKind
	Value string
}

// AddKeys adds keys, each a contact key of kind, to s.Keys, in an array of
// its own: a copy of s given other keys keeps its own.
func (s *Subject) AddKeys(kind KeyKind, keys ...string) {
	s.Keys = slices.Clip(s.Keys)
	for _, k := range keys {
		s.Keys = append(s.Keys, Key{Kind: kind, Value: k})
	}
}

// KeysOf are the values of those of s.Keys of kind, in their order.
func (s Subject) KeysOf(kind KeyKind) []string {
	var out []string
	for _, k := range s.Keys {
		if k.Kind == kind {
			out = append(out, k.Value)
		}
	}
	return out
}

// KeyValues are the values of s.Keys, of every kind, in their order: what
// a store looks the person's contacts up by.
func (s Subject) KeyValues() []string {
	var out []string // nil when none
	for _, k := range s.Keys {
		out = append(out, k.Value)
	}
	return out
}

// HasKey reports whether v is the value of one of s.Keys.
func (s Subject) HasKey(v string) bool {
	return slices.ContainsFunc(s.Keys, func(k Key) bool { return k.Value == v })
}

// Link is a CRM id recorded for one record of one CRM.
type Link struct {
	Target string     `json:"target"`
	Kind   RecordKind `json:"kind"`
	Key    string     `json:"key"`
	CRMID  string     `json:"crm_id"`
	// RecordedAt is when the link was recorded (crm_links.updated_at), as
	// the store reads it for a person (PersonData, Erase): a contact
	// linked before the retention dropped the operations of the person's
	// first leads may hold deals syncd no longer knows. Not exported.
	RecordedAt time.Time `json:"-"`
}

// Intent is when a create of one record was last sent to a CRM without
// natural uniqueness (Pipedrive), kept to avoid a second create.
type Intent struct {
	Target string     `json:"target"`
	Kind   RecordKind `json:"kind"`
	Key    string     `json:"key"`
	SentAt time.Time  `json:"sent_at"`
}

// PersonData is everything the store holds about one Subject.
type PersonData struct {
	Events      []Event
	Quarantined []Quarantine
	Ops         []Op
	Links       []Link
	Intents     []Intent
	// Erasures are the audit entries of the erasures of the person (by
	// any of Subject.AuditIDs), oldest first: what erase left is not
	// personal data, but whether and when the person was erased is.
	Erasures []Erasure
	// Searched is how far the search that found this read: Erase erases
	// what it found and looks only at what was stored since.
	Searched Searched
}

// Searched marks the rows one search of a store read, in the store's own
// terms: the highest ids it saw (and, where an id may be taken again,
// what the highest operation was), or its snapshot.
type Searched struct {
	Events, Ops, Quarantine int64
	Mark                    string
}

// Erasure is what erasing one Subject removed.
type Erasure struct {
	At time.Time
	// Audited is the time the store's audit trail records it at, when
	// not At (PostgreSQL: on the database server's clock).
	Audited     time.Time
	SubjectHash string      // HMAC-SHA256 of Subject.ID with the store's salt
	Events      int         // events whose body, payload and mapping error were dropped
	Quarantined int         // quarantined bodies dropped
	Ops         int         // outbox operations deleted
	Links       int         // CRM links deleted
	Intents     int         // CRM create intents deleted
	CRMOps      int         // CRM erase operations queued
	Received    []time.Time // when each erased event or body was received, or erased dead operation failed: the reports to rewrite
	CRMLinks    []Link      // the deleted links (for erasing the records in the CRM)
}

// AuditHash is the audit trail's name for the identifier id:
// HMAC-SHA256 keyed with a store's own random salt.
func AuditHash(salt, id string) string {
	mac := hmac.New(sha256.New, []byte(salt))
	mac.Write([]byte(id))
	return hex.EncodeToString(mac.Sum(nil))
}

// AuditIDs are the identifiers an erasure of s may be recorded under:
// s.ID (as erase records it: the email and the phone together when both
// were given) and each of s.Keys alone. An erasure made with both is
// found only when both are given again.
func (s Subject) AuditIDs() []string {
	return slices.Compact(slices.Sorted(slices.Values(append([]string{s.ID}, s.KeyValues()...))))
}

// Purge is what one retention run dropped.
type Purge struct {
	Events      int // event bodies dropped (the rows stay, without personal data)
	Quarantined int // quarantined bodies dropped
	Ops         int // finished outbox operations deleted
	Links       int // CRM links deleted
	Intents     int // CRM create intents deleted
	Keys        int // expired duplicate-window keys deleted (PostgreSQL's intake_keys)
	Erasures    int // erasures whose identifiers were dropped (Retention.Erasures)
	// Received are the times of the days whose reports listed what was
	// dropped: when the purged events and quarantined bodies were
	// received, and when the deleted dead operations died (the Needs
	// attention sheet shows the CRM's error on that day). A kept workbook
	// of such a day is made again without them.
	Received []time.Time
	// WALKept says why the purged data stays in SQLite's write-ahead log
	// until a later checkpoint: another process kept reading the database
	// ("" when the log was truncated, and on PostgreSQL).
	WALKept string
}

// Held is, of each kind of personal data the retention bounds, the time
// its oldest item kept is counted from (zero: none kept): what shows, after
// a purge, that nothing older than the retention is left, or what is and
// why. Event is the oldest event body's receipt (kept past Retention.Events
// only while its lead waits for the CRM or its operations changed since the
// cut); EventWaiting is set when that body is older than the cut it was
// given to (HeldSince); the others are counted as the purge counts them.
type Held struct {
	Event        time.Time // the oldest event body kept: when received
	EventWaiting int       // event bodies received before the cut still kept: their leads wait for, or were lately changed in, the CRM
	Quarantined  time.Time // the oldest quarantined body kept: its last delivery
	Op           time.Time // the oldest finished (done or dead) CRM operation: when it finished
	Pending      time.Time // the oldest CRM operation not yet sent: when it was last changed
	Link         time.Time // the oldest CRM link: when recorded
	Intent       time.Time // the oldest CRM create intent: when sent
	ErasureID    time.Time // the oldest erasure whose identifiers are kept: when made
}

// Quarters collects times one per quarter hour: every time zone's
// midnight falls on a quarter hour, so one time of each stands for its day
// in any zone, and a purge of a million events keeps a few thousand times,
// not a million.
type Quarters map[int64]bool

// Add adds t's quarter hour.
func (q Quarters) Add(t time.Time) { q[t.Unix()/900] = true }

// Times are the quarter hours added, oldest first, in UTC; nil when none.
func (q Quarters) Times() []time.Time {
	var out []time.Time // nil when none
	for _, k := range slices.Sorted(maps.Keys(q)) {
		out = append(out, time.Unix(k*900, 0).UTC())
	}
	return out
}

// Mentions reports whether b holds one of s.Patterns, ignoring case, as a
// whole word: not inside a longer email or number ("jo@x.dk" is not in
// "mojo@x.dk" nor "søjo@x.dk", "20123456" not in "4520123456"), or a
// number whose digits are one of s.Phones (see Matcher.Match).
func (s Subject) Mentions(b []byte) bool { return s.Matcher().Match(b) }

// Matcher returns a Matcher for s, for searching many bodies.
func (s Subject) Matcher() *Matcher {
	m := &Matcher{}
	for _, p := range s.Patterns {
		if p != "" {
			m.pats = append(m.pats, bytes.ToLower([]byte(p)))
			m.unicode = m.unicode || !isASCII(p)
		}
	}
	for _, p := range s.Phones {
		if p != "" {
			m.phones = append(m.phones, []byte(p))
		}
	}
	if len(m.phones) > manyPhones {
		m.phoneSet = map[string]bool{}
		for _, p := range m.phones {
			m.phoneSet[string(p)] = true
		}
	}
	return m
}

// manyPhones is how many phones' digits a Matcher compares one by one; a
// subject of more (the phones of many leads, searched together) looks
// each number up in a set.
const manyPhones = 16

// Matcher is Subject.Mentions with the patterns prepared once. It is not
// safe for concurrent use.
type Matcher struct {
	pats    [][]byte
	unicode bool // a pattern is not ASCII: bodies are lower-cased letter by letter
	phones  [][]byte
	// phoneSet holds phones when there are more than manyPhones.
	phoneSet map[string]bool
	spaced   []byte // a body's no-break spaces as spaces, for matchPhones
	buf      []byte
	digits   []byte
	groups   []digitGroup
}

// Match reports whether b mentions the subject (see Subject.Mentions).
func (m *Matcher) Match(b []byte) bool {
	odd := spacedOddly(b) // one pass, for both
	return m.matchPatterns(b, odd) || m.matchPhones(b, odd)
}

// matchPatterns reports whether b holds one of m.pats; odd is whether it
// holds a no-break space or an Unseen character (spacedOddly).
func (m *Matcher) matchPatterns(b []byte, odd bool) bool {
	if len(m.pats) == 0 {
		return false
	}
	// A character no one sees inside an address ("jane\u00ad@x.dk", as
	// pasted from a web page) is left out, as the mapping leaves it out
	// of the contact's key: unicodeLower does.
	if m.unicode || odd {
		m.buf = unicodeLower(m.buf[:0], b)
	} else {
		m.buf = asciiLower(m.buf[:0], b)
	}
	lower := m.buf
	for _, pat := range m.pats {
		for i := 0; i+len(pat) <= len(lower); {
			j := bytes.Index(lower[i:], pat)
			if j < 0 {
				break
			}
			j += i
			if !wordByte(lower, j-1) && !wordAfter(lower, j+len(pat)) && !letterAround(lower, j, j+len(pat)) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

// asciiLower appends b, ASCII letters lower-cased, to dst.
func asciiLower(dst, b []byte) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(b))[:n+len(b)]
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[n+i] = c
	}
	return dst
}

// mayStartOdd marks the bytes that may start a no-break space or an Unseen
// character (read only): an escape ("\u00ad", "%C2%A0"), or the first
// byte of the UTF-8 of one of U+0080-00BF or past U+05FF (not of the
// Latin letters: "ø" is C3 B8).
var mayStartOdd = func() (t [256]bool) {
	t['\\'], t['%'], t[0xc2] = true, true, true
	for c := 0xd8; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// unicodeLower appends b, every letter lower-cased, to dst. A JSON escape
// of a character that is not ASCII ("\u00C5", "\u00e5") or its URL
// encoding ("%C3%85" in a mailto: link) is read as the character, and a
// byte that is not UTF-8 as the ISO-8859-1 character it is (0xF8 "ø", as a
// sender writing that charset sends it; such a body is quarantined), so
// that a letter is found however a sender escaped or encoded it. The
// characters no one sees in an address (Unseen) are left out, however
// written.
func unicodeLower(dst, b []byte) []byte {
	for len(b) > 0 {
		if c := b[0]; c < utf8.RuneSelf {
			if c == '\\' || c == '%' {
				if r, n := escaped(b); n > 0 {
					if b = b[n:]; !Unseen(r) {
						dst = utf8.AppendRune(dst, unicode.ToLower(r))
					}
					continue
				}
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst, b = append(dst, c), b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			r = rune(b[0]) // ISO-8859-1
		}
		if b = b[n:]; !Unseen(r) {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// escaped reads at the start of b a character that is not ASCII, escaped
// for JSON or URL-encoded; n is 0 for none.
func escaped(b []byte) (r rune, n int) {
	if b[0] == '%' {
		return urlEscape(b)
	}
	return jsonEscape(b)
}

// urlEscape reads the URL encoding of a character that is not ASCII (its
// UTF-8 bytes as %XX, "%C3%85" for "Å") at the start of b; n is 0 for none.
func urlEscape(b []byte) (r rune, n int) {
	var enc [utf8.UTFMax]byte
	for n = 0; n < len(enc) && len(b) >= 3*n+3 && b[3*n] == '%'; n++ {
		hi, ok1 := unhex(b[3*n+1])
		lo, ok2 := unhex(b[3*n+2])
		if !ok1 || !ok2 {
			break
		}
		enc[n] = hi<<4 | lo
	}
	r, size := utf8.DecodeRune(enc[:n])
	if r < utf8.RuneSelf || r == utf8.RuneError {
		return 0, 0
	}
	return r, 3 * size
}

// jsonEscape reads a JSON \u escape of a character that is not ASCII
// (a surrogate pair for one past U+FFFF) at the start of b; n is 0 for
// none.
func jsonEscape(b []byte) (r rune, n int) {
	r, ok := hex4(b)
	switch {
	case !ok || r < utf8.RuneSelf:
		return 0, 0
	case !utf16.IsSurrogate(r):
		return r, 6
	}
	r2, ok := hex4(b[6:])
	if r = utf16.DecodeRune(r, r2); !ok || r == utf8.RuneError {
		return 0, 0
	}
	return r, 12
}

// hex4 reads "\uXXXX" at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		d, ok := unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// unhex is the value of the hex digit c.
func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// letterAround reports whether a letter or combining mark that is not
// ASCII (an "ø" of a longer address, the ring of a decomposed "å") comes
// right before b[i] or at b[j].
func letterAround(b []byte, i, j int) bool {
	before, _ := utf8.DecodeLastRune(b[:i])
	after, _ := utf8.DecodeRune(b[j:])
	return wordRune(before) || wordRune(after)
}

func wordRune(r rune) bool {
	return r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsMark(r))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// wordByte reports whether b[i] could continue an email or a number.
func wordByte(b []byte, i int) bool {
	if i < 0 || i >= len(b) {
		return false
	}
	c := b[i]
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// wordAfter reports whether what follows a match at b[i] continues it; a
// full stop ends it unless more of a domain follows.
func wordAfter(b []byte, i int) bool {
	if i < len(b) && b[i] == '.' {
		return wordByte(b, i+1) && b[i+1] != '.'
	}
	return wordByte(b, i)
}

// Retention is how long the store keeps personal data; a zero duration
// keeps that kind of data for ever.
type Retention struct {
	// Events: bodies of events no longer needed for delivery (mapped and
	// every operation finished, or ignored, or unmappable), counted from
	// the later of their receipt and their operations' last change.
	Events time.Duration
	// Quarantine: quarantined bodies, from their last delivery.
	Quarantine time.Duration
	// Outbox: finished (done or dead) operations, from their last change.
	Outbox time.Duration
	// Links: CRM links, from when they were recorded.
	Links time.Duration
	// Intents: records of creates sent to a CRM without uniqueness, from
	// when sent (they matter for minutes; the outbox's retention suits).
	Intents time.Duration
	// Keys: the duplicate window's idempotency keys, from their event's
	// receipt: the intake's dedup window (a key older than it can no
	// longer make a duplicate). A store whose intake sweeps its own keys
	// as it runs (SQLite's) ignores it.
	Keys time.Duration
	// Erasures: the identifiers of erasures, from when each was made: the
	// audit's subject hash (keyed with a salt the database holds, so that
	// whoever holds both can test an email or a phone against it) and the
	// part of it a CRM erasure's event key carries. Past it the audit
	// entry (time, counts) stays without them.
	Erasures time.Duration
}

// CheckErasable refuses (EInvalid) a subject erase cannot look for: no
// identifier, or no pattern or phone to find the person by, nor events
// given by id. A name alone (Subject.Name) is refused: it is not an
// identity.
func (s Subject) CheckErasable() error {
	if s.ID == "" || len(s.Patterns)+len(s.Phones)+len(s.Events) == 0 {
		return Errorf(EInvalid, "erase: no identifier")
	}
	return nil
}

// ErrDelivering is erase's refusal (EUnavailable) while n of the person's
// operations are being delivered: each would write its CRM link after the
// erase. left is how long until the last of their leases ends, when the
// syncer holding them has finished or, stopped mid-send, let them go: the
// erase can run then at the latest (it said "in a few minutes", whatever
// sync.lease was).
func ErrDelivering(n int, left time.Duration) error {
	are := "are"
	if n == 1 {
		are = "is"
	}
	minutes := max(1, int((left+time.Minute-1)/time.Minute))
	return Errorf(EUnavailable, "%d of the person's operations %s being delivered to the CRM now; try again once "+
		"delivered, within %s at the latest (when the sync's lease on them ends)", n, are, Counted(minutes, "minute", "minutes"))
}

// ErrStoredSince is erase's refusal (EChanged) when rows naming the person
// were stored since PersonData read them: events, quarantined bodies and
// outbox operations. Erase erased nothing: read again.
func ErrStoredSince(events, quarantined, ops int) error {
	return Errorf(EChanged, "stored since the person was read: %s, %s, %s that name them; nothing was erased",
		Counted(events, "event", "events"), Counted(quarantined, "quarantined body", "quarantined bodies"),
		Counted(ops, "outbox operation", "outbox operations"))
}

// addressLike is an email address in an error's text.
var addressLike = regexp.MustCompile(`[^\s<>()\[\]"',;:]+@[^\s<>()\[\]"',;:]+`)

// WithoutAddresses is text (an error's) with each email address in it put
// as "<address>": a mail server's answers name the recipients it refused,
// people's addresses, which a log line above debug does not hold.
func WithoutAddresses(text string) string {
	return addressLike.ReplaceAllString(text, "<address>")
}
