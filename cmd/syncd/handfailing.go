package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"
)

// crmTeller is what a syncer tells of the CRM answering: since when every
// call has failed, until when none is tried and how the last one failed
// (zero: it answers again), and each call that went through.
type crmTeller interface {
	failing(since, until time.Time, why string)
	answered(ctx context.Context)
}

// handFailing keeps, for `syncd sync` runs while nothing serves the
// database, since when every CRM call has failed, in the state row that
// status reads (the store keeps the first failure's time until a call goes
// through). Before, such runs kept nothing of it: status said nothing of
// the CRM failing, and each run's own time began it anew.
type handFailing struct {
	db interface {
		SetCRMFailing(ctx context.Context, target string, since, until time.Time, why string) error
	}
	target  string
	log     zerolog.Logger
	cleared bool // this run has cleared the row once a call went through
}

// failing records a call failed as a whole. Its until is now: the run
// ends with its process, so no cool-down of it holds anything back.
func (h *handFailing) failing(since, _ time.Time, why string) {
	if since.IsZero() { // answered clears it
		return
	}
	h.set(context.Background(), since, time.Now(), why)
	h.cleared = false
}

// answered clears the row at the first call of the run that went through.
func (h *handFailing) answered(ctx context.Context) {
	if h.cleared {
		return
	}
	h.cleared = true
	h.set(ctx, time.Time{}, time.Time{}, "")
}

// set writes the row; a failure is warned of (status then shows an older
// state).
func (h *handFailing) set(ctx context.Context, since, until time.Time, why string) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := h.db.SetCRMFailing(wctx, h.target, since, until, why); err != nil {
		h.log.Warn().Err(err).Msg("crm failing state not stored: syncd status may not show it")
	}
}
