package storesql

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// RequeueDocumentedTypes hands back to the mapper the events an older
// syncd ignored for their type alone: the sender wrote a documented type
// in another case or with white space around it ("Email_Lead",
// "Portal_Submission "), which that syncd stored as it came and no rule
// maps ("no rule for eaf Email_Lead"). DocumentTypes gave them their
// documented type, but an ignored event is never mapped again by itself:
// those leads stayed out of the CRM until someone ran syncd replay. It
// runs after DocumentTypes and KeyByDeliveryID, within a store's
// migration transaction, through q and exec, and returns how many events
// it set pending again, for the mapper to map with the rules in use.
//
// Never a second deal: an event stays as it is where the CRM may know its
// lead (an operation of it in the outbox, a CRM link or intent of its
// lead id, or of the one its sender's delivery id gives it now), where
// another event holds the key its delivery id gives it now (the sender
// sent that lead again, stored since), or where an older one of such
// events with the same delivery id is handed back or was mapped already
// (the sender sent it twice, spelt two ways): of those only the first is.
// An event erased or purged (its body gone) stays too.
func RequeueDocumentedTypes(ctx context.Context, d Dialect, q Query, exec Exec) (int, error) {
	var kinds, types, idKinds []string
	for _, s := range sender.All() {
		kinds = append(kinds, string(s.Kind))
		if s.IDField != "" {
			idKinds = append(idKinds, string(s.Kind))
		}
		for _, t := range s.Types {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	if len(kinds) == 0 || len(types) == 0 {
		return 0, nil
	}
	twins := "" // events of a delivery id still keyed by their body's hash, not ignored: one mapped made a deal already
	if len(idKinds) > 0 {
		twins = `
    OR (e.map_state <> 'ignored' AND e.kind IN ('` + strings.Join(idKinds, "', '") + `') AND substr(e.idem_key, 1, 7) = 'sha256:')`
	}
	type odd struct {
		id                int64
		source, key, now  string // now: the key intake gives its body now; "" when none but the body's hash
		ignored, operated bool
	}
	var odds []odd
	// The events written in another case: ignored ones to hand back, and
	// any other still keyed by its body's hash (as those were: one mapped
	// with its twin's delivery id made a deal already). Only the type
	// field of each body is read. Not read: those ignored for want of a
	// rule for the type they are stored with now ("no rule for eaf
	// feed_import", the reason the mapper has given since its first
	// version; feed imports are ignored by default, most events of some
	// agencies): not ignored for their type's case.
	err := q(ctx, d(`SELECT e.id, e.source, e.kind, e.type, e.idem_key, e.body, e.payload, e.map_state,
  EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id)
FROM events e
WHERE e.kind IN ('`+strings.Join(kinds, "', '")+`') AND e.type IN ('`+strings.Join(types, "', '")+`')
  AND e.erased_at IS NULL AND e.purged_at IS NULL AND length(e.body) > 0
  AND ((e.map_state = 'ignored' AND e.map_error <> ('no rule for ' || e.kind || ' ' || e.type))`+twins+`)
ORDER BY e.id`),
		func(r Rows) error {
			var (
				o                odd
				kind, typ, state string
				body, payload    []byte
			)
			if err := r.Scan(&o.id, &o.source, &kind, &typ, &o.key, &body, &payload, &state, &o.operated); err != nil {
				return err
			}
			s := sender.For(syncd.Kind(kind))
			if s == nil || !s.Known(typ) {
				return nil
			}
			doc := body
			if len(payload) > 0 {
				doc = payload
			}
			written := gjson.GetBytes(doc, gjson.Escape(s.TypeField))
			if written.Type != gjson.String || written.Str == typ || sender.DocumentedType(s.Kind, written.Str) != typ {
				return nil // written as documented, or otherwise: not ignored for its case
			}
			o.ignored = state == string(syncd.MapIgnored)
			if dec := sender.Decode(s.Kind, body, 0); dec.Reason == "" && dec.Unrecognised == "" && dec.Type == typ &&
				!strings.HasPrefix(dec.Key, "sha256:") {
				o.now = dec.Key
			}
			odds = append(odds, o)
			return nil
		})
	if err != nil {
		return 0, fmt.Errorf("requeue documented types: %w", err)
	}
	// the first odd event of each delivery id; the others are its twins
	first := map[[2]string]int64{}
	for _, o := range odds {
		if k := [2]string{o.source, o.now}; o.now != "" {
			if _, ok := first[k]; !ok {
				first[k] = o.id
			}
		}
	}
	var cands []odd
	for _, o := range odds {
		if !o.ignored || o.operated || (o.now != "" && first[[2]string{o.source, o.now}] != o.id) {
			continue
		}
		cands = append(cands, o)
	}
	if len(cands) == 0 {
		return 0, nil
	}
	// another event holding the key its delivery id gives it now, and the
	// CRM's links and intents of either lead id
	keys, leads := map[[2]string]bool{}, map[string]bool{}
	for _, c := range cands {
		leads[c.source+":"+c.key] = true
		if c.now != "" && c.now != c.key {
			keys[[2]string{c.source, c.now}] = true
			leads[c.source+":"+c.now] = true
		}
	}
	held, err := heldKeys(ctx, d, q, keys)
	if err != nil {
		return 0, fmt.Errorf("requeue documented types: %w", err)
	}
	known, err := knownLeads(ctx, d, q, leads)
	if err != nil {
		return 0, fmt.Errorf("requeue documented types: %w", err)
	}
	var ids []any
	for _, c := range cands {
		if known[c.source+":"+c.key] || (c.now != "" && c.now != c.key && (held[[2]string{c.source, c.now}] || known[c.source+":"+c.now])) {
			continue
		}
		ids = append(ids, c.id)
	}
	n := 0
	for len(ids) > 0 {
		batch := ids[:min(len(ids), typesBatch)]
		ids = ids[len(batch):]
		c, err := exec(ctx, d(`UPDATE events SET map_state = 'pending', map_error = '', mapped_at = NULL
WHERE map_state = 'ignored' AND id IN (`+marks(1, len(batch))+`)`), batch...)
		if err != nil {
			return 0, fmt.Errorf("requeue documented types: %w", err)
		}
		n += int(c)
	}
	return n, nil
}
