package main

import (
	"sync/atomic"

	"github.com/syncd-dev/syncd/internal/config"
)

// reportSources is what the daemon's reports read of the configuration
// that a reload changes: the sources, whose default_country a phone
// without a country code is read in. The workbooks the daemon makes
// (the day's report, and those the purge makes again) show such a phone
// as the mappings read it now: with the sources as the daemon started, a
// reload that changed default_country had the mappings read "52 25 05
// 59" as Swedish and the next report show it as Danish.
type reportSources struct {
	now atomic.Pointer[reportSourcesNow]
}

// reportSourcesNow is the configuration as the daemon runs it (its start's,
// with the sources of the last reload taken) and its phone formatter.
type reportSourcesNow struct {
	cfg   *config.Config
	phone func(kind, phone string) string
}

// set takes cfg, the configuration as the daemon runs it, for the reports
// made from now on.
func (r *reportSources) set(cfg *config.Config) {
	r.now.Store(&reportSourcesNow{cfg: cfg, phone: readablePhone(cfg)})
}

// config is the configuration as the daemon runs it.
func (r *reportSources) config() *config.Config { return r.now.Load().cfg }

// phone shows phone, of a sender of kind, as readablePhone does with the
// sources as the daemon runs them (report.Options.Phone).
func (r *reportSources) phone(kind, phone string) string { return r.now.Load().phone(kind, phone) }
