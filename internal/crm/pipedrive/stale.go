package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
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
// which `syncd crm check` explains), not the lead's fault. A refused write
// of record key (of kind k, with props) that carried a stage, pipeline or
// option syncd looked up, when they cannot be read again yet (read less
// than schemaReread ago), waits until they can (refusedRecently).
func (a *Adapter) fresh(ctx context.Context, k syncd.RecordKind, key string, props map[string]string, write func() syncd.Result) syncd.Result {
	old := a.schema.Load()
	r := write()
	if old == nil || !refused(r) {
		a.waited.forget(k, key)
		return r
	}
	changed, read := a.reread(ctx, old, old.staleField(r))
	switch {
	case changed:
		a.waited.forget(k, key)
		return write()
	case read || !old.looksUp(k, props) || !byPipedrive(r):
		a.waited.forget(k, key)
		return r
	}
	return a.refusedRecently(k, key, old, r)
}

// refusedRecently makes a refusal r of a write built from old, which could
// not be read again yet, wait until it can: the stage or option may have
// been deleted in Pipedrive since. A record already waited so, refused
// again with a reading made after its first refusal, is refused for its
// own sake: r stands.
func (a *Adapter) refusedRecently(k syncd.RecordKind, key string, old *schema, r syncd.Result) syncd.Result {
	now := a.opts.Now()
	if first, ok := a.waited.since(k, key, now); ok && old.at.After(first) {
		a.waited.forget(k, key)
		return r
	}
	wait := max(old.at.Add(schemaReread).Sub(now), 0) + time.Second
	return syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrWait, Code: "SCHEMA_JUST_READ", Message: fmt.Sprintf(
		"Pipedrive refused it (%v) less than a minute after syncd read the account's stages and fields: tried again once they can be read again, in case a stage or option it names was deleted in Pipedrive meanwhile", r.Err),
		RetryAfter: wait}}
}

// looksUp reports whether props, written to a record of kind k, name a
// pipeline, a stage or an option of an enum or set field: ids syncd looked
// up in sc, which an admin may have deleted since.
func (sc *schema) looksUp(k syncd.RecordKind, props map[string]string) bool {
	for name, v := range props {
		if v == "" {
			continue
		}
		if k == syncd.RecordDeal && (name == "pipeline" || name == "stage" || name == "pipeline_id" || name == "stage_id") {
			return true
		}
		if f, err := sc.field(k, name); err == nil && (f.Type == "enum" || f.Type == "set") {
			return true
		}
	}
	return false
}

// byPipedrive reports whether Pipedrive itself refused the write, as it
// does a deleted stage or option syncd still holds; a payload's value
// syncd found no option for never left syncd, and deleting one in
// Pipedrive cannot have caused it.
func byPipedrive(r syncd.Result) bool {
	var ce *syncd.CRMError
	return errors.As(r.Err, &ce) && ce.Status >= 400 && ce.Status < 500
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
// still there since. It reports whether the schema now held differs from
// old, and whether one was read after old (by this call or another).
func (a *Adapter) reread(ctx context.Context, old *schema, key string) (changed, read bool) {
	a.rereading.Lock()
	defer a.rereading.Unlock()
	if cur := a.schema.Load(); cur != old { // another write read it meanwhile
		return !sameSchema(cur, old), true
	}
	if a.opts.Now().Sub(old.at) < schemaReread && (key == "" || old.present[key]) {
		return false, false
	}
	sc, err := a.loadSchema(ctx)
	if err != nil {
		return false, false
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
	sc.renamed = a.renamesIn(ctx, sc)
	a.schema.Store(sc)
	return !same, true
}

func sameSchema(x, y *schema) bool {
	return reflect.DeepEqual(x.fields, y.fields) && reflect.DeepEqual(x.pipelines, y.pipelines) &&
		reflect.DeepEqual(x.stages, y.stages)
}

// waits are the records whose refusal waits for the stages and fields to
// be read again (refusedRecently), with when each was first refused;
// entries older than waitsKept are dropped.
type waits struct {
	mu    sync.Mutex
	first map[string]time.Time
}

const waitsKept = 30 * time.Minute

// since returns when the record was first refused, recording now if it
// never was.
func (w *waits) since(k syncd.RecordKind, key string, now time.Time) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.first == nil {
		w.first = map[string]time.Time{}
	}
	for id, t := range w.first {
		if now.Sub(t) > waitsKept {
			delete(w.first, id)
		}
	}
	id := string(k) + "\x00" + key
	t, ok := w.first[id]
	if !ok {
		w.first[id] = now
	}
	return t, ok
}

// forget drops the record: it went through, or its refusal stands.
func (w *waits) forget(k syncd.RecordKind, key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.first, string(k)+"\x00"+key)
}
