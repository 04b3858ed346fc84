package storesql

import (
	"context"
	"fmt"
)

// ContactKeyClash is a person whose email an upgrade found linked, under
// two forms of its key, to two CRM records of one target: the link keeps
// Kept, and Other, the CRM's record too, is left as it is there.
type ContactKeyClash struct {
	Target, Kept, Other string
}

// keyedRow is a row of crm_links or crm_intents keyed by a contact's
// email: its target, key and value (a CRM id, or a create's time).
type keyedRow struct{ target, key, value string }

// RekeyContacts rewrites the email keys of contacts that an older syncd
// stored in another form than today's mapper gives the same email
// ("mailto:jane@x.dk", one with a soft hyphen or a zero-width space in it,
// the other IDNA form of its domain): key(stored, target) is today's key.
// It runs within a store's migration transaction, through q and exec.
//
// In crm_links and crm_intents a row keyed today's way is kept where an
// older form of the key has one too; else, of several older forms, the
// one written last. The rows not kept are deleted; a link among them to
// another CRM id than the one kept is returned as a clash (both records
// stay in the CRM: an operator merges them there). In the outbox, each
// contact operation's key and each deal's contact key is today's key, so
// that an operation left pending finds its person's link and waits
// behind the person's other operations; its properties are as mapped.
func RekeyContacts(ctx context.Context, d Dialect, q Query, exec Exec, key func(stored, target string) string) ([]ContactKeyClash, error) {
	clashes, err := rekeyTable(ctx, d, q, exec, key, "crm_links", "crm_id", "updated_at")
	if err != nil {
		return nil, fmt.Errorf("rekey contacts: crm_links: %w", err)
	}
	if _, err := rekeyTable(ctx, d, q, exec, key, "crm_intents", "sent_at", "sent_at"); err != nil {
		return nil, fmt.Errorf("rekey contacts: crm_intents: %w", err)
	}
	var old []keyedRow
	err = q(ctx, d(`SELECT DISTINCT target, key, '' FROM outbox WHERE kind = 'contact' AND key LIKE '%@%'
		UNION SELECT DISTINCT target, contact_key, '' FROM outbox WHERE kind = 'deal' AND contact_key LIKE '%@%'`),
		func(r Rows) error {
			var k keyedRow
			if err := r.Scan(&k.target, &k.key, &k.value); err != nil {
				return err
			}
			if key(k.key, k.target) != k.key {
				old = append(old, k)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("rekey contacts: outbox: %w", err)
	}
	for _, k := range old {
		to := key(k.key, k.target)
		if _, err := exec(ctx, d(`UPDATE outbox SET key = ?3 WHERE target = ?1 AND kind = 'contact' AND key = ?2`),
			k.target, k.key, to); err != nil {
			return nil, fmt.Errorf("rekey contacts: outbox: %w", err)
		}
		if _, err := exec(ctx, d(`UPDATE outbox SET contact_key = ?3 WHERE target = ?1 AND kind = 'deal' AND contact_key = ?2`),
			k.target, k.key, to); err != nil {
			return nil, fmt.Errorf("rekey contacts: outbox: %w", err)
		}
	}
	return clashes, nil
}

// rekeyTable is RekeyContacts on table (crm_links or crm_intents), whose
// value column is value and whose time of writing is at.
func rekeyTable(ctx context.Context, d Dialect, q Query, exec Exec, key func(stored, target string) string,
	table, value, at string) ([]ContactKeyClash, error) {
	// Newest first: of a key's older forms, the first read is kept.
	var rows []keyedRow
	err := q(ctx, d(`SELECT target, key, `+value+` FROM `+table+
		` WHERE kind = 'contact' AND key LIKE '%@%' ORDER BY `+at+` DESC, key`), func(r Rows) error {
		var k keyedRow
		var v any
		if err := r.Scan(&k.target, &k.key, &v); err != nil {
			return err
		}
		k.value = fmt.Sprint(v)
		rows = append(rows, k)
		return nil
	})
	if err != nil {
		return nil, err
	}
	type group struct {
		kept keyedRow // the row kept for today's key
		old  []keyedRow
	}
	groups := map[[2]string]*group{}
	var order [][2]string
	for _, k := range rows {
		g := [2]string{k.target, key(k.key, k.target)}
		if groups[g] == nil {
			groups[g] = &group{}
			order = append(order, g)
		}
		if k.key == g[1] {
			groups[g].kept = k
		} else {
			groups[g].old = append(groups[g].old, k)
		}
	}
	var clashes []ContactKeyClash
	for _, g := range order {
		gr := groups[g]
		if len(gr.old) == 0 {
			continue // keyed today's way alone
		}
		old := gr.old
		if gr.kept.key == "" { // the newest older form becomes today's key
			gr.kept, old = old[0], old[1:]
			if _, err := exec(ctx, d(`UPDATE `+table+` SET key = ?3 WHERE target = ?1 AND kind = 'contact' AND key = ?2`),
				g[0], gr.kept.key, g[1]); err != nil {
				return nil, err
			}
		}
		for _, o := range old {
			if _, err := exec(ctx, d(`DELETE FROM `+table+` WHERE target = ?1 AND kind = 'contact' AND key = ?2`),
				g[0], o.key); err != nil {
				return nil, err
			}
			if o.value != gr.kept.value {
				clashes = append(clashes, ContactKeyClash{Target: g[0], Kept: gr.kept.value, Other: o.value})
			}
		}
	}
	return clashes, nil
}
