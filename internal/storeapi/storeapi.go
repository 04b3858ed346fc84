// Package storeapi declares, once, what every store (internal/sqlite,
// internal/postgres) offers the daemon's parts and commands: the interfaces
// of the parts it feeds, each declared beside its consumer, and what the
// commands read. The command line and the conformance suite both build on it.
package storeapi

import (
	"context"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// Store is what both stores offer alike.
type Store interface {
	syncer.Store
	mapping.Store
	mapping.ReplayStore
	report.Store
	syncd.BatchLinks

	Ping(ctx context.Context) error
	Close() error
	LastSync(ctx context.Context, target string) (time.Time, error)
	// CRMFailing returns since when every CRM call for target has failed
	// and until when none is tried (the sync leader's cool-down), on this
	// host's clock, and how the last call failed (syncer.Options
	// Outage's why: "429 Too Many Requests" is the CRM's rate limit);
	// zero times while the CRM answers.
	CRMFailing(ctx context.Context, target string) (since, until time.Time, why string, err error)
	// SetCRMFailing records them (times on this host's clock); a zero
	// since clears the record.
	SetCRMFailing(ctx context.Context, target string, since, until time.Time, why string) error
	OutboxDepths(ctx context.Context) ([]syncd.OutboxDepth, error)
	// LeadsOnlyFor counts the leads that reached target and have no
	// operation for other, those whose bodies are held apart from those
	// the retention purged: the dry run's leads (target dryrun) that no
	// replay mapped for the CRM configured since.
	LeadsOnlyFor(ctx context.Context, target, other string) (syncd.OnlyFor, error)
	Event(ctx context.Context, id int64) (syncd.Event, error)
	Events(ctx context.Context, f syncd.EventFilter) ([]syncd.Event, error)
	CountEvents(ctx context.Context, f syncd.EventFilter) (int, error)
	QuarantinedBody(ctx context.Context, id int64) (syncd.Quarantine, error)
	Quarantined(ctx context.Context, f syncd.EventFilter) ([]syncd.Quarantine, error)
	CountQuarantined(ctx context.Context, f syncd.EventFilter) (int, error)
	// QuarantineWaiting counts the quarantined bodies that wait for a
	// person (EventFilter.Waiting) by source; a source none waits of is
	// left out.
	QuarantineWaiting(ctx context.Context) (map[string]int, error)
	RepairQuarantined(ctx context.Context, id int64, inc syncd.Incoming, window time.Duration) (syncd.Receipt, error)
	// DismissQuarantined sets quarantined body id aside as no lead: kept
	// for the record, its body dropped, waiting for no one. It returns the
	// row as it was (DismissedAt set when dismissed already); a repaired
	// body is refused (EInvalid).
	DismissQuarantined(ctx context.Context, id int64) (syncd.Quarantine, error)
	// DealtWith records unmappable lead id as dealt with by an operator
	// (entered in the CRM by hand, or no lead): it waits for no one after
	// (EventFilter.Unattended). It returns the event as it was (DealtAt
	// set when dealt with already); another event is refused (EInvalid,
	// syncd.DealableWith).
	DealtWith(ctx context.Context, id int64) (syncd.Event, error)
	GetOp(ctx context.Context, id int64) (syncd.Op, error)
	ListOps(ctx context.Context, f syncd.OpFilter) ([]syncd.Op, error)
	// WaitsFor returns the pending operation op, pending, waits behind
	// (the claim holds op back while it is pending): for a deal, one on
	// its contact (contacts go first), the oldest; else the oldest on the
	// same record before op (writes to a record go in order). False when
	// none: op goes at its own next attempt.
	WaitsFor(ctx context.Context, op syncd.Op) (syncd.Op, bool, error)
	// WaitsForEach answers WaitsFor for each of ops at once (a page of
	// `syncd outbox list`), by op id; one that waits behind none is left
	// out.
	WaitsForEach(ctx context.Context, ops []syncd.Op) (map[int64]syncd.Op, error)
	CountOps(ctx context.Context, f syncd.OpFilter) (int, error)
	// PendingLeft says how many of target's pending operations no lease
	// holds and when the first of them that waits behind no other is due
	// (what WaitsFor tells of one), without reading them.
	PendingLeft(ctx context.Context, target string) (syncd.PendingLeft, error)
	// RetryDeadOp revives a dead operation and returns the ids of those
	// revived with it (a contact's updates that died with it, in the same
	// finish, and its waiting deals; a deal's dead contact, with the
	// updates that died with that one).
	RetryDeadOp(ctx context.Context, id int64) ([]int64, error)
	// RetryAllDeadOps revives every dead operation for target ("" for
	// all) and returns how many, and how many dead ones it kept: the CRM
	// erasures of an earlier account (syncd.DeadCause.OtherAccount),
	// which RetryDeadOp refuses too (syncd.EInvalid), and those given up
	// by hand (syncd.DeadGivenUp: the operator dealt with them), which
	// RetryDeadOp brings back one at a time.
	RetryAllDeadOps(ctx context.Context, target string) (revived, kept, givenUp int, err error)
	// GiveUpOp makes a pending operation for target that no syncer holds
	// a dead letter given up by hand (syncd.DeadGivenUp), reason before
	// its last error (an operation the CRM never takes, which no attempt
	// count ends), and so a dead letter for target not given up yet (one
	// the operator dealt with by hand in the CRM); a contact's deals no
	// syncer holds, pending or dead for want of it, go with it when the
	// contact has no CRM id, and their ids are returned, after those of a
	// dead contact's updates that died with it (one write with it), which
	// go with it too. A syncd.ENotFound error when there is no such
	// operation. RetryDeadOp brings it back, a contact with its deals and
	// updates.
	GiveUpOp(ctx context.Context, id int64, target, reason string) ([]int64, error)
	// ForgetLinks forgets target's CRM ids and create intents and makes
	// every delivered operation of each of its contacts, and the newest
	// one of each deal, pending again (the agency moved to another account
	// of that CRM).
	ForgetLinks(ctx context.Context, target string) (syncd.ForgottenLinks, error)
	// DropUnsentOps drops the operations for target, a CRM no longer
	// configured, that never reached it (dead, or pending and not held by
	// a syncer); erase operations only with erasures.
	DropUnsentOps(ctx context.Context, target string, erasures bool) (syncd.DroppedOps, error)
	// LastReport returns the report status and the metrics speak of,
	// without its summary and mail (with the recipients waiting to be
	// mailed again, MailWaiting): of the reports made once their day
	// was over (not Partial), the latest day's; when mailed (report.mail.to
	// is set), the latest day's whose mail was asked for, or the latest
	// day's when none was; a zero Record (Day "") when none was made. A
	// look at today by hand, or an older day's made by hand since, mailed
	// or not, passed for it and held off the alert on no report for 26
	// hours; a report looked at by hand without -mail must not hide the
	// failed mail of the daemon's last report, which status and the alert
	// on syncd_last_report_mail_failed exist to show; and once the mail
	// is stopped the reports made without it are the last ones (the last
	// one mailed set off the alert on no report every day). One row read,
	// however many reports were kept (metrics read it at every scrape).
	LastReport(ctx context.Context, mailed bool) (syncd.ReportRecord, error)

	// Purge drops what r no longer keeps (the retention), in short
	// batches that leave intake free.
	Purge(ctx context.Context, r syncd.Retention) (syncd.Purge, error)
	// HeldSince returns the oldest personal data kept of each kind, and
	// how many event bodies received before eventCut are kept: what shows
	// that nothing older than the retention is left (syncd purge).
	HeldSince(ctx context.Context, eventCut time.Time) (syncd.Held, error)
	// PersonData returns everything held about one person (GDPR Art. 15,
	// 20), read in one snapshot.
	PersonData(ctx context.Context, s syncd.Subject) (syncd.PersonData, error)
	// ErasuresAt returns the audit entries of the erasures recorded at
	// the times at (as the erasure log keeps them: Audited, else At),
	// oldest first: an export by the phone alone finds so an erasure the
	// audit keeps under the email it was given with.
	ErasuresAt(ctx context.Context, at []time.Time) ([]syncd.Erasure, error)
	// Erase removes one person's data (GDPR Art. 17), exactly what found
	// (PersonData of s) holds, by id, and records an audit entry; with
	// crmTarget it also queues their erasure in that CRM. When a row that
	// names the person was stored since found was read, it erases nothing
	// and returns a syncd.EChanged error: read again, and erase that.
	Erase(ctx context.Context, s syncd.Subject, found syncd.PersonData, crmTarget string) (syncd.Erasure, error)
}
