package crm

import (
	"context"
	"errors"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Probe returns the syncer's stuck-batch probe for an adapter
// (syncer.Options.Probe): nil when the CRM answers calls other than a
// batch whose call has just failed as a whole, so that batch, not the CRM,
// is the trouble. It reads one record of the objects API first, when a is
// a syncd.ObjectsReader: the account check's reads are of other APIs
// (token, properties, pipelines), which answered while the objects API
// was down, and a batch set aside then was halved to single calls and
// each told stuck. Then it runs the account check against fields() (the
// mappings in use), quietly: nothing recorded or logged; it fails only
// for a read of it that failed (syncd.Finding.Unread): a finding about
// the account (a field of another type, an owner gone) is the CRM's
// answer, and so says it answers; before, a batch the CRM never takes
// read as an outage for as long as the account had one. Every read is
// sent once: the probe asks whether the CRM answers now, and a resend is
// one more request into an outage.
func Probe(a syncd.Checker, fields func() []syncd.FieldSpec) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx = SendOnce(ctx)
		if r, ok := a.(syncd.ObjectsReader); ok {
			if err := r.ReadObjects(ctx); err != nil {
				return err
			}
		}
		fs, err := a.Check(ctx, fields())
		if err == nil && syncd.ReadFailed(fs) {
			err = errors.New("crm check could not read the account")
		}
		return err
	}
}
