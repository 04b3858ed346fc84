package sqlite

// This file is the daily report's view of the store: streaming queries over
// one [from, to) range of received time, and the reports table. It
// implements report.Store with the domain's row types, so neither package
// imports the other.

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/storeapi/staterow"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// repLeadsSQL selects the leads of a range in received order: the id, the
// event's short fields in one string separated by char(31) (kind, type,
// map state, received time, source, and last the mapping error: source
// names, kinds and types have no such character), the body, and the
// operations. A column costs the driver an allocation or two, a day of a
// million leads a million times. Their CRM
// side comes from one correlated subquery on outbox_event: a single index
// probe per lead, one pass, nothing held in memory. It lists the lead's
// operations, separated by char(31), each as its fields separated by
// char(30): id, kind, state, target, CRM id, the last error when not done
// (its separators made spaces), "g" when it was given up by hand (dead,
// DeadGivenUp), "x" when its record was deleted in the CRM (done,
// DoneDeletedInCRM), a deal's contact's CRM id as linked now (a returning
// client's lead has no contact operation of its own when its contact is as
// before: the earlier one stands for it), or a contact's own as linked now
// (one deleted in the CRM and made again by a later lead has a new id: the
// one its operation got leads nowhere) and, last, a contact's properties (the
// values sent to the CRM; JSON, which holds no raw control character), or
// for a deal of a lead without a contact operation, those its contact had
// when the deal was queued: the newest contact operation on its contact key
// before it (else the Leads sheet showed that lead's phone as the sender
// wrote it, the others' in E.164). Not once the lead's body is purged: the
// retention remakes a day's report when its own operations go, not
// another lead's, so a purged lead shows only what it has. A lead's
// contact operation is queued just before its deal: looking for it there,
// by id, costs the day of a million leads little; where it is elsewhere,
// the contact looked up is not used (repStatus prefers the lead's own).
// repStatus sums them up, those for the configured CRM when the lead has
// any: that costs less than SQL expressions picking the newest of each (the
// report of a day of a million leads runs this for every lead). Which events are leads is the senders' to say (leadsCond).
var repLeadsSQL = `
SELECT e.id,
  e.kind || char(31) || e.type || char(31) || e.map_state || char(31) || e.received_at || char(31) || e.source
    || char(31) || e.map_error,
  COALESCE(e.payload, e.body),
  COALESCE((SELECT group_concat(o.id || char(30) || o.kind || char(30) || o.state || char(30) || o.target
       || char(30) || o.crm_id
       || char(30) || iif(o.state <> 'done', replace(replace(o.last_error, char(30), ' '), char(31), ' '), '')
       || char(30) || iif(o.dead_cause = 'given_up', 'g', iif(o.dead_cause = 'deleted_in_crm', 'x', ''))
       || char(30) || CASE o.kind WHEN 'deal' THEN COALESCE((SELECT l.crm_id FROM crm_links l
            WHERE l.target = o.target AND l.kind = 'contact' AND l.key = o.contact_key), '')
          WHEN 'contact' THEN COALESCE((SELECT l.crm_id FROM crm_links l
            WHERE l.target = o.target AND l.kind = 'contact' AND l.key = o.key), '') ELSE '' END
       || char(30) || CASE WHEN o.kind = 'contact' THEN o.properties
          WHEN o.kind = 'deal' AND e.purged_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM outbox m WHERE m.id = o.id - 1 AND m.event_id = e.id AND m.kind = 'contact')
          THEN COALESCE((SELECT c.properties FROM outbox c WHERE c.target = o.target AND c.kind = 'contact'
            AND c.key = o.contact_key AND c.id < o.id ORDER BY c.id DESC LIMIT 1), '')
          ELSE '' END, char(31))
   FROM outbox o WHERE o.event_id = e.id), '')
FROM events e
WHERE e.received_at >= ? AND e.received_at < ? AND e.erased_at IS NULL
  AND ` + leadsCond + `
ORDER BY e.received_at, e.id`

// EachLead streams the leads received in [from, to): Lokalebasen
// enquiry_created and EAF email_lead events, with their CRM status and ids,
// from their operations for crm (the configured CRM's target name) when
// they have any, else from all they have ("" reads all alike). Erased events are left out (a report made again no longer lists the
// person); purged ones stay, counted, without their fields.
func (db *DB) EachLead(ctx context.Context, from, to time.Time, crm string, fn func(*syncd.LeadRow) error) error {
	rows, err := db.r.QueryContext(ctx, repLeadsSQL, fmtTime(from), fmtTime(to))
	if err != nil {
		return fmt.Errorf("query leads: %w", err)
	}
	defer rows.Close()
	var (
		r                    syncd.LeadRow
		short, at, ops, mapS string
		body                 sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&r.EventID, &short, &body, &ops); err != nil {
			return fmt.Errorf("scan lead: %w", err)
		}
		r.Kind, short, _ = strings.Cut(short, "\x1f")
		r.Type, short, _ = strings.Cut(short, "\x1f")
		mapS, short, _ = strings.Cut(short, "\x1f")
		at, short, _ = strings.Cut(short, "\x1f")
		r.Source, r.MapError, _ = strings.Cut(short, "\x1f")
		r.ReceivedAt = parseTime(sql.NullString{String: at, Valid: true})
		r.JSON = body
		r.Status, r.Target, r.ContactID, r.DealID, r.OpError, r.Contact = repStatus(mapS, ops, crm)
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query leads: %w", err)
	}
	return nil
}

// repStatus derives a lead's CRM status, target and ids from its mapping
// state and the list of its outbox operations (see repLeadsSQL): those for
// crm when it names a CRM the lead has operations for, so that operations
// left for a CRM no longer configured (after a change of crm.kind and a
// replay) do not hide where the lead is in the one configured; else all.
func repStatus(mapState, ops, crm string) (st syncd.CRMStatus, target, contact, deal, opErr string, props []byte) {
	var all, mine repOps
	all.add(ops, crm, &mine)
	s := &all
	if mine.n > 0 {
		s = &mine
	}
	if p := cmp.Or(s.props, s.dealProps.v); p != "" { // a returning client's lead: its deal's contact's
		props = []byte(p)
	}
	switch {
	case mapState == "unmappable":
		st = syncd.CRMUnmappable
	case s.n == 0 && mapState == "pending":
		st = syncd.CRMNotMapped
	case s.n == 0:
		st = syncd.CRMNone
	case s.dead:
		st = syncd.CRMDead
	case s.givenUp:
		st = syncd.CRMGivenUp
	case s.pending:
		st = syncd.CRMPending
	case s.goneDeal != 0 && s.goneDeal == s.lastDeal:
		st = syncd.CRMDeletedInCRM
	default:
		st = syncd.CRMSynced
	}
	opErr = s.opErr.v
	if s.contactErr.v != "" { // a deal whose contact failed fails for it: the contact's says why
		opErr = s.contactErr.v
	}
	contact = cmp.Or(s.contact.v, s.dealContact.v) // a returning client's lead: its deal's contact
	return st, s.target, contact, s.deal.v, opErr, props
}

// repOps sums up a lead's operations: how many, whether any is dead or
// pending, or given up by hand, the first target by name, whether its newest deal was
// found deleted in the CRM, and the newest (by operation id)
// delivered contact's and deal's CRM ids, error of an operation not done
// (and of a contact not done) and contact's properties.
type repOps struct {
	n                                int
	dead, givenUp, pending           bool // dead: by other than the hand
	target                           string
	contact, deal, opErr, contactErr newest
	dealContact                      newest // the contact a deal's contact key is linked to
	dealProps                        newest // its contact's properties, for a lead without a contact operation
	lastDeal, goneDeal               int64  // the newest deal operation; the newest found deleted in the CRM
	props                            string
	propsID                          int64
}

// newest is the value of the newest operation that has one.
type newest struct {
	id int64
	v  string
}

func (n *newest) offer(id int64, v string) {
	if v != "" && (n.v == "" || id > n.id) {
		n.id, n.v = id, v
	}
}

// add reads ops, the operations as repLeadsSQL lists them; those whose
// target is crm (when not "") are also summed up in mine.
func (s *repOps) add(ops, crm string, mine *repOps) {
	for op := range strings.SplitSeq(ops, "\x1f") {
		var f [9]string
		rest := op
		for i := range 8 {
			f[i], rest, _ = strings.Cut(rest, "\x1e")
		}
		f[8] = rest
		if f[0] == "" {
			continue
		}
		id, _ := strconv.ParseInt(f[0], 10, 64)
		s.op(id, &f)
		if crm != "" && f[3] == crm {
			mine.op(id, &f)
		}
	}
}

// op sums up one operation, its fields f as repLeadsSQL lists them.
func (s *repOps) op(id int64, f *[9]string) {
	kind, state := f[1], f[2]
	s.n++
	s.dead = s.dead || state == "dead" && f[6] == ""
	s.givenUp = s.givenUp || state == "dead" && f[6] != ""
	s.pending = s.pending || state == "pending"
	if s.target == "" || f[3] < s.target {
		s.target = f[3]
	}
	switch kind {
	case "contact":
		if f[4] != "" { // delivered: its record as linked now, made again since or not
			s.contact.offer(id, cmp.Or(f[7], f[4]))
		}
		s.contactErr.offer(id, f[5])
		if s.propsID == 0 || id > s.propsID {
			s.props, s.propsID = f[8], id
		}
	case "deal":
		s.lastDeal = max(s.lastDeal, id)
		if f[6] == "x" {
			s.goneDeal = max(s.goneDeal, id)
		}
		s.deal.offer(id, f[4])
		s.dealContact.offer(id, f[7])
		s.dealProps.offer(id, f[8])
	}
	s.opErr.offer(id, f[5])
}

// ErasedLeads counts the leads received in [from, to) that syncd erase
// erased since: a count only, as nothing else of them is left.
func (db *DB) ErasedLeads(ctx context.Context, from, to time.Time) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM events e
		WHERE e.received_at >= ? AND e.received_at < ? AND e.erased_at IS NOT NULL AND `+leadsCond,
		fmtTime(from), fmtTime(to)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count erased leads: %w", err)
	}
	return n, nil
}

// EachEvent streams the events of one kind and type received in [from, to).
func (db *DB) EachEvent(ctx context.Context, from, to time.Time, kind, typ string, fn func(*syncd.EventRow) error) error {
	rows, err := db.r.QueryContext(ctx, `
SELECT id, source, received_at, COALESCE(payload, body) FROM events
WHERE received_at >= ? AND received_at < ? AND kind = ? AND type = ? AND erased_at IS NULL
ORDER BY received_at, id`, fmtTime(from), fmtTime(to), kind, typ)
	if err != nil {
		return fmt.Errorf("query %s events: %w", typ, err)
	}
	defer rows.Close()
	var (
		r    syncd.EventRow
		at   string
		body sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&r.EventID, &r.Source, &at, &body); err != nil {
			return fmt.Errorf("scan %s event: %w", typ, err)
		}
		r.ReceivedAt = parseTime(sql.NullString{String: at, Valid: true})
		r.JSON = body
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query %s events: %w", typ, err)
	}
	return nil
}

// repAttentionSQL unions what needs a person: quarantined bodies neither
// repaired nor dismissed (resolved_at alone: syncd events dismiss),
// unmappable and unrecognised events, events mapped with a note of what
// was left out of their records (left_out), and events of a type their sender
// does not document that no rule mapped (new_type; syncd's own rows are
// none), received in the range, those syncd erase erased left out (as
// EachLead leaves out erased leads: nothing is left to inspect);
// and operations that were dead-lettered in the range (by their last update:
// erase deletes a person's, and those erasing them in the CRM stay), those
// given up by hand as given_up.
// The last columns are the lead a row concerns and when it was received: 0
// and no time for a quarantined body and for an event that is not a lead (an
// unrecognised body, a new type, an erasure's own row), which the Leads
// sheet does not list either.
// The events come from one pass over the range: a day of a million leads
// has a million of them. Dead operations are found through outbox_dead,
// which holds dead letters only, by their last update: the outbox holds
// every operation the retention keeps, some millions, and only a few are
// dead.
var repAttentionSQL = `
SELECT 'quarantined', id, received_at, source, kind, reason, 0, '' FROM quarantine
  WHERE received_at >= ?1 AND received_at < ?2 AND resolved_event_id IS NULL AND resolved_at IS NULL AND erased_at IS NULL
UNION ALL
SELECT CASE WHEN e.map_state IN ('unmappable', 'unrecognised') THEN e.map_state WHEN e.map_state = 'mapped' THEN 'left_out'
    ELSE 'new_type' END, e.id, e.received_at, e.source, e.type,
  iif(e.map_state IN ('unmappable', 'unrecognised', 'mapped'), e.map_error, 'new event type: no rule maps it'),
  iif(` + leadsCond + `, e.id, 0), iif(` + leadsCond + `, e.received_at, '')
  FROM events e WHERE e.received_at >= ?1 AND e.received_at < ?2 AND e.erased_at IS NULL
  AND (e.map_state IN ('unmappable', 'unrecognised') OR e.map_state = 'mapped' AND e.map_error <> ''
    OR e.map_state NOT IN ('mapped', 'unmappable', 'unrecognised') AND ` + fromSenders + ` AND NOT ` + knownCond + `)
UNION ALL
SELECT iif(o.dead_cause IN ('given_up', 'other_account_given_up'), 'given_up', 'dead'), o.id, o.updated_at, e.source, o.target || ' ' || o.kind, o.last_error,
  iif(` + leadsCond + `, o.event_id, 0), iif(` + leadsCond + `, e.received_at, '')
  FROM outbox o INDEXED BY outbox_dead JOIN events e ON e.id = o.event_id
  WHERE o.state = 'dead' AND o.updated_at >= ?1 AND o.updated_at < ?2
ORDER BY 3, 1, 2`

// EachAttention streams the rows that need attention for [from, to).
func (db *DB) EachAttention(ctx context.Context, from, to time.Time, fn func(*syncd.AttentionRow) error) error {
	rows, err := db.r.QueryContext(ctx, repAttentionSQL, fmtTime(from), fmtTime(to))
	if err != nil {
		return fmt.Errorf("query attention: %w", err)
	}
	defer rows.Close()
	var (
		r                syncd.AttentionRow
		kind, at, leadAt string
	)
	for rows.Next() {
		if err := rows.Scan(&kind, &r.ID, &at, &r.Source, &r.Detail, &r.Reason, &r.EventID, &leadAt); err != nil {
			return fmt.Errorf("scan attention: %w", err)
		}
		r.Kind = syncd.AttentionKind(kind)
		r.At = parseTime(sql.NullString{String: at, Valid: true})
		r.LeadAt = parseTime(sql.NullString{String: leadAt, Valid: leadAt != ""})
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query attention: %w", err)
	}
	return nil
}

// repSummaryKey names the state row holding a report's mail summary; the
// reports table has no column for it, and the text is small.
func repSummaryKey(day string) string { return "report.summary." + day }

// RecordReport records (or replaces) the report made for rec.Day, with its
// plain-text summary, mail and alarms, in one transaction. A day made again without mail
// (rec.Mail none) keeps the mail state it had: a report made again by hand
// does not forget that the day was mailed; one made again (rec.Again)
// keeps when it was first made, and whether that was before the day was
// over (rec.Partial).
func (db *DB) RecordReport(ctx context.Context, rec syncd.ReportRecord) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record report: %w", err)
	}
	defer tx.Rollback()
	if rec.Mail == "" {
		rec.Mail = syncd.MailNone
	}
	created := rec.CreatedAt
	if created.IsZero() {
		created = db.Now()
	}
	if _, err := tx.ExecContext(ctx, `
INSERT INTO reports (day, path, created_at, leads, mail_state, mail_attempts, mail_error, mailed_at, partial,
  mail_refused, mail_refused_who, mail_held, mail_unattached)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?11, ?12, ?13, ?14)
ON CONFLICT (day) DO UPDATE SET path = excluded.path, created_at = iif(?9, reports.created_at, excluded.created_at),
  partial = iif(?9, reports.partial, excluded.partial), leads = excluded.leads,
  mail_state = iif(excluded.mail_state = 'none', reports.mail_state, excluded.mail_state),
  mail_attempts = iif(excluded.mail_state = 'none', reports.mail_attempts, excluded.mail_attempts),
  mail_error = iif(excluded.mail_state = 'none', reports.mail_error, excluded.mail_error),
  mail_refused = iif(excluded.mail_state = 'none', reports.mail_refused, excluded.mail_refused),
  mail_refused_who = iif(excluded.mail_state = 'none', reports.mail_refused_who, excluded.mail_refused_who),
  mail_held = iif(excluded.mail_state = 'none', reports.mail_held, excluded.mail_held),
  mail_unattached = iif(excluded.mail_state = 'none', reports.mail_unattached, excluded.mail_unattached),
  mailed_at = iif(excluded.mail_state = 'none', reports.mailed_at, excluded.mailed_at),
  mail_waiting = iif(excluded.mail_state = 'none', reports.mail_waiting, '')`,
		rec.Day, rec.Path, fmtTime(created), rec.Leads, string(rec.Mail), rec.Attempts, rec.MailError,
		repNullTime(rec.MailedAt), rec.Again, rec.Partial, rec.MailNote.Refused, rec.MailNote.RefusedWho,
		rec.MailNote.Held, rec.MailNote.Unattached); err != nil {
		return fmt.Errorf("record report: %w", err)
	}
	mail, alarms, err := staterow.ReportRows(rec)
	if err != nil {
		return fmt.Errorf("record report: %w", err)
	}
	for _, row := range [][2]string{{repSummaryKey(rec.Day), rec.Summary},
		{staterow.ReportMailPrefix + rec.Day, mail}, {staterow.ReportAlarmsPrefix + rec.Day, alarms}} {
		if _, err := tx.ExecContext(ctx, setStateSQL, row[0], row[1], db.now()); err != nil {
			return fmt.Errorf("record report: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record report: %w", err)
	}
	return nil
}

func repNullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

// ReportMade reports whether a report for day (YYYY-MM-DD) was recorded.
func (db *DB) ReportMade(ctx context.Context, day string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE day = ?`, day).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("report made: %w", err)
	}
	return n > 0, nil
}

// FirstReport returns the oldest recorded day, or "" when none was made.
func (db *DB) FirstReport(ctx context.Context) (string, error) {
	var day sql.NullString
	if err := db.r.QueryRowContext(ctx, `SELECT min(day) FROM reports`).Scan(&day); err != nil {
		return "", fmt.Errorf("first report: %w", err)
	}
	return day.String, nil
}

// Reports returns the reports recorded for days >= since, oldest first.
func (db *DB) Reports(ctx context.Context, since string) ([]syncd.ReportRecord, error) {
	rows, err := db.r.QueryContext(ctx, `
SELECT r.day, r.path, r.created_at, r.leads, r.mail_state, r.mail_attempts, r.mail_error, r.mailed_at, r.partial,
  COALESCE(s.value, ''), COALESCE(m.value, ''), COALESCE(a.value, ''), r.mail_waiting,
  r.mail_refused, r.mail_refused_who, r.mail_held, r.mail_unattached
FROM reports r LEFT JOIN state s ON s.name = 'report.summary.' || r.day
  LEFT JOIN state m ON m.name = ?2 || r.day
  LEFT JOIN state a ON a.name = ?3 || r.day
WHERE r.day >= ?1 ORDER BY r.day`, since, staterow.ReportMailPrefix, staterow.ReportAlarmsPrefix)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	defer rows.Close()
	var out []syncd.ReportRecord
	for rows.Next() {
		var (
			rec                     syncd.ReportRecord
			created, mail, mailJSON string
			alarmsJSON              string
			mailed                  sql.NullString
		)
		if err := rows.Scan(&rec.Day, &rec.Path, &created, &rec.Leads, &mail, &rec.Attempts, &rec.MailError,
			&mailed, &rec.Partial, &rec.Summary, &mailJSON, &alarmsJSON, &rec.MailWaiting,
			&rec.MailNote.Refused, &rec.MailNote.RefusedWho, &rec.MailNote.Held, &rec.MailNote.Unattached); err != nil {
			return nil, fmt.Errorf("list reports: %w", err)
		}
		if err := staterow.ParseReportRows(&rec, mailJSON, alarmsJSON); err != nil {
			return nil, fmt.Errorf("list reports: %w", err)
		}
		rec.CreatedAt = parseTime(sql.NullString{String: created, Valid: true})
		rec.Mail = syncd.MailState(mail)
		rec.MailedAt = parseTime(mailed)
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return out, nil
}

// LastReport returns the report status and the metrics speak of: of the
// reports made once their day was over (one made by hand of today is a
// look at part of it, and held off the alert on no report for 26 hours),
// the latest day's; when mailed (report.mail.to is set), the latest day's
// whose mail was asked for, or the latest day's when none was (a report
// of a day over looked at by hand without -mail, before the daemon's,
// must not hide the failed mail of the one before). An older day's made
// by hand since, mailed or not, is not the last report: it reset the
// report's age as if today's had been made. It is read without its
// summary and mail (see storeapi.Store), with the recipients waiting to be
// mailed again (MailWaiting); a zero record when none was made.
func (db *DB) LastReport(ctx context.Context, mailed bool) (syncd.ReportRecord, error) {
	var (
		rec           syncd.ReportRecord
		created, mail string
		mailedAt      sql.NullString
	)
	err := db.r.QueryRowContext(ctx, `SELECT day, path, created_at, leads, mail_state, mail_attempts, mail_error, mailed_at,
  mail_refused, mail_refused_who, mail_held, mail_unattached, mail_waiting
FROM reports WHERE partial = 0 ORDER BY `+lastReportOrder(mailed)+` LIMIT 1`).
		Scan(&rec.Day, &rec.Path, &created, &rec.Leads, &mail, &rec.Attempts, &rec.MailError, &mailedAt,
			&rec.MailNote.Refused, &rec.MailNote.RefusedWho, &rec.MailNote.Held, &rec.MailNote.Unattached, &rec.MailWaiting)
	if errors.Is(err, sql.ErrNoRows) {
		return syncd.ReportRecord{}, nil
	}
	if err != nil {
		return syncd.ReportRecord{}, fmt.Errorf("last report: %w", err)
	}
	rec.CreatedAt = parseTime(sql.NullString{String: created, Valid: true})
	rec.Mail, rec.MailedAt = syncd.MailState(mail), parseTime(mailedAt)
	return rec, nil
}

// lastReportOrder is LastReport's ORDER BY: the latest day's first, those
// whose mail was asked for before when mailed.
func lastReportOrder(mailed bool) string {
	if mailed {
		return "mail_state NOT IN ('none', '') DESC, day DESC"
	}
	return "day DESC"
}

// SetMailState records the outcome of mailing day's report: its state, the
// attempts made so far, the last error ("" on success, for display) and
// note (how it stood, in fields). A sent report gets mailed_at set to now.
// No recipient waits any more (mail_waiting).
func (db *DB) SetMailState(ctx context.Context, day string, st syncd.MailState, attempts int, errText string,
	note syncd.MailNote) error {
	var mailed any
	if st == syncd.MailSent {
		mailed = db.now()
	}
	res, err := db.w.ExecContext(ctx, `
UPDATE reports SET mail_state = ?, mail_attempts = ?, mail_error = ?, mailed_at = COALESCE(?, mailed_at),
  mail_waiting = '', mail_refused = ?, mail_refused_who = ?, mail_held = ?, mail_unattached = ?
WHERE day = ?`, string(st), attempts, errText, mailed, note.Refused, note.RefusedWho, note.Held, note.Unattached, day)
	if err != nil {
		return fmt.Errorf("set mail state: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set mail state: no report for %s", day)
	}
	return nil
}

// SetMailWaiting records day's report as mailed, after attempts, with
// errText and note (as SetMailState), and the recipients still waiting to
// be mailed again (see syncd.ReportRecord.MailWaiting).
func (db *DB) SetMailWaiting(ctx context.Context, day string, attempts int, errText string, note syncd.MailNote,
	waiting string) error {
	res, err := db.w.ExecContext(ctx, `
UPDATE reports SET mail_state = 'sent', mail_attempts = ?, mail_error = ?, mailed_at = ?,
  mail_waiting = ?, mail_refused = ?, mail_refused_who = ?, mail_held = 0, mail_unattached = ?
WHERE day = ?`, attempts, errText, db.now(), waiting, note.Refused, note.RefusedWho, note.Unattached, day)
	if err != nil {
		return fmt.Errorf("set mail waiting: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set mail waiting: no report for %s", day)
	}
	return nil
}
