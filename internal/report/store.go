package report

import (
	"context"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Store is what the report reads from and records into. The SQLite store
// (internal/sqlite) implements it with the domain's row types, so neither
// package imports the other.
//
// Every Each method streams rows received in [from, to) (UTC) in received
// order, calling fn once per row; it stops at fn's first error and returns
// it. Byte slices in a row are only valid during the call to fn.
//
// EachLead gives each lead's CRM status, target and ids from its
// operations for crm (Options.CRM) when it has any, else from all it has.
type Store interface {
	EachLead(ctx context.Context, from, to time.Time, crm string, fn func(*LeadRow) error) error
	EachEvent(ctx context.Context, from, to time.Time, kind, typ string, fn func(*EventRow) error) error
	EachAttention(ctx context.Context, from, to time.Time, fn func(*AttentionRow) error) error
	// ErasedLeads counts the leads received in [from, to) that syncd
	// erase erased since: the Each methods leave them out.
	ErasedLeads(ctx context.Context, from, to time.Time) (int, error)

	// RecordReport records (or replaces) the report made for rec.Day.
	RecordReport(ctx context.Context, rec Record) error
	// ReportMade reports whether a report for day was recorded.
	ReportMade(ctx context.Context, day string) (bool, error)
	// FirstReport returns the oldest recorded day, "" when none.
	FirstReport(ctx context.Context) (string, error)
	// Reports returns the recorded reports of days >= since, oldest first.
	Reports(ctx context.Context, since string) ([]Record, error)
	// SetMailState records a mail attempt's outcome for day: errText for
	// display, note how it stood.
	SetMailState(ctx context.Context, day string, st MailState, attempts int, errText string, note MailNote) error
	// SetMailWaiting records day's mail as sent after attempts, with
	// errText and note, and waiting (Record.MailWaiting): the recipients still to
	// be mailed again. SetMailState, and RecordReport of a new mail,
	// clear it.
	SetMailWaiting(ctx context.Context, day string, attempts int, errText string, note MailNote, waiting string) error
}

// The row types are the domain's (internal/syncd), so that the store can
// produce them without importing this package; these names keep this
// package's code short.
type (
	CRMStatus     = syncd.CRMStatus
	LeadRow       = syncd.LeadRow
	EventRow      = syncd.EventRow
	AttentionKind = syncd.AttentionKind
	AttentionRow  = syncd.AttentionRow
	MailState     = syncd.MailState
	MailNote      = syncd.MailNote
	Record        = syncd.ReportRecord
)

// CRM statuses of a lead.
const (
	CRMSynced = syncd.CRMSynced
	// CRMDeletedInCRM: the lead's deal deleted in the CRM by a person.
	CRMDeletedInCRM = syncd.CRMDeletedInCRM
	CRMPending      = syncd.CRMPending
	CRMDead         = syncd.CRMDead
	CRMGivenUp      = syncd.CRMGivenUp
	CRMUnmappable   = syncd.CRMUnmappable
	CRMNotMapped    = syncd.CRMNotMapped
	CRMNone         = syncd.CRMNone
	// CRMDryRun: every operation done by the dry run (crm.kind dryrun),
	// which sends nothing: the lead is in no CRM. The report's own, from
	// a lead's CRMSynced and its target.
	CRMDryRun CRMStatus = "dry run"
)

// Kinds of rows that need attention.
const (
	AttentionQuarantined = syncd.AttentionQuarantined
	AttentionUnmappable  = syncd.AttentionUnmappable
	AttentionDead        = syncd.AttentionDead
	// AttentionGivenUp rows are listed, but need nobody: the operator
	// gave them up (syncd outbox give-up).
	AttentionGivenUp = syncd.AttentionGivenUp
	// AttentionUnrecognised and AttentionNewType also raise alarms.
	AttentionUnrecognised = syncd.AttentionUnrecognised
	AttentionNewType      = syncd.AttentionNewType
	// AttentionLeftOut rows (a lead in the CRM without a field) are
	// counted, but raise no alarm.
	AttentionLeftOut = syncd.AttentionLeftOut
)

// Mail states, as stored in the reports table.
const (
	MailNone    = syncd.MailNone
	MailPending = syncd.MailPending
	MailSent    = syncd.MailSent
	MailFailed  = syncd.MailFailed
	MailKept    = syncd.MailKept
)
