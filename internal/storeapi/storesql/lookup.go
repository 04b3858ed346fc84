package storesql

import (
	"context"
	"fmt"
	"strings"
)

// heldKeys returns which of keys (source, idempotency key; none a body's
// hash) an event holds. A few hundred are looked up in one statement,
// which SQLite's index of sources and keys (events_idem) answers and
// PostgreSQL, whose events have no index of keys, answers with one read
// of the table; more are found in one read of every event's key that is
// no body's hash, rather than one read of the table per few hundred,
// which grew with the table times the keys looked up.
func heldKeys(ctx context.Context, d Dialect, q Query, keys map[[2]string]bool) (map[[2]string]bool, error) {
	held := map[[2]string]bool{}
	if len(keys) == 0 {
		return held, nil
	}
	each := func(r Rows) error {
		var k [2]string
		if err := r.Scan(&k[0], &k[1]); err != nil {
			return err
		}
		if keys[k] {
			held[k] = true
		}
		return nil
	}
	if len(keys) > typesBatch {
		return held, q(ctx, d(`SELECT source, idem_key FROM events WHERE substr(idem_key, 1, 7) <> 'sha256:'`), each)
	}
	var sources, idems []any
	seen := map[string]bool{}
	for k := range keys {
		if !seen[k[0]] {
			seen[k[0]] = true
			sources = append(sources, k[0])
		}
		idems = append(idems, k[1])
	}
	return held, q(ctx, d(`SELECT source, idem_key FROM events WHERE source IN (`+marks(1, len(sources))+`)
  AND idem_key IN (`+marks(len(sources)+1, len(idems))+`)`), each, append(sources, idems...)...)
}

// knownLeads returns which of leads (lead ids: source:key) a CRM link or
// intent holds: neither table has an index of keys alone, so a few
// hundred are looked up in one statement (one read of each table), more
// in one read of every key of both.
func knownLeads(ctx context.Context, d Dialect, q Query, leads map[string]bool) (map[string]bool, error) {
	known := map[string]bool{}
	if len(leads) == 0 {
		return known, nil
	}
	each := func(r Rows) error {
		var key string
		if err := r.Scan(&key); err != nil {
			return err
		}
		if leads[key] {
			known[key] = true
		}
		return nil
	}
	if len(leads) > typesBatch {
		return known, q(ctx, `SELECT key FROM crm_links UNION ALL SELECT key FROM crm_intents`, each)
	}
	args := make([]any, 0, len(leads))
	for l := range leads {
		args = append(args, l)
	}
	in := `(` + marks(1, len(args)) + `)`
	return known, q(ctx, d(`SELECT key FROM crm_links WHERE key IN `+in+` UNION SELECT key FROM crm_intents WHERE key IN `+in), each, args...)
}

// marks is n placeholders from ?from on, separated by commas.
func marks(from, n int) string {
	m := make([]string, n)
	for i := range m {
		m[i] = fmt.Sprintf("?%d", from+i)
	}
	return strings.Join(m, ", ")
}
