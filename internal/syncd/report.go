package syncd

import "time"

// The report's rows: what the store reads for one day's workbook. They
// live here so that the store and the report meet through the domain
// instead of importing each other.

// CRMStatus is where a lead stands in the CRM, derived from its outbox
// operations and its mapping state.
type CRMStatus string

// CRM statuses of a lead.
const (
	CRMSynced  CRMStatus = "synced"  // every operation done
	CRMPending CRMStatus = "pending" // some operation still to deliver
	CRMDead    CRMStatus = "dead"    // some operation dead-lettered
	// CRMGivenUp: some operation given up by hand (syncd outbox give-up,
	// DeadGivenUp), none dead-lettered otherwise.
	CRMGivenUp CRMStatus = "given up"
	// CRMDeletedInCRM: every operation done, but the lead's deal was
	// found deleted in the CRM by a person since syncd wrote it
	// (syncd.DoneDeletedInCRM), and left so.
	CRMDeletedInCRM CRMStatus = "deleted in CRM"
	CRMUnmappable   CRMStatus = "unmappable" // a rule applies but could not produce records
	CRMNotMapped    CRMStatus = "not mapped" // not mapped yet
	CRMNone         CRMStatus = "no CRM"     // mapped to nothing (ignored)
)

// LeadRow is one lead (a Lokalebasen enquiry_created or an EAF email_lead)
// with its CRM status and ids joined from the outbox.
type LeadRow struct {
	EventID    int64
	Source     string // configured source name
	Kind       string // lokalebasen | eaf
	Type       string // enquiry_created | email_lead
	ReceivedAt time.Time
	JSON       []byte // COALESCE(payload, body); valid only during fn
	Status     CRMStatus
	Target     string // CRM adapter of its operations, "" when none
	ContactID  string // CRM id of its newest delivered contact, "" when none
	DealID     string // CRM id of its newest delivered deal, "" when none
	MapError   string
	// Contact is the properties (a JSON object) of its newest contact
	// operation: the values as syncd sent them to the CRM; nil when none.
	// Valid only during fn.
	Contact []byte
	// OpError is the last error of its newest operation that is not done
	// (why it is dead, or why it is still pending); "" when none.
	OpError string
}

// EventRow is one stored event of a given kind and type.
type EventRow struct {
	EventID    int64
	Source     string
	ReceivedAt time.Time
	JSON       []byte // COALESCE(payload, body); valid only during fn
}

// AttentionKind says why a row needs attention.
type AttentionKind string

// Kinds of rows that need attention.
const (
	AttentionQuarantined AttentionKind = "quarantined" // a body that did not parse
	AttentionUnmappable  AttentionKind = "unmappable"  // an event no mapping could turn into records
	AttentionDead        AttentionKind = "dead"        // a dead-lettered outbox operation
	// AttentionGivenUp is an operation given up by hand (syncd outbox
	// give-up): a dead letter the operator chose, which needs nobody now.
	AttentionGivenUp AttentionKind = "given_up"
	// AttentionUnrecognised is an event whose body does not have its
	// source's shape (a sender posting to another kind's source).
	AttentionUnrecognised AttentionKind = "unrecognised"
	// AttentionNewType is an event of a type its sender does not document
	// and no mapping rule maps yet.
	AttentionNewType AttentionKind = "new_type"
	// AttentionLeftOut is a lead (or another event) that was mapped and
	// reached the CRM without a field the sender sent in a shape syncd
	// cannot take, or a date or email it cannot read: its mapping note
	// (map_error of a mapped event) says which and why.
	AttentionLeftOut AttentionKind = "left_out"
)

// AttentionRow is one quarantined body (received in the range), unmappable
// event or event mapped with a field left out (received in the range) or dead operation (dead-lettered in the
// range, by its last update).
type AttentionRow struct {
	Kind   AttentionKind
	ID     int64 // quarantine id, event id or outbox id
	At     time.Time
	Source string
	Detail string // event type, or "<target> <kind>" of an operation
	Reason string
	// EventID is the lead the row is about: ID itself for an unmappable
	// lead, the operation's event for a dead one; 0 for a quarantined body
	// and for an event that is not a lead (an unrecognised body, a new
	// event type, syncd's own row of an erasure), which the Leads sheet
	// does not list either.
	EventID int64
	// LeadAt is when lead EventID was received (zero when EventID is 0):
	// an operation dead-lettered a day after its lead concerns a lead the
	// day's Leads sheet does not list.
	LeadAt time.Time
}

// MailState is where the mailing of a report stands.
type MailState string

// Mail states, as stored in the reports table.
const (
	MailNone    MailState = "none"    // not to be mailed
	MailPending MailState = "pending" // to be mailed, not sent yet
	MailSent    MailState = "sent"
	MailFailed  MailState = "failed" // attempts used up
	// MailKept: a workbook made before the database was restored from an
	// older backup, kept as it is; whether it was mailed is not recorded.
	MailKept MailState = "kept"
)

// ReportRecord is one made report as recorded in the store.
type ReportRecord struct {
	Day       string // YYYY-MM-DD in the report time zone
	Path      string
	CreatedAt time.Time
	Leads     int
	Summary   string // the plain-text summary mailed with it
	Subject   string // the mail's subject; "" for a report recorded before it was kept
	HTML      string // the mail's HTML part; "" when none
	Mail      MailState
	Attempts  int
	MailError string // the last error, for display only: read MailNote
	MailNote  MailNote
	MailedAt  time.Time
	// MailWaiting is, while a mail sent to some recipients waits to be
	// mailed again to those the server refused only for now (450,
	// greylisting), who they are and how the mail stood, as the report
	// package wrote it; "" when none wait.
	MailWaiting string
	// Again marks a day's report made again (by erase, or the purge,
	// without what they dropped): a record of the day keeps its CreatedAt,
	// so that it does not pass for the latest report.
	Again bool
	// Partial marks a report made before its day was over (by hand, of
	// today): a look at part of the day, which the day's run makes again.
	// It is not the last report status and the metrics speak of. A day
	// made again (Again) keeps what its record said.
	Partial bool
	// Alarms are those the report opened with when it was made (a CRM
	// paused, a restore that lost leads), besides the ones its own rows
	// raise: a report made again shows these, not the alarms of the time
	// it is made again.
	Alarms []ReportAlarm
}

// ReportAlarm is something that needed whoever runs syncd when a report
// was made: a CRM adapter paused on a rejected token, say. Its texts hold
// no personal data.
type ReportAlarm struct {
	Since time.Time // when it began; zero when not known
	Until time.Time // when it ends by itself; zero when it does not
	Short string    // a few words for the mail's subject: "CRM paused"
	Text  string    // what it is and the way out, without its times
}

// MailNote is how a report's mail stood beyond its state, recorded beside
// the error text (ReportRecord.MailError, kept for display) so that nobody
// reads it back from that text.
type MailNote struct {
	// Refused counts the recipients the server refused a sent mail for
	// while it took it for the others; RefusedWho says who, with its
	// answers ("gone@example.com (550 5.1.1 no such user)").
	Refused    int
	RefusedWho string
	// Held marks a pending mail the server did not take in a round of
	// attempts (not reached, or answering 4xx): the daemon tries it again.
	Held bool
	// Unattached says why a sent mail went without its workbook (too
	// large for the mail server) and where that is kept; "" when attached.
	Unattached string
}
