package pipedrive

import (
	"context"
	"errors"
	"reflect"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// schemaReread is how often at most a refused write reads the fields,
// pipelines and stages again.
const schemaReread = time.Minute

// refused reports a write Pipedrive refused as invalid (a 4xx that is no
// pause: 400, 404, 422, ...), or a payload's value syncd found no option
// for: one added in Pipedrive since syncd read the fields is then found.
func refused(r syncd.Result) bool {
	var ce *syncd.CRMError
	return errors.As(r.Err, &ce) && ce.Class == syncd.ErrPermanent &&
		(ce.Status >= 400 && ce.Status < 500 || ce.Code == codeOption)
}

// fresh runs write, and once more when Pipedrive refused it and its
// fields, pipelines or stages changed since syncd read them (at start,
// after SIGHUP): a stage, option or field deleted in Pipedrive meanwhile is
// then the configuration error the new reading shows (a pause naming it,
// which `syncd crm check` explains), not the lead's fault.
func (a *Adapter) fresh(ctx context.Context, write func() syncd.Result) syncd.Result {
	old := a.schema.Load()
	r := write()
	if old == nil || !refused(r) || !a.reread(ctx, old) {
		return r
	}
	return write()
}

// reread reads the schema again, unless it was read less than
// schemaReread ago, and reports whether it differs from old.
func (a *Adapter) reread(ctx context.Context, old *schema) bool {
	a.rereading.Lock()
	defer a.rereading.Unlock()
	if cur := a.schema.Load(); cur != old { // another write read it meanwhile
		return !sameSchema(cur, old)
	}
	if a.opts.Now().Sub(old.at) < schemaReread {
		return false
	}
	sc, err := a.loadSchema(ctx)
	if err != nil {
		return false
	}
	a.schema.Store(sc)
	return !sameSchema(sc, old)
}

func sameSchema(x, y *schema) bool {
	return reflect.DeepEqual(x.fields, y.fields) && reflect.DeepEqual(x.pipelines, y.pipelines) &&
		reflect.DeepEqual(x.stages, y.stages)
}
