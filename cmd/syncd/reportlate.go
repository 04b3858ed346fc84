package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// reportLateEnv, for the tests alone, sets how long the daemon's runs
// fail to make a due report before its recipients are told (a Go
// duration; an hour without it).
const reportLateEnv = "SYNCD_TEST_REPORT_LATE"

// reportLateAfter is how long the runs fail to make a due report before
// its recipients are told that it is late: long enough for a moment's
// failure to pass unseen, soon enough for a morning's reader.
const reportLateAfter = time.Hour

// reportLate tells the recipients of the daily report (report.mail.to),
// once a day, that the day's report could not be made yet: the managers
// who read it every morning got nothing and no word, while only the
// operator was told (status NOT MADE, the log, /metrics). The notice holds
// no lead; the report itself is mailed as ever once it is made. Once per
// day across restarts and instances: the database records it.
type reportLate struct {
	cfg   *config.Config
	db    store
	log   zerolog.Logger
	after time.Duration
}

// newReportLate returns the notice of cfg's report, nil when the report
// is not mailed.
func newReportLate(cfg *config.Config, db store, log zerolog.Logger) *reportLate {
	if len(cfg.Report.Mail.To) == 0 {
		return nil
	}
	after, err := time.ParseDuration(os.Getenv(reportLateEnv))
	if err != nil || after <= 0 {
		after = reportLateAfter
	}
	return &reportLate{cfg: cfg, db: db, log: log, after: after}
}

// notMade is told after each of the scheduler's runs the oldest due day
// not made and since when ("" while every due report is made); it mails
// the notice when that has lasted n.after, once for the day.
func (n *reportLate) notMade(day string, since time.Time) {
	if n == nil || day == "" || since.IsZero() || time.Since(since) < n.after {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	key := "report_late_told:" + day
	if told, err := n.db.SwapStateValue(ctx, key, "", syncd.FormatTime(time.Now())); err != nil || !told {
		if err != nil {
			n.log.Warn().Err(err).Str("day", day).Msg("report late: whether its recipients were told is not known: not told")
		}
		return
	}
	sender, err := reportMailer(n.cfg)
	if err == nil {
		err = sender.Send(ctx, fmt.Sprintf("syncd: the leads report of %s is late", day), lateBody(day, since, n.cfg))
	}
	if err != nil {
		n.lateNotTold(day, err)
		return
	}
	n.log.Info().Str("day", day).Int("recipients", len(n.cfg.Report.Mail.To)).Msg("report late: its recipients told")
}

// lateBody is the notice's text, for people who may not know syncd.
func lateBody(day string, since time.Time, cfg *config.Config) string {
	when := since.Format("15:04 MST")
	if loc, err := time.LoadLocation(cfg.Report.TimeZone); err == nil {
		when = since.In(loc).Format("15:04 MST")
	}
	return fmt.Sprintf("The daily leads report of %s could not be made yet (syncd has tried since %s). "+
		"The people who run syncd can see why (syncd status says so). The report is mailed to you as usual "+
		"as soon as it is made; no lead is lost meanwhile, and there is nothing for you to do.\n", day, when)
}
