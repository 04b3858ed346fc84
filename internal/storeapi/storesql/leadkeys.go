package storesql

import (
	"context"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Rekeyed is an event KeyByDeliveryID gave the key intake gives its body
// now: From was its key, To is.
type Rekeyed struct {
	ID       int64
	Source   string
	From, To string
}

// LeadsUpgraded counts what a store's migration did to the leads an older
// syncd stored, for the operator to be told (counts only, no lead's data).
type LeadsUpgraded struct {
	// Rekeyed is how many events KeyByDeliveryID gave their delivery id's
	// key.
	Rekeyed int
	// Requeued is how many events RequeueDocumentedTypes handed back to
	// the mapper.
	Requeued int
}

// KeyByDeliveryID gives the events an older syncd stored with a
// documented type the sender wrote in another case or with white space
// around it ("Email_Lead", " email_lead"), which it keyed by the body's
// hash, the key intake gives such a body now: its sender's delivery id
// ("eaf:<eaf_id>", sender.Decode), so that the sender sending that lead
// again (spelt as documented, keyed so) is the same lead, one deal in the
// CRM, rather than a second. It runs after DocumentTypes, within a
// store's migration transaction, through q, and returns the
// events it rekeyed, for the store to find them under their new keys in
// its duplicate window.
//
// An event keeps its key where the CRM may know it: a lead's key is its
// deal's lead id (source:key), so an event mapped, with an operation in
// the outbox, or whose lead id a CRM link or intent holds, keeps it (its
// deal would be made again under the new one). So does one whose new key
// another event holds, or another such event would take (the sender's
// re-sending stored already: two leads either way), and one whose body is
// gone (erased, purged) or that intake would not key by its id now.
func KeyByDeliveryID(ctx context.Context, d Dialect, q Query) ([]Rekeyed, error) {
	var kinds []string
	for _, s := range sender.All() {
		if s.IDField != "" {
			kinds = append(kinds, string(s.Kind))
		}
	}
	if len(kinds) == 0 {
		return nil, nil
	}
	var cands []Rekeyed
	taken := map[[2]string]int{} // (source, new key): candidates taking it
	err := q(ctx, d(`SELECT e.id, e.source, e.kind, e.type, e.idem_key, e.body FROM events e
WHERE e.kind IN ('`+strings.Join(kinds, "', '")+`') AND substr(e.idem_key, 1, 7) = 'sha256:'
  AND e.erased_at IS NULL AND e.map_state <> 'mapped' AND length(e.body) > 0
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id)`),
		func(r Rows) error {
			var (
				c         Rekeyed
				kind, typ string
				body      []byte
			)
			if err := r.Scan(&c.ID, &c.Source, &kind, &typ, &c.From, &body); err != nil {
				return err
			}
			if c.To = keyNow(kind, typ, body); c.To != "" {
				cands = append(cands, c)
				taken[[2]string{c.Source, c.To}]++
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("key by delivery id: %w", err)
	}
	if len(cands) == 0 {
		return nil, nil
	}
	// the new keys other events hold already, and the lead ids
	// (source:key) the CRM's links and intents hold
	keys, leads := map[[2]string]bool{}, map[string]bool{}
	for _, c := range cands {
		keys[[2]string{c.Source, c.To}] = true
		leads[c.Source+":"+c.From] = true
	}
	held, err := heldKeys(ctx, d, q, keys)
	if err != nil {
		return nil, fmt.Errorf("key by delivery id: %w", err)
	}
	known, err := knownLeads(ctx, d, q, leads)
	if err != nil {
		return nil, fmt.Errorf("key by delivery id: %w", err)
	}
	var todo []Rekeyed
	for _, c := range cands {
		if taken[[2]string{c.Source, c.To}] != 1 || held[[2]string{c.Source, c.To}] || known[c.Source+":"+c.From] {
			continue
		}
		todo = append(todo, c)
	}
	// some hundreds a statement: one each was a round trip to PostgreSQL
	// per event, most of the step's time. The ids again in an IN list:
	// without it SQLite's planner reads the whole events table for each
	// statement (the VALUES' rows looked up in an index it builds), the
	// step's time growing as the square of the table's size.
	var done []Rekeyed
	for len(todo) > 0 {
		batch := todo[:min(len(todo), typesBatch)]
		todo = todo[len(batch):]
		rows, ids, args := make([]string, len(batch)), make([]string, len(batch)), make([]any, 0, 3*len(batch))
		byID := make(map[int64]Rekeyed, len(batch))
		for i, c := range batch {
			rows[i] = fmt.Sprintf("(CAST(?%d AS BIGINT), ?%d, ?%d)", 3*i+1, 3*i+2, 3*i+3)
			ids[i] = fmt.Sprintf("?%d", 3*i+1)
			args = append(args, c.ID, c.To, c.From)
			byID[c.ID] = c
		}
		err := q(ctx, d(`UPDATE events SET idem_key = v.column2 FROM (VALUES `+strings.Join(rows, ", ")+`) AS v
WHERE events.id = v.column1 AND events.idem_key = v.column3 AND events.id IN (`+strings.Join(ids, ", ")+`)
RETURNING events.id`), func(r Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			done = append(done, byID[id])
			return nil
		}, args...)
		if err != nil {
			return nil, fmt.Errorf("key by delivery id: %w", err)
		}
	}
	return done, nil
}

// keyNow is the key intake gives body now, an event of kind stored with
// type typ, where that is its sender's delivery id and the type the
// sender wrote in it is the documented typ in another case or with white
// space around it; "" otherwise (the stored key stays).
func keyNow(kind, typ string, body []byte) string {
	s := sender.For(syncd.Kind(kind))
	if s == nil || s.IDField == "" {
		return ""
	}
	dec := sender.Decode(s.Kind, body, 0)
	if dec.Reason != "" || dec.Unrecognised != "" || dec.Type != typ || !s.Known(typ) ||
		strings.HasPrefix(dec.Key, "sha256:") {
		return ""
	}
	doc := body
	if dec.Payload != nil {
		doc = dec.Payload
	}
	if written := gjson.GetBytes(doc, gjson.Escape(s.TypeField)); written.Type != gjson.String || written.Str == typ {
		return "" // written as documented: keyed by its body's hash for another reason, left as it is
	}
	return dec.Key
}
