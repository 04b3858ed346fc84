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

// Rekeyed is an event KeyByDeliveryID gave the key intake gives its body
// now: From was its key, To is.
type Rekeyed struct {
	ID       int64
	Source   string
	From, To string
}

// KeyByDeliveryID gives the events an older syncd stored with a
// documented type the sender wrote in another case or with white space
// around it ("Email_Lead", " email_lead"), which it keyed by the body's
// hash, the key intake gives such a body now: its sender's delivery id
// ("eaf:<eaf_id>", sender.Decode), so that the sender sending that lead
// again (spelt as documented, keyed so) is the same lead, one deal in the
// CRM, rather than a second. It runs after DocumentTypes, within a
// store's migration transaction, through q and exec, and returns the
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
func KeyByDeliveryID(ctx context.Context, d Dialect, q Query, exec Exec) ([]Rekeyed, error) {
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
	// the new keys other events hold already (by SQLite's index of sources
	// and keys), and the lead ids (source:key) the CRM's links and intents
	// hold, some hundreds a statement: neither table has an index of keys
	// alone, nor PostgreSQL's events one of keys
	known := map[string]bool{}
	for i := 0; i < len(cands); i += typesBatch {
		batch := cands[i:min(len(cands), i+typesBatch)]
		marks, keys, leads := make([]string, len(batch)), make([]any, len(batch)), make([]any, len(batch))
		var sources []string
		for j, c := range batch {
			marks[j], keys[j], leads[j] = fmt.Sprintf("?%d", j+1), c.To, c.Source+":"+c.From
			if !slices.Contains(sources, c.Source) {
				sources = append(sources, c.Source)
			}
		}
		in := `(` + strings.Join(marks, ", ") + `)`
		srcMarks := make([]string, len(sources))
		for j, src := range sources {
			srcMarks[j] = fmt.Sprintf("?%d", len(batch)+j+1)
			keys = append(keys, src)
		}
		err := q(ctx, d(`SELECT source, idem_key FROM events WHERE source IN (`+strings.Join(srcMarks, ", ")+`)
  AND idem_key IN `+in), func(r Rows) error {
			var source, key string
			if err := r.Scan(&source, &key); err != nil {
				return err
			}
			taken[[2]string{source, key}] += 2 // never 1
			return nil
		}, keys...)
		if err == nil {
			err = q(ctx, d(`SELECT key FROM crm_links WHERE key IN `+in+` UNION SELECT key FROM crm_intents WHERE key IN `+in),
				func(r Rows) error {
					var key string
					if err := r.Scan(&key); err != nil {
						return err
					}
					known[key] = true
					return nil
				}, leads...)
		}
		if err != nil {
			return nil, fmt.Errorf("key by delivery id: %w", err)
		}
	}
	var done []Rekeyed
	for _, c := range cands {
		if taken[[2]string{c.Source, c.To}] != 1 || known[c.Source+":"+c.From] {
			continue
		}
		n, err := exec(ctx, d(`UPDATE events SET idem_key = ?1 WHERE id = ?2 AND idem_key = ?3`), c.To, c.ID, c.From)
		if err != nil {
			return nil, fmt.Errorf("key by delivery id: %w", err)
		}
		if n == 1 {
			done = append(done, c)
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
