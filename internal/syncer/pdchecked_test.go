package syncer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// checkedPipedrive is a Pipedrive adapter on the stand-in at base, told
// the mappings write fields (now, when not nil, its clock), and a syncer
// on db whose account check is the daemon's: the account read again,
// then checked against fields. A configuration pause lasts 10 minutes.
func checkedPipedrive(t *testing.T, db *sqlite.DB, clk *clock, base string, fields []syncd.FieldSpec,
	now func() time.Time) (*pipedrive.Adapter, *syncer.Syncer) {
	t.Helper()
	a := pipedrive.New(pipedrive.Options{BaseURL: base, Token: fakeToken, LeadIDField: crmfake.DefaultPipedriveLeadField,
		Links: db, Settle: 100 * time.Millisecond, ClockSkew: time.Millisecond, Fields: fields, Now: now,
		HTTP: crm.Options{Timeout: 300 * time.Millisecond, RetryWaitMin: 2 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond, RateLimit: -1}})
	s := newSyncer(t, db, a, clk, func(o *syncer.Options) {
		o.AuthPause, o.MaxAttempts, o.ConfigPause = time.Minute, 30, 10*time.Minute
		o.Check = func(ctx context.Context) error {
			if err := a.Resolve(ctx); err != nil {
				return err
			}
			fs, err := a.Check(ctx, fields)
			if err == nil && syncd.Failed(fs) {
				return errors.New("the account is not ready")
			}
			return err
		}
	})
	return a, s
}

// noneDead fails t for each operation of db that was dead-lettered.
func noneDead(t *testing.T, db *sqlite.DB) {
	t.Helper()
	for _, op := range allOps(t, db) {
		if op.State == syncd.OpDead {
			t.Errorf("op %d (%s) dead-lettered: %s", op.ID, op.Kind, op.LastError)
		}
	}
}
