package main

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
	"github.com/syncd-dev/syncd/internal/writable"
)

// dryRunKeep is how many dry-run records the dry-run adapter keeps in memory.
const dryRunKeep = 1000

// pinFix is the way out of a token of another account than the pinned
// one, naming the key the configuration gives the token by (token_file,
// or token: it named token_file to a configuration that has none).
func pinFix(kind, tokenFile string) string {
	key := "crm." + kind + ".token"
	if tokenFile != "" {
		key += "_file"
	}
	if kind == pipedrive.Name {
		return "put the API token of the company the leads belong in into " + key + " (then reload or restart syncd), " +
			"or, if this is that company, correct crm.pipedrive.company_id (then reload or restart syncd)"
	}
	return "put the private app token of the account the leads belong in into " + key + " (then reload or restart syncd), " +
		"or, if this is that account, correct crm.hubspot.hub_id (then reload or restart syncd)"
}

// newCRM builds the configured CRM adapter. db and m may be nil.
func newCRM(cfg *config.Config, db store, log zerolog.Logger, obs crm.Observer) syncd.CRM {
	httpOpts := func(requests int, window time.Duration) crm.Options {
		return crm.Options{
			Timeout: cfg.CRM.Timeout, RetryAfterCap: cfg.Sync.RetryAfterCap,
			RateLimit: requests, RateInterval: window, Observer: obs,
		}
	}
	var links syncd.Links // nil: the adapter keeps links in memory
	var keys pipedrive.FieldKeys
	if db != nil {
		links, keys = linksOf(cfg, db), db
	}
	modes, fields := adapterMappings(cfg, log)
	switch cfg.CRM.Kind {
	case hubspot.Name:
		h := cfg.CRM.HubSpot
		return hubspot.New(hubspot.Options{
			BaseURL: h.BaseURL, Token: h.Token, DealKeyProperty: h.LeadIDProperty,
			ContactKeyProperty: h.ContactKeyProperty, Links: links, Modes: modes, Fields: fields,
			HTTP: httpOpts(h.Requests, h.Window), Logger: log, Pin: &crm.Pin{Want: h.HubID, Fix: pinFix(hubspot.Name, h.TokenFile), Address: "crm.hubspot.base_url"},
		})
	case pipedrive.Name:
		p := cfg.CRM.Pipedrive
		return pipedrive.New(pipedrive.Options{
			BaseURL: p.BaseURL, Token: p.Token, LeadIDField: p.LeadIDField, LeadIDFieldWhere: leadIDFieldWhere(cfg), Links: links, Keys: keys,
			Settle: p.SettleTime, Modes: modes, Fields: fields, HTTP: httpOpts(p.Requests, p.Window), Logger: log,
			Pin: &crm.Pin{Want: p.CompanyID, Fix: pinFix(pipedrive.Name, p.TokenFile), Address: "crm.pipedrive.base_url"}, TimeZone: cfg.Report.TimeZone,
		})
	default:
		return dryrun.New(log, dryRunKeep)
	}
}

// leadIDFieldWhere says where the configuration sets Pipedrive's lead-id
// field, or where to set it when a default applies.
func leadIDFieldWhere(cfg *config.Config) string {
	const key = "crm.pipedrive.lead_id_field"
	if cfg.File == "" {
		return key
	}
	if line := cfg.KeyLine("crm", "pipedrive", "lead_id_field"); line > 0 {
		return fmt.Sprintf("%s in %s:%d", key, cfg.File, line)
	}
	return fmt.Sprintf("%s (not set: add it under crm.pipedrive in %s)", key, cfg.File)
}

// adapterMappings are the mapping files' write modes for the configured
// CRM and the properties they write, with their constant values, as the
// adapter starts with them (a reload sets those of the reloaded mappings),
// from one load. Mappings that do not load give none; the commands that
// map say why.
func adapterMappings(cfg *config.Config, log zerolog.Logger) (syncd.WriteModes, []syncd.FieldSpec) {
	rules, err := loadRules(cfg, targetName(cfg))
	if err != nil {
		log.Debug().Err(err).Msg("write modes: mappings not loaded")
		return nil, nil
	}
	return rules.Modes(), rules.Fields()
}

// loadRules loads the mapping files for target (the CRM adapter's name:
// operations are addressed to it).
func loadRules(cfg *config.Config, target string) (*mapping.Rules, error) {
	var opts []mapping.Option
	for _, name := range cfg.SourceNames() {
		s := cfg.Sources[name]
		opts = append(opts, mapping.WithCountry(syncd.Kind(s.Kind), s.DefaultCountry), mapping.WithSourceKinds(syncd.Kind(s.Kind)))
	}
	rules, err := mapping.Load(cfg.Mapping.Dir, target, opts...)
	if err != nil {
		return nil, writable.ExplainRead(err) // mapping.Load's errors say "load mappings"
	}
	return rules, nil
}

// newSyncer builds the outbox syncer for adapter; check (may be nil) is the
// CRM account check a pause waits for, and fields what the mappings in use
// write (after a reload, the reloaded ones'): the probe checks them.
// progress (nil: none) is told of each batch handled; tell (nil: none)
// is told since when the CRM has failed every call, and each call that
// went through: the daemon's crmSeen, or a syncd sync run's handFailing.
// told (nil: none) takes a failed run's error that the database outage's
// log tells (syncer.Options.Told).
func newSyncer(cfg *config.Config, store syncer.Store, adapter syncd.CRM, log zerolog.Logger,
	check func(context.Context) error, fields func() []syncd.FieldSpec, progress func(int), tell crmTeller,
	told func(error, func(error)) bool) (*syncer.Syncer, error) {
	var outage func(since, until time.Time, why string)
	var answered func(context.Context)
	var stuck func([]int64, time.Time, string)
	var running func(time.Time)
	if tell != nil {
		outage, answered = tell.failing, tell.answered
	}
	seen, _ := tell.(*crmSeen) // nil: syncd sync
	if seen != nil {
		stuck, running = seen.stuck, seen.running
	}
	var probe func(context.Context) error
	if a, ok := adapter.(syncd.Checker); ok {
		// It passing while a batch's call fails as a whole tells one
		// batch the CRM never takes from the CRM, or its objects' API,
		// down.
		probe = crm.Probe(a, fields)
	}
	s := cfg.Sync
	nudge := s.PromptDelay
	if nudge == 0 {
		nudge = -1 // prompt runs off
	}
	return syncer.New(syncer.Options{
		Store: store, CRM: adapter, Log: log, Schedule: s.Schedule, Location: clockOf(cfg).loc, NudgeDelay: nudge,
		BatchSize: s.BatchSize, Lease: s.Lease, MaxAttempts: s.MaxAttempts,
		CallTimeout: s.Lease / 2, ProbeEvery: s.ProbeEvery, Check: check, Progress: progress, Outage: outage,
		Answered: answered, Probe: probe, Stuck: stuck, Running: running, Once: crm.SendOnce, Told: told,
		ByHand: seen == nil, // syncd sync: its next try is when the operator runs it again, no cool-down kept between
	})
}

// reportOptions are the report's options from the configuration; mail is
// set up when recipients are configured.
func reportOptions(ctx context.Context, cfg *config.Config, db store, log zerolog.Logger) (report.Options, error) {
	loc, err := time.LoadLocation(cfg.Report.TimeZone)
	if err != nil {
		return report.Options{}, fmt.Errorf("report.time_zone: %w", err)
	}
	installed, err := installedAt(ctx, db)
	if err != nil {
		return report.Options{}, err
	}
	taken, restoredAt, err := restoreState(ctx, db) // read only: a report by hand says no stop of the restore's gap
	if err != nil {
		return report.Options{}, err
	}
	opts := report.Options{
		Store: db, Dir: cfg.Report.Dir, Location: loc, Keep: cfg.Report.KeepDays, Log: log, Agency: cfg.Agency,
		CRM: targetName(cfg), Installed: installed, Ran: intakeRuns(db), BackupTaken: taken, RestoredAt: restoredAt,
		CRMWeb: map[string]report.CRMWeb{
			hubspot.Name:   {Contact: cfg.CRM.HubSpot.ContactURL, Deal: cfg.CRM.HubSpot.DealURL},
			pipedrive.Name: {Contact: cfg.CRM.Pipedrive.ContactURL, Deal: cfg.CRM.Pipedrive.DealURL},
		},
	}
	opts.Alarms = func(ctx context.Context) ([]report.Alarm, error) { return alarms(ctx, cfg, db) }
	opts.HTMLText = mapping.HTMLText   // the same text the mappings send to the CRM
	opts.SplitName = mapping.SplitName // the names as the mappings split them
	opts.Phone = readablePhone(cfg)
	if len(cfg.Report.Mail.To) > 0 {
		sender, err := reportMailer(cfg)
		if err != nil {
			return report.Options{}, err
		}
		opts.Mailer = sender
	}
	return opts, nil
}

// readablePhone shows a lead's phone in the international format, a
// number without a country code read in its source's default_country, as
// the mappings read it (the CRM keeps E.164).
func readablePhone(cfg *config.Config) func(kind, phone string) string {
	regions := map[string]string{}
	for _, name := range cfg.SourceNames() {
		s := cfg.Sources[name]
		regions[s.Kind] = s.DefaultCountry
	}
	return func(kind, phone string) string {
		region, ok := regions[kind]
		if s := sender.For(syncd.Kind(kind)); !ok && s != nil { // a source since removed from the configuration
			region = s.Country
		}
		return mapping.International(phone, region)
	}
}

// reportMailer is the sender of the report's mail, as report.mail
// configures it (report -mail, the daemon, validate -mail).
func reportMailer(cfg *config.Config) (*mail.Sender, error) {
	m := cfg.Report.Mail
	mo := mail.Options{
		Host: m.Host, Port: m.Port, TLS: m.TLS, Username: m.Username, Password: m.Password,
		From: m.From, To: m.To, Mailer: "syncd " + binaryVersion(),
	}
	if m.CAFile != "" {
		var err error
		if mo.TLSConfig, err = mail.TrustingCAFile(m.CAFile); err != nil {
			return nil, fmt.Errorf("report.mail.ca_file: %w", err)
		}
	}
	sender, err := mail.New(mo)
	if err != nil {
		return nil, fmt.Errorf("report.mail: %w", err)
	}
	return sender, nil
}

// installedAt is when the daemon first ran on db, read without recording
// it (a report made by hand before the first start records none): a
// report of a day before it, or of the day it began, says so. Zero when
// no daemon has run yet, or when the time is written otherwise than syncd
// writes it (RFC 3339 is read too): the reports then say nothing of it,
// as before, rather than fail.
func installedAt(ctx context.Context, db store) (time.Time, error) {
	v, ok, err := db.StateValue(ctx, "installed_at")
	if err != nil || !ok {
		return time.Time{}, err
	}
	at, err := syncd.ParseTime(v)
	if err != nil {
		at, _ = time.Parse(time.RFC3339Nano, v)
	}
	return at, nil
}

// alarms are what the report shows first: a failing CRM account check and a
// paused CRM adapter (a rejected token, a spent daily limit, a
// configuration error), with the way out. The report shows their times in
// its own zone.
func alarms(ctx context.Context, cfg *config.Config, db store) ([]report.Alarm, error) {
	target := targetName(cfg)
	var out []report.Alarm
	p, err := db.AdapterPause(ctx, target)
	if err != nil {
		return nil, err
	}
	if p.Until.After(time.Now()) {
		// The CRM's own message may end the reason with a full stop.
		out = append(out, report.Alarm{Until: p.Until, Short: "CRM paused", Text: fmt.Sprintf("CRM adapter %s is paused: %s. %s.",
			target, strings.TrimRight(p.Reason, ". "), syncer.ResumeHint(p.Kind))})
	}
	down := crmDownAlarm(target, crmFailingOf(ctx, db, target), time.Now())
	if down != nil {
		out = append(out, *down)
	}
	if st, ok := lastCheck(ctx, cfg, db); ok && st.Problems != 0 && (st.Problems > 0 || down == nil) {
		out = append(out, checkAlarm(st, db))
	}
	doubt, err := doubtAlarm(ctx, cfg, db)
	if doubt != nil {
		out = append(out, *doubt)
	}
	restore, rerr := restoreAlarm(ctx, db)
	if restore != nil {
		out = append(out, *restore)
	}
	stuck, serr := stuckAlarm(ctx, target, db)
	if stuck != nil {
		out = append(out, *stuck)
	}
	unmapped, uerr := unmappedAlarm(ctx, db)
	if unmapped != nil {
		out = append(out, *unmapped)
	}
	return out, cmp.Or(err, rerr, serr, uerr)
}

// crmDownAlarm is the alarm of a CRM failing every call (f) for
// crmDownAttention or more at now, as syncd status calls it: the leads
// wait in the outbox, and the day's report said nothing of it but "12
// waiting to be sent". Nil while the CRM answers, or for a blip.
func crmDownAlarm(target string, f crmFailingRow, now time.Time) *report.Alarm {
	a := AdapterStatus{Name: target, FailingSince: f.Since, FailingWhy: f.Why}
	if !a.crmDown(now) {
		return nil
	}
	short, what := "CRM not answering", failingWhat(a)+" (no answer, or 5xx)"
	if syncer.RateLimited(f.Why) {
		short, what = "CRM rate-limited", failingWhat(a)
	}
	// The error of the last call, a line of an HTTP client's words, is for
	// status and the log, not the mail's managers.
	return &report.Alarm{Since: f.Since, Short: short, Text: fmt.Sprintf("CRM adapter %s: %s; the leads wait in the outbox and "+
		"go out by themselves once it answers (how many, and why: syncd status)", target, what)}
}

// checkAlarm is the alarm of the last CRM account check, st, which found
// problems (Problems > 0) or could not read the account (-1): the latter,
// told as the former, said that leads still go out while the CRM answered
// nothing.
func checkAlarm(st checkState, db interface{ HostTime(time.Time) time.Time }) report.Alarm {
	at, _ := time.Parse(time.RFC3339, st.At) // on the store's clock (checkAccount)
	if st.Problems < 0 {
		return report.Alarm{Since: db.HostTime(at), Short: "CRM check not run", Text: fmt.Sprintf(
			"The CRM account check could not read the account (%s), so whether it is set up right is not known; "+
				"it runs again by itself as CRM calls go through; run: syncd crm check", st.Summary)}
	}
	return report.Alarm{Since: db.HostTime(at), Short: "CRM check failed", Text: fmt.Sprintf(
		"The CRM account check failed (%s). Leads still go out unless the CRM refuses them for it, "+
			"which pauses the adapter; run: syncd crm check", st.Summary)}
}

// unmappedAfter is how long a received event may wait to be mapped before
// the report calls it: a pass maps it within seconds; the worker is stuck
// after 5 minutes of failing passes.
const unmappedAfter = 10 * time.Minute

// unmappedAlarm names the events received over unmappedAfter ago and not
// mapped yet: none of them reached the CRM, and none will until the
// mapping worker works again (or a daemon runs).
func unmappedAlarm(ctx context.Context, db store) (*report.Alarm, error) {
	n, err := db.CountEvents(ctx, syncd.EventFilter{MapState: syncd.MapPending, Until: time.Now().Add(-unmappedAfter)})
	if err != nil || n == 0 {
		return nil, err
	}
	return &report.Alarm{Short: "leads not mapped", Text: fmt.Sprintf("%s more than %s ago %s: the mapping fails every pass (syncd status says MAPPING STUCK; why: the log, "+
		"\"map events\"), or no daemon runs. %s mapped by %s once it works", syncd.Counted(n, "event received", "events received"),
		syncd.HowLong(unmappedAfter), syncd.Noun(n, "is not mapped yet, so it has not reached the CRM", "are not mapped yet, so none of them reached the CRM"),
		syncd.Noun(n, "It is", "They are"), syncd.Noun(n, "itself", "themselves"))}, nil
}

// doubtAlarm names creates whose answer was lost and that the CRM has not
// shown for ten settle times (at least 30 minutes): syncd waits rather than
// risk a duplicate, and someone should look.
func doubtAlarm(ctx context.Context, cfg *config.Config, db store) (*report.Alarm, error) {
	after := max(10*cfg.CRM.Pipedrive.SettleTime, 30*time.Minute)
	n, err := db.UnconfirmedCreates(ctx, targetName(cfg), time.Now().Add(-after))
	if err != nil || n == 0 {
		return nil, err
	}
	return &report.Alarm{Short: "CRM creates in doubt", Text: fmt.Sprintf("%s in doubt for more than %s: "+
		"the answer was lost and %s does not show the record yet; syncd waits rather than risk a duplicate. "+
		"Look for %s in the CRM (syncd outbox list -state pending)", syncd.Counted(n, "CRM create", "CRM creates"), syncd.HowLong(after),
		targetName(cfg), syncd.Noun(n, "that lead", "those leads"))}, nil
}
