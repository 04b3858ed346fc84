package main

import (
	"cmp"
	"context"
	"net/http"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// expectMetrics creates at 0 the counters alerts watch for cfg's sources
// (see metrics.Expect and metrics.ExpectRejected).
func expectMetrics(m *metrics.Metrics, cfg *config.Config) {
	m.Expect(cfg.SourceNames(),
		[]string{sender.QuarantineInvalidJSON, sender.QuarantineNotUTF8, sender.QuarantineTooDeep, sender.QuarantineNotObject,
			sender.QuarantineCompressed},
		[]string{string(syncd.MapMapped), string(syncd.MapIgnored), string(syncd.MapUnmappable)})
	m.ExpectRejected(webhook.RejectedSeries(cfg.SourceNames()))
}

// observedMappings is the store as the mapping worker sees it: the
// mappings it records are counted by state in the metrics.
type observedMappings struct {
	mapping.Store
	m *metrics.Metrics
	// unmappable is called when a lead recorded is unmappable: the
	// daemon counts the leads waiting for a person again.
	unmappable func()
}

// RecordMappings records ms and counts them once recorded.
func (o observedMappings) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	n, err := o.Store.RecordMappings(ctx, ms)
	for i := 0; err == nil && i < len(ms); { // by runs of one state: a batch is mostly one
		j := i + 1
		for j < len(ms) && ms[j].State == ms[i].State {
			j++
		}
		o.m.Mapped(string(ms[i].State), j-i)
		if ms[i].State == syncd.MapUnmappable && o.unmappable != nil {
			o.unmappable()
		}
		i = j
	}
	return n, err
}

// reportsMailed says whether cfg mails the daily report: the last report
// is then the last one whose mail was asked for (see store.LastReport).
func reportsMailed(cfg *config.Config) bool { return len(cfg.Report.Mail.To) > 0 }

// notMailed says whether nobody got a report whose mail is as rec
// records it: it failed for good, or the mail server did not take it for
// a round of attempts and the daemon waits to try it again.
func notMailed(rec report.Record) bool {
	return rec.Mail == report.MailFailed || report.WaitsForServer(rec) != ""
}

// reportMetrics shows the last report recorded in the store in the
// metrics (when it was made, of which day, its mail's state) and a failed
// mail on the status line: at start (without it a restarted daemon's
// status said "last report never" until its next one) and before each
// scrape (metricsHandler).
func reportMetrics(ctx context.Context, cfg *config.Config, db store, m *metrics.Metrics, line *statusLine) error {
	last, err := db.LastReport(ctx, reportsMailed(cfg))
	if err != nil || last.Day == "" {
		return err
	}
	m.ReportWritten(last.CreatedAt)
	m.ReportMailed(notMailed(last))
	m.ReportState(last.Day, string(last.Mail))
	m.ReportRefused(refusedCount(last))
	m.ReportUnattached(report.Unattached(last) != "")
	line.mailed(last)
	return nil
}

// metricsHandler serves /metrics with the last report read again from the
// store first: a report made or mailed by hand (`syncd report -mail`, the
// way out status names for a failed mail) is recorded by another process,
// and the daemon's gauges said what it last did itself until its next
// report, a day later: status kept saying FAILED, and the alert firing,
// after the mail went. One row read a scrape.
func (d *daemon) metricsHandler() http.Handler {
	h := d.metrics.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := reportMetrics(r.Context(), d.cfg, d.db.store, d.metrics, d.line); err != nil {
			d.log.Debug().Err(err).Msg("last report not read again: its gauges stay as they were")
		}
		if err := restoreMetrics(r.Context(), d.cfg, d.db, d.metrics); err != nil {
			d.log.Debug().Err(err).Msg("restored backup not read again: its gauge stays as it was")
		}
		d.checkLoaded() // the files compared at once: status, right after an edit, says it
		h.ServeHTTP(w, r)
	})
}

// restoreMetrics shows the erasures a restored backup undid that syncd
// could not make again, as `syncd status` finds them (ERASURE UNDONE, exit
// 5): read at each scrape, since the operator clears them with `syncd
// erase`, another process. Before, /metrics had no such series, and an
// operator who watches syncd with Prometheus alone was never told the
// restore held a person erased again. Nothing is read on a database that
// is no restore but one state row.
func restoreMetrics(ctx context.Context, cfg *config.Config, db store, m *metrics.Metrics) error {
	r, err := restoreFindings(ctx, cfg, db)
	if err != nil {
		return err
	}
	n := 0
	if r != nil {
		n = len(r.Undone)
	}
	m.ErasuresUndone(n)
	return nil
}

// syncMetrics shows the last good sync run recorded before this start in
// the metrics. Without it the gauge was absent until the next good run: a
// daemon restarted while paused said "last sync never", and an alert on the
// sync's age had no series to fire on.
func syncMetrics(ctx context.Context, db store, m *metrics.Metrics, target string) error {
	last, err := db.LastSync(ctx, target)
	if err != nil || last.IsZero() {
		return err
	}
	m.SyncSucceeded(target, last)
	return nil
}

// observedStore is the store as the syncer and the reporter see it: the
// moments they record also move the metrics.
type observedStore struct {
	store
	durable     func() error // waits for the disk (SQLite with deferred sync); nil: nothing to wait for
	m           *metrics.Metrics
	line        *statusLine           // the systemd status line; nil: none
	afterReport func(context.Context) // the daily retention purge
}

// SetLastSyncDrained records a drained run and, when the store did (no
// lease held what was due), its time in the metrics.
func (s observedStore) SetLastSyncDrained(ctx context.Context, target string, t time.Time) (bool, error) {
	ok, err := s.store.SetLastSyncDrained(ctx, target, t)
	if ok && err == nil {
		s.m.SyncSucceeded(target, t)
	}
	return ok, err
}

// SetAdapterPause records a pause (or its end) and shows it in the metrics.
func (s observedStore) SetAdapterPause(ctx context.Context, target string, p syncd.Pause) error {
	err := s.store.SetAdapterPause(ctx, target, p)
	if err == nil {
		s.m.SetPaused(target, !p.Until.IsZero())
		s.line.paused(target, p, s.m.Now())
	}
	return err
}

// AdapterPause reads the pause and shows it in the metrics: another
// process (`syncd sync -resume`, or `syncd sync` meeting a rejected token)
// may have lifted or set it since the daemon last did.
func (s observedStore) AdapterPause(ctx context.Context, target string) (syncd.Pause, error) {
	p, err := s.store.AdapterPause(ctx, target)
	if err == nil {
		s.m.SetPaused(target, p.Until.After(s.m.Now()))
		s.line.paused(target, p, s.m.Now())
	}
	return p, err
}

// SetMailState records a report's mail state and shows in the metrics
// whether it failed, and for how many recipients it was refused.
func (s observedStore) SetMailState(ctx context.Context, day string, st report.MailState, attempts int, errText string,
	note report.MailNote) error {
	err := s.store.SetMailState(ctx, day, st, attempts, errText, note)
	if err == nil {
		rec := report.Record{Day: day, Mail: st, Attempts: attempts, MailError: errText, MailNote: note}
		s.m.ReportMailed(notMailed(rec))
		s.m.ReportState(day, string(st))
		s.m.ReportRefused(refusedCount(rec))
		s.m.ReportUnattached(report.Unattached(rec) != "")
		s.line.mailed(rec)
	}
	return err
}

// SetMailWaiting records a report's mail as sent with recipients refused
// for now still waiting, and shows it in the metrics as SetMailState does.
func (s observedStore) SetMailWaiting(ctx context.Context, day string, attempts int, errText string, note report.MailNote,
	waiting string) error {
	err := s.store.SetMailWaiting(ctx, day, attempts, errText, note, waiting)
	if err == nil {
		rec := report.Record{Day: day, Mail: report.MailSent, Attempts: attempts, MailError: errText, MailNote: note}
		s.m.ReportMailed(false)
		s.m.ReportState(day, string(report.MailSent))
		s.m.ReportRefused(refusedCount(rec))
		s.m.ReportUnattached(report.Unattached(rec) != "")
		s.line.mailed(rec)
	}
	return err
}

// RecordReport records a report made and its time in the metrics. The
// record is made durable before the reporter goes on: losing it would make
// and mail the day's report again.
func (s observedStore) RecordReport(ctx context.Context, rec report.Record) error {
	err := s.store.RecordReport(ctx, rec)
	if err == nil && s.durable != nil {
		err = s.durable()
	}
	if err == nil {
		s.m.ReportWritten(cmp.Or(rec.CreatedAt, s.m.Now())) // a workbook kept from before a restore: its own time
		s.m.ReportState(rec.Day, string(rec.Mail))
		s.m.ReportRefused(refusedCount(rec))
		s.m.ReportUnattached(report.Unattached(rec) != "")
		if s.afterReport != nil {
			s.afterReport(ctx)
		}
	}
	return err
}

// refusedCount is for how many recipients a report's mail, as rec
// records it, was refused while the others got it.
func refusedCount(rec report.Record) int {
	n, _ := report.Refused(rec)
	return n
}
