package config

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Defaults for everything optional.
const (
	DefaultListen       = "127.0.0.1:8080"
	DefaultDataDir      = "./data"
	DefaultMaxBody      = 1 << 20
	DefaultDedupWindow  = 14 * 24 * time.Hour
	DefaultSyncSchedule = "@every 1m"
	DefaultReportCron   = "0 6 * * *"
	DefaultTimeZone     = "Europe/Copenhagen"
)

// MaxBodyLimit is the largest http.max_body_bytes taken: 64 MiB, far
// below what SQLite and PostgreSQL hold in one value (1 GB).
const MaxBodyLimit = 64 << 20

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// defaults fills every optional setting left empty.
func (l *loader) defaults(cfg *Config) {
	setDefault(&cfg.Listen, DefaultListen)
	setDefault(&cfg.DataDir, DefaultDataDir)
	setDefault(&cfg.Log.Level, "info")

	h := &cfg.HTTP
	setDefault(&h.MaxBodyBytes, DefaultMaxBody)
	setDefault(&h.MaxHeaderBytes, 16<<10)
	setDefault(&h.ReadHeaderTimeout, 5*time.Second)
	setDefault(&h.ReadTimeout, 30*time.Second)
	setDefault(&h.WriteTimeout, 30*time.Second)
	setDefault(&h.IdleTimeout, 2*time.Minute)
	setDefault(&h.MaxConnections, 512)

	setDefault(&cfg.Intake.DedupWindow, DefaultDedupWindow)
	setDefault(&cfg.Intake.MaxBatch, 512)
	setDefault(&cfg.Intake.MaxDepth, sender.DefaultMaxDepth)
	setDefault(&cfg.Intake.AnswerWithin, 10*time.Second)

	for name, src := range cfg.Sources {
		if s := sender.For(syncd.Kind(src.Kind)); s != nil {
			setDefault(&src.DefaultCountry, s.Country)
		}
		cfg.Sources[name] = src
	}

	c := &cfg.CRM
	setDefault(&c.Kind, "dryrun")
	setDefault(&c.Timeout, 30*time.Second)
	setDefault(&c.HubSpot.BaseURL, "https://api.hubapi.com")
	setDefault(&c.HubSpot.LeadIDProperty, "syncd_lead_id")
	setDefault(&c.HubSpot.Requests, 100)
	setDefault(&c.HubSpot.Window, 10*time.Second)
	setDefault(&c.Pipedrive.LeadIDField, "syncd lead id")
	setDefault(&c.Pipedrive.Requests, 20)
	setDefault(&c.Pipedrive.Window, 2*time.Second)
	setDefault(&c.Pipedrive.SettleTime, time.Minute)
	target := c.Kind
	if target != "pipedrive" {
		target = "hubspot"
	}
	setDefault(&cfg.Mapping.Dir, filepath.Join("mappings", target))

	s := &cfg.Sync
	setDefault(&s.Schedule, DefaultSyncSchedule)
	setDefault(&s.MaxAttempts, 10)
	setDefault(&s.Lease, 5*time.Minute)
	setDefault(&s.BatchSize, 100)
	setDefault(&s.RetryAfterCap, 30*time.Second)
	setDefault(&s.ProbeEvery, 10*time.Minute)
	if !l.has("sync", "prompt_delay") {
		s.PromptDelay = 5 * time.Second
	}

	r := &cfg.Report
	setDefault(&r.Schedule, DefaultReportCron)
	setDefault(&r.TimeZone, DefaultTimeZone)
	setDefault(&r.Dir, filepath.Join(cfg.DataDir, "reports"))
	if path := []string{"report", "keep_days"}; l.has(path...) && r.KeepDays <= 0 {
		// retention's 0 is for ever; here 0 is the default and a negative
		// number deletes nothing: say which, rather than either silently.
		does := "keeps every workbook for ever (none is deleted)"
		if r.KeepDays == 0 {
			does = "is taken as the default, 90: workbooks older than 90 days are deleted (retention's 0, for ever, is not this key's)"
		}
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path), Msg: fmt.Sprintf(
			"report.keep_days %d %s: write the days to keep them (keep_days: 90; 3650 for ten years)", r.KeepDays, does)})
	}
	setDefault(&r.KeepDays, 90)
	setDefault(&r.CatchUpDays, 7)
	setDefault(&r.Mail.TLS, "starttls")
	if r.Mail.TLS == "tls" {
		setDefault(&r.Mail.Port, 465)
	}
	setDefault(&r.Mail.Port, 587)
	l.retentionDefaults(&cfg.Retention)
}

// has reports whether the file sets the key path (so that an explicit zero
// is not replaced by a default).
func (l *loader) has(path ...string) bool {
	return l.node(path) != nil
}

// DBPath is where the SQLite database lives: syncd.db in data_dir, or the
// file it links to (a database moved to a bigger disk and linked back),
// whose -wal and -shm SQLite keeps beside that file, where syncd must look
// for them too. A link to nothing is returned as it is.
func (c *Config) DBPath() string {
	path := filepath.Join(c.DataDir, "syncd.db")
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	return path
}
