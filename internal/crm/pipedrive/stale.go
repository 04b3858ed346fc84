package pipedrive

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// schemaReread is how often at most a refused write reads the fields,
// pipelines and stages again, unless the refusal names one of the custom
// fields syncd holds (staleField).
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
	if old == nil || !refused(r) || !a.reread(ctx, old, old.staleField(r)) {
		return r
	}
	return write()
}

// staleField is the key of a custom field old holds that the refusal r
// names, "" when it names none. Pipedrive answers a write to a field it no
// longer has with a 400 naming the field's key (how it words it is not
// documented): a field deleted since syncd read the fields, however
// recently, is then read again at once, instead of the lead being refused
// for it.
func (old *schema) staleField(r syncd.Result) string {
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Status < 400 || ce.Status >= 500 {
		return ""
	}
	for _, fs := range old.fields {
		for _, f := range fs {
			if f.Custom && len(f.Code) >= 20 && strings.Contains(ce.Message, f.Code) {
				return f.Code
			}
		}
	}
	return ""
}

// reread reads the schema again, unless it was read less than
// schemaReread ago and the refusal names no field (key) not already found
// still there since, and reports whether it differs from old.
func (a *Adapter) reread(ctx context.Context, old *schema, key string) bool {
	a.rereading.Lock()
	defer a.rereading.Unlock()
	if cur := a.schema.Load(); cur != old { // another write read it meanwhile
		return !sameSchema(cur, old)
	}
	if a.opts.Now().Sub(old.at) < schemaReread && (key == "" || old.present[key]) {
		return false
	}
	sc, err := a.loadSchema(ctx)
	if err != nil {
		return false
	}
	same := sameSchema(sc, old)
	if same && key != "" {
		// The field is still there: the refusal was the value's. Other
		// refusals naming it wait for the minute, as any other refusal.
		sc.present = map[string]bool{key: true}
		for k := range old.present {
			sc.present[k] = true
		}
	}
	a.schema.Store(sc)
	return !same
}

func sameSchema(x, y *schema) bool {
	return reflect.DeepEqual(x.fields, y.fields) && reflect.DeepEqual(x.pipelines, y.pipelines) &&
		reflect.DeepEqual(x.stages, y.stages)
}
