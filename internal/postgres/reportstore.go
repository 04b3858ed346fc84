package postgres

// The daily report's view of the store: streaming queries over one
// [from, to) range of received time, and the reports table.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/storeapi/staterow"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// leadsSQL selects the leads of a range in received order, with the
// summary of each one's outbox operations from one lateral subquery: those
// for the configured CRM ($3) when the lead has any, else all it has. Its
// newest contact's properties are the values syncd sent to the CRM (a
// lead without a contact operation, a returning client's whose contact was
// as before, has those its deal's contact had when the deal was queued,
// while its body is kept: else the Leads sheet showed its phone as the
// sender wrote it); its contact's CRM id is the one linked now to its
// newest delivered contact's key (a contact deleted in the CRM and made
// again by a later lead has a new id: the one that operation got leads
// nowhere), else that operation's, else its deal's contact's; and
// the last error of its newest operation not done, a contact's first (a
// deal whose contact failed fails for it), is why it failed or still
// waits. $4 and $5 are the kinds and types of leads, pairwise, as the
// senders' specs say (internal/sender).
const leadsSQL = `
SELECT e.id, e.source, e.kind, e.type, e.received_at, COALESCE(e.payload, e.body), e.map_state, e.map_error,
  o.n, o.dead, o.given_up, o.pending, o.deal_gone, o.target,
  CASE WHEN o.contact <> '' THEN COALESCE((SELECT l.crm_id FROM crm_links l
    WHERE l.target = o.contact_target AND l.kind = 'contact' AND l.key = o.own_key), o.contact)
  ELSE COALESCE((SELECT l.crm_id FROM crm_links l
    WHERE l.target = o.deal_target AND l.kind = 'contact' AND l.key = o.contact_key), '') END,
  o.deal, o.op_error, COALESCE(o.props, (SELECT c.properties FROM outbox c
    WHERE e.purged_at IS NULL AND c.target = o.deal_target AND c.kind = 'contact' AND c.key = o.contact_key
      AND c.id < o.deal_id
    ORDER BY c.id DESC LIMIT 1))
FROM events e, LATERAL (
  SELECT count(*) AS n, count(*) FILTER (WHERE state = 'dead' AND dead_cause IS DISTINCT FROM 'given_up') AS dead,
    count(*) FILTER (WHERE state = 'dead' AND dead_cause = 'given_up') AS given_up,
    count(*) FILTER (WHERE state = 'pending') AS pending, COALESCE(min(target), '') AS target,
    COALESCE((array_agg(dead_cause = 'deleted_in_crm' ORDER BY id DESC) FILTER (WHERE kind = 'deal'))[1], false) AS deal_gone,
    COALESCE((array_agg(crm_id ORDER BY id DESC) FILTER (WHERE kind = 'contact' AND crm_id <> ''))[1], '') AS contact,
    (array_agg(target ORDER BY id DESC) FILTER (WHERE kind = 'contact' AND crm_id <> ''))[1] AS contact_target,
    (array_agg(key ORDER BY id DESC) FILTER (WHERE kind = 'contact' AND crm_id <> ''))[1] AS own_key,
    COALESCE((array_agg(crm_id ORDER BY id DESC) FILTER (WHERE kind = 'deal' AND crm_id <> ''))[1], '') AS deal,
    (array_agg(target ORDER BY id DESC) FILTER (WHERE kind = 'deal'))[1] AS deal_target,
    (array_agg(id ORDER BY id DESC) FILTER (WHERE kind = 'deal'))[1] AS deal_id,
    (array_agg(contact_key ORDER BY id DESC) FILTER (WHERE kind = 'deal'))[1] AS contact_key,
    COALESCE((array_agg(last_error ORDER BY kind = 'contact' DESC, id DESC)
      FILTER (WHERE state <> 'done' AND last_error <> ''))[1], '') AS op_error,
    (array_agg(properties ORDER BY id DESC) FILTER (WHERE kind = 'contact'))[1] AS props
  FROM outbox WHERE event_id = e.id
    AND (target = $3 OR NOT EXISTS (SELECT 1 FROM outbox m WHERE m.event_id = e.id AND m.target = $3))) o
WHERE e.received_at >= $1 AND e.received_at < $2 AND e.erased_at IS NULL
  AND (e.kind, e.type) IN (SELECT * FROM unnest($4::text[], $5::text[]))
ORDER BY e.received_at, e.id`

// EachLead streams the leads received in [from, to): the events their
// senders call leads (Lokalebasen enquiry_created, EAF email_lead), with their CRM status and ids,
// from their operations for crm (the configured CRM's target name) when
// they have any, else from all they have ("" reads all alike). Erased
// events are left out (a report made again no longer lists the person);
// purged ones stay, counted, without their fields. Received times are
// kept on the database server's clock: the range is taken there and the
// times given on this host's, as the report's times are.
func (db *DB) EachLead(ctx context.Context, from, to time.Time, crm string, fn func(*syncd.LeadRow) error) error {
	leadKinds, leadTypes := senderTypes(func(s sender.Spec) []string { return s.Leads })
	rows, err := db.pool.Query(ctx, leadsSQL, db.serverTime(from), db.serverTime(to), crm, leadKinds, leadTypes)
	if err != nil {
		return fmt.Errorf("query leads: %w", err)
	}
	var (
		r                         syncd.LeadRow
		mapS                      string
		n, dead, givenUp, pending int
		dealGone                  bool
	)
	_, err = pgx.ForEachRow(rows, []any{&r.EventID, &r.Source, &r.Kind, &r.Type, &r.ReceivedAt, &r.JSON, &mapS,
		&r.MapError, &n, &dead, &givenUp, &pending, &dealGone, &r.Target, &r.ContactID, &r.DealID, &r.OpError, &r.Contact}, func() error {
		r.ReceivedAt = db.hostTime(r.ReceivedAt)
		r.Status = leadStatus(syncd.MapState(mapS), n, dead, givenUp, pending, dealGone)
		return fn(&r)
	})
	if err != nil {
		return fmt.Errorf("query leads: %w", err)
	}
	return nil
}

// leadStatus derives a lead's CRM status from its mapping state and the
// number of its operations, dead ones (not given up), given up ones and
// pending ones, and whether its newest deal was found deleted in the CRM.
func leadStatus(mapState syncd.MapState, n, dead, givenUp, pending int, dealGone bool) syncd.CRMStatus {
	switch {
	case mapState == syncd.MapUnmappable:
		return syncd.CRMUnmappable
	case n == 0 && mapState == syncd.MapPending:
		return syncd.CRMNotMapped
	case n == 0:
		return syncd.CRMNone
	case dead > 0:
		return syncd.CRMDead
	case givenUp > 0:
		return syncd.CRMGivenUp
	case pending > 0:
		return syncd.CRMPending
	case dealGone:
		return syncd.CRMDeletedInCRM
	}
	return syncd.CRMSynced
}

// ErasedLeads counts the leads received in [from, to) that syncd erase
// erased since, on the database server's clock as EachLead.
func (db *DB) ErasedLeads(ctx context.Context, from, to time.Time) (int, error) {
	leadKinds, leadTypes := senderTypes(func(s sender.Spec) []string { return s.Leads })
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM events
		WHERE received_at >= $1 AND received_at < $2 AND erased_at IS NOT NULL
		  AND (kind, type) IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
		db.serverTime(from), db.serverTime(to), leadKinds, leadTypes).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count erased leads: %w", err)
	}
	return n, nil
}

// RemovedSince counts the events and quarantined bodies received in
// [from, to) that syncd erase erased, or the retention purge emptied,
// after since, and the quarter hours of [from, to) in which dead
// operations either deleted since had died (see deadremoved.go), each on
// this host's clock: a workbook of that day made at since still lists
// them. Erase and purge make again the workbooks on
// their own host only; another instance asks this of its own copies.
func (db *DB) RemovedSince(ctx context.Context, from, to, since time.Time) (int, error) {
	var n int
	lo, hi := deadRemovedRange(db.serverTime(from), db.serverTime(to))
	err := db.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM events WHERE received_at >= $1 AND received_at < $2 AND (erased_at > $3 OR purged_at > $3)) +
		(SELECT count(*) FROM quarantine WHERE received_at >= $1 AND received_at < $2 AND (erased_at > $3 OR purged_at > $3)) +
		(SELECT count(*) FROM state WHERE name >= $4 AND name < $5 AND updated_at > $3)`,
		db.serverTime(from), db.serverTime(to), db.serverTime(since), lo, hi).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count removed since: %w", err)
	}
	return n, nil
}

// EachEvent streams the events of one kind and type received in [from, to),
// erased ones left out, on this host's clock as EachLead.
func (db *DB) EachEvent(ctx context.Context, from, to time.Time, kind, typ string, fn func(*syncd.EventRow) error) error {
	rows, err := db.pool.Query(ctx, `SELECT id, source, received_at, COALESCE(payload, body) FROM events
		WHERE received_at >= $1 AND received_at < $2 AND kind = $3 AND type = $4 AND erased_at IS NULL
		ORDER BY received_at, id`, db.serverTime(from), db.serverTime(to), kind, typ)
	if err != nil {
		return fmt.Errorf("query %s events: %w", typ, err)
	}
	var r syncd.EventRow
	_, err = pgx.ForEachRow(rows, []any{&r.EventID, &r.Source, &r.ReceivedAt, &r.JSON}, func() error {
		r.ReceivedAt = db.hostTime(r.ReceivedAt)
		return fn(&r)
	})
	if err != nil {
		return fmt.Errorf("query %s events: %w", typ, err)
	}
	return nil
}

// attentionSQL unions what needs a person: quarantined bodies neither
// repaired nor dismissed (resolved_at alone: syncd events dismiss),
// unmappable and unrecognised events, events mapped with a note of what
// was left out of their records (left_out), and events of a type their sender
// does not document ($4, $5: the documented kinds and types, pairwise)
// that no rule mapped (new_type; syncd's own rows, of kinds not in $3, are
// none), received in the range, those syncd erase erased left out (as
// EachLead leaves out erased leads: nothing is left to inspect); and
// operations that were dead-lettered in the range (by their last update;
// erase deletes a person's, and those erasing them in the CRM stay). The
// range, as every time here, is on the server's clock. The
// last columns are the lead a row concerns ($6, $7: the kinds and types of
// leads) and when it was received: 0 and NULL for a quarantined body and
// for an event that is not a lead (an unrecognised body, a new type, an
// erasure's own row), which the Leads sheet does not list either.
const attentionSQL = `
SELECT 'quarantined' AS k, id, received_at AS at, source, kind, reason, 0::bigint, NULL::timestamptz FROM quarantine
  WHERE received_at >= $1 AND received_at < $2 AND resolved_event_id IS NULL AND resolved_at IS NULL AND erased_at IS NULL
UNION ALL
SELECT CASE WHEN e.map_state IN ('unmappable', 'unrecognised') THEN e.map_state WHEN e.map_state = 'mapped' THEN 'left_out'
    ELSE 'new_type' END, e.id, e.received_at, e.source, e.type,
  CASE WHEN e.map_state IN ('unmappable', 'unrecognised', 'mapped') THEN e.map_error ELSE 'new event type: no rule maps it' END,
  CASE WHEN (e.kind, e.type) IN (SELECT * FROM unnest($6::text[], $7::text[])) THEN e.id ELSE 0 END,
  CASE WHEN (e.kind, e.type) IN (SELECT * FROM unnest($6::text[], $7::text[])) THEN e.received_at END
  FROM events e WHERE e.received_at >= $1 AND e.received_at < $2 AND e.erased_at IS NULL
  AND (e.map_state IN ('unmappable', 'unrecognised') OR e.map_state = 'mapped' AND e.map_error <> ''
    OR e.map_state NOT IN ('mapped', 'unmappable', 'unrecognised') AND e.kind = ANY($3)
      AND NOT EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[]) AS d(kind, type)
        WHERE d.kind = e.kind AND d.type = e.type))
UNION ALL
SELECT CASE WHEN o.dead_cause IN ('given_up', 'other_account_given_up') THEN 'given_up' ELSE 'dead' END, o.id, o.updated_at, e.source,
  o.target || ' ' || o.kind, o.last_error,
  CASE WHEN (e.kind, e.type) IN (SELECT * FROM unnest($6::text[], $7::text[])) THEN o.event_id ELSE 0 END,
  CASE WHEN (e.kind, e.type) IN (SELECT * FROM unnest($6::text[], $7::text[])) THEN e.received_at END
  FROM outbox o JOIN events e ON e.id = o.event_id
  WHERE o.state = 'dead' AND o.updated_at >= $1 AND o.updated_at < $2
ORDER BY 3, 1, 2`

// EachAttention streams the rows that need attention for [from, to). The
// times (received, dead-lettered) are kept on the database server's clock:
// the range is taken there and the times given on this host's.
func (db *DB) EachAttention(ctx context.Context, from, to time.Time, fn func(*syncd.AttentionRow) error) error {
	kinds, types := senderTypes(func(s sender.Spec) []string { return s.Types })
	leadKinds, leadTypes := senderTypes(func(s sender.Spec) []string { return s.Leads })
	rows, err := db.pool.Query(ctx, attentionSQL, db.serverTime(from), db.serverTime(to), senderKinds(), kinds, types,
		leadKinds, leadTypes)
	if err != nil {
		return fmt.Errorf("query attention: %w", err)
	}
	var r syncd.AttentionRow
	var kind string
	var leadAt *time.Time
	_, err = pgx.ForEachRow(rows, []any{&kind, &r.ID, &r.At, &r.Source, &r.Detail, &r.Reason, &r.EventID, &leadAt}, func() error {
		r.Kind, r.At, r.LeadAt = syncd.AttentionKind(kind), db.hostTime(r.At), db.hostTime(utc(leadAt))
		return fn(&r)
	})
	if err != nil {
		return fmt.Errorf("query attention: %w", err)
	}
	return nil
}

// RecordReport records (or replaces) the report made for rec.Day, with its
// plain-text summary and, in state rows, its mail's subject and HTML part
// and the alarms it was made with. A day made again without mail (rec.Mail
// none) keeps the mail state it had; one made again (rec.Again) keeps when
// it was first made, and whether that was before the day was over. Its
// times are on this host's clock (kept on the server's: see LastReport).
func (db *DB) RecordReport(ctx context.Context, rec syncd.ReportRecord) error {
	if rec.Mail == "" {
		rec.Mail = syncd.MailNone
	}
	created := db.serverTime(rec.CreatedAt) // on the server's clock, as LastReport says
	if created.IsZero() {
		created = db.serverNow()
	}
	mail, alarms, err := staterow.ReportRows(rec)
	if err != nil {
		return fmt.Errorf("record report: %w", err)
	}
	return db.tx(ctx, "record report", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
INSERT INTO reports (day, path, created_at, leads, summary, mail_state, mail_attempts, mail_error, mailed_at, partial,
  mail_refused, mail_refused_who, mail_held, mail_unattached)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12, $13, $14, $15)
ON CONFLICT (day) DO UPDATE SET path = excluded.path,
  created_at = CASE WHEN $10 THEN reports.created_at ELSE excluded.created_at END,
  partial = CASE WHEN $10 THEN reports.partial ELSE excluded.partial END, leads = excluded.leads,
  summary = excluded.summary,
  mail_state = CASE WHEN excluded.mail_state = 'none' THEN reports.mail_state ELSE excluded.mail_state END,
  mail_attempts = CASE WHEN excluded.mail_state = 'none' THEN reports.mail_attempts ELSE excluded.mail_attempts END,
  mail_error = CASE WHEN excluded.mail_state = 'none' THEN reports.mail_error ELSE excluded.mail_error END,
  mail_refused = CASE WHEN excluded.mail_state = 'none' THEN reports.mail_refused ELSE excluded.mail_refused END,
  mail_refused_who = CASE WHEN excluded.mail_state = 'none' THEN reports.mail_refused_who
    ELSE excluded.mail_refused_who END,
  mail_held = CASE WHEN excluded.mail_state = 'none' THEN reports.mail_held ELSE excluded.mail_held END,
  mail_unattached = CASE WHEN excluded.mail_state = 'none' THEN reports.mail_unattached
    ELSE excluded.mail_unattached END,
  mailed_at = CASE WHEN excluded.mail_state = 'none' THEN reports.mailed_at ELSE excluded.mailed_at END,
  mail_waiting = CASE WHEN excluded.mail_state = 'none' THEN reports.mail_waiting ELSE '' END`,
			rec.Day, rec.Path, created.UTC(), rec.Leads, rec.Summary, string(rec.Mail), rec.Attempts, rec.MailError,
			nullTime(db.serverTime(rec.MailedAt)), rec.Again, rec.Partial, rec.MailNote.Refused,
			rec.MailNote.RefusedWho, rec.MailNote.Held, rec.MailNote.Unattached); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO state (name, value, updated_at) VALUES ($1, $2, $3), ($4, $5, $3)
ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			staterow.ReportAlarmsPrefix+rec.Day, alarms, db.now(), staterow.ReportMailPrefix+rec.Day, mail)
		return err
	})
}

// ReportMade reports whether a report for day (YYYY-MM-DD) was recorded.
func (db *DB) ReportMade(ctx context.Context, day string) (bool, error) {
	var made bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM reports WHERE day = $1)`, day).Scan(&made); err != nil {
		return false, fmt.Errorf("report made: %w", err)
	}
	return made, nil
}

// FirstReport returns the oldest recorded day, or "" when none was made.
func (db *DB) FirstReport(ctx context.Context) (string, error) {
	var day string
	if err := db.pool.QueryRow(ctx, `SELECT COALESCE(min(day), '') FROM reports`).Scan(&day); err != nil {
		return "", fmt.Errorf("first report: %w", err)
	}
	return day, nil
}

// Reports returns the reports recorded for days >= since, oldest first.
func (db *DB) Reports(ctx context.Context, since string) ([]syncd.ReportRecord, error) {
	rows, err := db.pool.Query(ctx, `SELECT r.day, r.path, r.created_at, r.leads, r.mail_state, r.mail_attempts,
		r.mail_error, r.mailed_at, r.partial, r.summary, COALESCE(a.value, ''), COALESCE(m.value, ''), r.mail_waiting,
		r.mail_refused, r.mail_refused_who, r.mail_held, r.mail_unattached
		FROM reports r LEFT JOIN state a ON a.name = $2 || r.day LEFT JOIN state m ON m.name = $3 || r.day
		WHERE r.day >= $1 ORDER BY r.day`, since, staterow.ReportAlarmsPrefix, staterow.ReportMailPrefix)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.ReportRecord, error) {
		var rec syncd.ReportRecord
		var mail string
		var mailed *time.Time
		var alarms, parts string
		err := r.Scan(&rec.Day, &rec.Path, &rec.CreatedAt, &rec.Leads, &mail, &rec.Attempts, &rec.MailError,
			&mailed, &rec.Partial, &rec.Summary, &alarms, &parts, &rec.MailWaiting,
			&rec.MailNote.Refused, &rec.MailNote.RefusedWho, &rec.MailNote.Held, &rec.MailNote.Unattached)
		rec.CreatedAt, rec.Mail, rec.MailedAt = db.hostTime(rec.CreatedAt), syncd.MailState(mail), db.hostTime(utc(mailed))
		if err == nil {
			err = staterow.ParseReportRows(&rec, parts, alarms)
		}
		return rec, err
	})
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return out, nil
}

// LastReport returns the report status and the metrics speak of, as the
// SQLite store does: of the reports made once their day was over, the
// latest day's; when mailed (report.mail.to is set), the latest day's
// whose mail was asked for, or the latest day's when none was. It is read
// without its summary (see storeapi.Store), with the recipients waiting to
// be mailed again (MailWaiting); a zero record when none was made. Its times, when it was made and mailed, are kept on the database
// server's clock and given on this host's (hostTime), as Reports gives
// them: before, each report leader wrote its own, so a report made by one
// ten minutes ahead was made in the future for status elsewhere, and the
// alarm of no report for 26 hours came ten minutes late there.
func (db *DB) LastReport(ctx context.Context, mailed bool) (syncd.ReportRecord, error) {
	var rec syncd.ReportRecord
	var mail string
	var mailedAt *time.Time
	order := "day DESC"
	if mailed {
		order = "mail_state NOT IN ('none', '') DESC, day DESC"
	}
	err := db.pool.QueryRow(ctx, `SELECT day, path, created_at, leads, mail_state, mail_attempts, mail_error, mailed_at,
		mail_refused, mail_refused_who, mail_held, mail_unattached, mail_waiting FROM reports WHERE NOT partial ORDER BY `+order+` LIMIT 1`).
		Scan(&rec.Day, &rec.Path, &rec.CreatedAt, &rec.Leads, &mail, &rec.Attempts, &rec.MailError, &mailedAt,
			&rec.MailNote.Refused, &rec.MailNote.RefusedWho, &rec.MailNote.Held, &rec.MailNote.Unattached, &rec.MailWaiting)
	if errors.Is(err, pgx.ErrNoRows) {
		return syncd.ReportRecord{}, nil
	}
	if err != nil {
		return syncd.ReportRecord{}, fmt.Errorf("last report: %w", err)
	}
	rec.CreatedAt, rec.Mail, rec.MailedAt = db.hostTime(rec.CreatedAt), syncd.MailState(mail), db.hostTime(utc(mailedAt))
	return rec, nil
}

// SetMailState records the outcome of mailing day's report: its state, the
// attempts made so far, the last error ("" on success, for display) and
// note (how it stood, in fields). A sent report gets mailed_at set to now.
// No recipient waits any more (mail_waiting).
func (db *DB) SetMailState(ctx context.Context, day string, st syncd.MailState, attempts int, errText string,
	note syncd.MailNote) error {
	var mailed any
	if st == syncd.MailSent {
		mailed = db.serverNow()
	}
	tag, err := db.pool.Exec(ctx, `UPDATE reports SET mail_state = $1, mail_attempts = $2, mail_error = $3,
		mailed_at = COALESCE($4, mailed_at), mail_waiting = '', mail_refused = $6, mail_refused_who = $7,
		mail_held = $8, mail_unattached = $9 WHERE day = $5`, string(st), attempts, errText, mailed, day,
		note.Refused, note.RefusedWho, note.Held, note.Unattached)
	if err != nil {
		return fmt.Errorf("set mail state: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set mail state: no report for %s", day)
	}
	return nil
}

// SetMailWaiting records day's report as mailed, after attempts, with
// errText and note (as SetMailState), and the recipients still waiting to
// be mailed again (see syncd.ReportRecord.MailWaiting).
func (db *DB) SetMailWaiting(ctx context.Context, day string, attempts int, errText string, note syncd.MailNote,
	waiting string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE reports SET mail_state = 'sent', mail_attempts = $1, mail_error = $2,
		mailed_at = $3, mail_waiting = $4, mail_refused = $6, mail_refused_who = $7, mail_held = false,
		mail_unattached = $8 WHERE day = $5`, attempts, errText, db.serverNow(), waiting, day,
		note.Refused, note.RefusedWho, note.Unattached)
	if err != nil {
		return fmt.Errorf("set mail waiting: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set mail waiting: no report for %s", day)
	}
	return nil
}
