// Package syncd holds the domain of the daemon: the events portals send,
// the CRM records mapped from them, the outbox operations that deliver those
// records, and the errors that cross package boundaries.
//
// It depends on the standard library only. Every other package in the
// module meets the others through these types; only cmd/syncd wires them.
package syncd

import "time"

// Kind is the kind of sender a configured source is: it decides how a body
// is authenticated, deduplicated and answered.
type Kind string

// The sender kinds syncd understands. What each looks like (fields, key,
// shape, which events are leads) is described in internal/sender.
const (
	KindLokalebasen Kind = "lokalebasen"
	KindEAF         Kind = "eaf"
)

// KindErasure is the kind of the row `syncd erase -crm` stores to hold the
// CRM erase operations it queues (source "syncd"): no sender's delivery,
// it never had a body.
const KindErasure Kind = "erasure"

// KindRestore is the kind of the row that holds, on a restored backup, the
// event ids the database it was taken of may have given after the backup
// (source "syncd"): no sender's delivery, it never had a body.
const KindRestore Kind = "restore"

// Event types known today. Others are stored and accepted all the same:
// they simply map to nothing until a rule names them.
const (
	TypeEnquiryCreated   = "enquiry_created"
	TypePortalSubmission = "portal_submission"
	TypeFeedImport       = "feed_import"
	TypeEmailLead        = "email_lead"
)

// ParseStatus records how a stored body was parsed.
type ParseStatus string

// Parse statuses. A quarantined body is not an event: it lives in the
// quarantine until an operator repairs it.
const (
	ParseStrict  ParseStatus = "strict"  // valid JSON as received
	ParseLenient ParseStatus = "lenient" // needed the lenient pass (trailing commas, comments, a member given twice, a charset declared other than UTF-8)
)

// MapState is where an event stands in mapping.
type MapState string

// Mapping states of an event.
const (
	MapPending    MapState = "pending"    // not mapped yet
	MapMapped     MapState = "mapped"     // its operations are in the outbox
	MapIgnored    MapState = "ignored"    // no rule applies (e.g. feed_import by default)
	MapUnmappable MapState = "unmappable" // a rule applies but could not produce valid records
	// MapUnrecognised: the body does not have its source's shape (a
	// sender posting to another kind's source); it is never mapped.
	MapUnrecognised MapState = "unrecognised"
)

// TimeFormat is how every timestamp is stored: UTC, fixed width, so that
// text order is time order.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// FormatTime renders t in TimeFormat, in UTC.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// ParseTime reads a timestamp written by FormatTime.
func ParseTime(s string) (time.Time, error) { return time.Parse(TimeFormat, s) }
