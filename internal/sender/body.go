package sender

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
	"golang.org/x/text/unicode/norm"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// What the report reads from a sender's bodies. Each kind's file says how
// its bodies give these; a kind without leads, submissions or imports
// leaves the reader nil.

// Lead is the part of a lead's body the report shows, as sent.
type Lead struct {
	Portal       string // the portal's id (see Label), or the kind's
	EnquiryType  string // a split of the portal's own, such as Lokalebasen's direct or extra
	Name         string // the contact's name, as one
	Email        string
	Phone        string
	Company      string
	Property     string // the property's references, readable
	PropertyURL  string
	Requested    string // the property asked about, when not the one above
	RequestedURL string
	Message      string // the message as text
	MessageHTML  string // the message as HTML, when the sender gives one
}

// compose writes the lead's text composed (Unicode NFC), as mapping sends
// it to the CRM: a name or comment a Mac sent decomposed ("A" and a
// combining ring for "Å") would show alike in the report but not be found
// by a search for it. Already composed text (ASCII too) is kept as it is.
func (l *Lead) compose() {
	for _, s := range []*string{&l.Name, &l.Email, &l.Phone, &l.Company, &l.Property, &l.Requested, &l.Message, &l.MessageHTML} {
		*s = norm.NFC.String(*s)
	}
}

// Submission is the outcome of one portal submission of a listing.
type Submission struct {
	OK        bool
	Portal    string // the portal's id (see Label)
	Ref       string // the agency's property reference
	PortalRef string // the reference the portal knows the listing by
	Action    string
	URL       string    // the listing on the portal, when known
	At        time.Time // when it was submitted; zero when the sender does not say
	Errors    []SubmissionError
}

// SubmissionError is one reason a portal gave for refusing a listing.
type SubmissionError struct {
	Code, Message string
}

// Import is one feed import: the agency's feed read by the sender.
type Import struct {
	Agent   string
	Format  string
	Records int64  // property records the import changed
	Feed    string // the feed's address
	At      time.Time
	// RecordsBad, when set, says why the body's count of records is no
	// count syncd shows (Records is then 0): NotANumber, or OutOfRange (a
	// fraction, below 0, or past MaxCount: 1e999999999 showed as
	// 9223372036854775807).
	RecordsBad string
}

// What a count in a sender's body that syncd cannot show is (see count).
const (
	NotANumber = "not a number"
	OutOfRange = "out of range"
)

// MaxCount is the largest count syncd takes from a sender's body: the
// largest whole number of 15 digits, which a workbook's cell holds exactly
// and a day's sum of them cannot overflow.
const MaxCount = 999_999_999_999_999

// count reads a count from a body's field: 0 when it is absent, null or
// "", else a whole number from 0 to MaxCount (as a JSON number or a
// string of one), or 0 and why it is none (NotANumber, OutOfRange: a
// fraction too small for a double, 1e-400, too).
func count(r gjson.Result) (int64, string) {
	text := strings.TrimSpace(r.Str)
	switch {
	case r.Type == gjson.Null || r.Type == gjson.String && text == "":
		return 0, ""
	case r.Type == gjson.Number:
		text = r.Raw
	case r.Type != gjson.String:
		return 0, NotANumber
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) || math.IsNaN(f) {
		return 0, NotANumber
	}
	if err != nil || f != math.Trunc(f) || f < 0 || f > MaxCount || f == 0 && !zero(text) {
		return 0, OutOfRange
	}
	return int64(f), ""
}

// zero reports whether the number text (one ParseFloat read as 0) is
// written as zero, rather than a fraction too small for a double (1e-400,
// which ParseFloat rounds to 0 and showed as "0").
func zero(text string) bool {
	mant, _, _ := strings.Cut(strings.ToLower(text), "e")
	return strings.Trim(mant, "+-0.") == ""
}

// text reads a body's field the report shows as text: a string as
// sent, a number as the sender wrote it (syncd.NumberText), or OutOfRange
// when no CRM number holds it: gjson wrote a phone of 1e999999999 as
// "+Inf", 1e-400 as "0", and 1.2345678901234567890123e22 with its last
// six digits changed.
func text(r gjson.Result) string {
	if r.Type != gjson.Number || r.Raw == "" {
		return r.String()
	}
	if t, ok := syncd.NumberText(r.Raw); ok {
		return t
	}
	return OutOfRange
}

// shown reads a client's field (email, phone, company) as the mapping
// reads text: a list of texts joined by ", ", an object or a list holding
// one no text (""), never JSON text: the report showed an email sent as
// an object as `{"address":"jane@x.dk"}`.
func shown(r gjson.Result) string {
	switch {
	case r.IsObject():
		return ""
	case r.IsArray():
		parts, ok := texts(r)
		if !ok {
			return ""
		}
		return strings.Join(parts, ", ")
	}
	return text(r)
}

// personName reads a client's name as the mapping reads one: a list of
// texts is the name's parts in order ("Jane Doe" of ["Jane","Doe"]: the
// report showed `["Jane","Doe"]`), an object none. A number shows as the
// sender wrote it (text), though the mapping takes it for no name: the
// report shows what the lead gave.
func personName(r gjson.Result) string {
	if r.IsArray() {
		parts, _ := texts(r)
		return strings.Join(parts, " ")
	}
	return shown(r)
}

// texts are the texts of the list r that are not blank; ok is false when
// it holds anything but texts and numbers.
func texts(r gjson.Result) (parts []string, ok bool) {
	ok = true
	r.ForEach(func(_, e gjson.Result) bool {
		if e.Type != gjson.String && e.Type != gjson.Number {
			ok = false
			return false
		}
		if s := strings.TrimSpace(text(e)); s != "" {
			parts = append(parts, s)
		}
		return true
	})
	if !ok {
		return nil, false
	}
	return parts, true
}

// ref reads an id or reference from a body's field as text: a string as
// sent, a number as written when it is whole digits, else (written with a
// fraction or an exponent) as count reads it, so that one past MaxCount
// reads OutOfRange: gjson wrote 1e999999999 as "+Inf", and 1e300 as 301
// digits.
func ref(r gjson.Result) string {
	digits := strings.TrimPrefix(r.Raw, "-")
	if r.Type != gjson.Number || digits != "" && strings.Trim(digits, "0123456789") == "" {
		return r.String()
	}
	n, bad := count(r)
	if bad != "" {
		return bad
	}
	return strconv.FormatInt(n, 10)
}

// Label is the name people know a portal or sender by, given the id the
// senders use for it (a portal's id such as "rightmove", or a kind).
func Label(id string) (string, bool) {
	for _, s := range specs {
		if string(s.Kind) == id {
			return s.Name, true
		}
		if l, ok := s.Portals[id]; ok {
			return l, true
		}
	}
	return "", false
}

// Meta is what syncd knows about an event besides its body, available to
// mapping expressions as `syncd` beside the body's fields.
type Meta struct {
	ID         int64  `expr:"id"`
	Source     string `expr:"source"`      // configured source name
	Kind       string `expr:"kind"`        // lokalebasen | eaf
	Type       string `expr:"type"`        // event type
	Key        string `expr:"key"`         // idempotency key
	LeadID     string `expr:"lead_id"`     // stable lead id: the deal's identity
	ReceivedAt string `expr:"received_at"` // RFC 3339, UTC
}

// LeadName is the contact name a body of kind holds where its sender puts
// a lead's contact (Estate Agent Feeds' contact_name, Lokalebasen's
// payload.client.name), read by the kind's lead reader whatever the
// event's type (a portal_submission carrying a contact too); "" for a
// kind syncd does not know or a body naming no contact there.
func LeadName(kind syncd.Kind, body []byte) string {
	s := For(kind)
	if s == nil || s.Lead == nil || len(body) == 0 {
		return ""
	}
	return s.Lead(body).Name
}
