package storesql

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// DocumentTypes rewrites the type of the events an older syncd stored
// with a documented type in another case or with white space around it
// ("Email_Lead", " email_lead", "Portal_Submission") to that documented
// type, as intake stores it now (sender.DocumentedType), and returns how
// many it rewrote: the report and the mapper then read every type as it
// is stored. A type spelt otherwise ("email-lead") is left as it is. The
// body and everything else of the event stay as they are, its key too:
// the next migration's KeyByDeliveryID gives the key intake gives it now
// to those the CRM cannot know by their old one. It runs within a store's
// migration transaction, through q and exec.
//
// It reads the events whose type is none of the documented ones as
// stored (one pass over the table, which has no index of types; a type
// compared with ASCII literals, whatever the database's encoding) and
// rewrites those it names by their id, some hundreds a statement.
func DocumentTypes(ctx context.Context, d Dialect, q Query, exec Exec) (int, error) {
	var documented []string
	for _, s := range sender.All() {
		for _, t := range s.Types {
			if !slices.Contains(documented, t) {
				documented = append(documented, t)
			}
		}
	}
	if len(documented) == 0 {
		return 0, nil
	}
	// the ids of the events to rewrite, by the documented type, in the
	// order read
	rewrites := map[string][]any{}
	var order []string
	err := q(ctx, d(`SELECT id, kind, type FROM events WHERE type NOT IN ('`+strings.Join(documented, "', '")+`')`),
		func(r Rows) error {
			var (
				id        int64
				kind, typ string
			)
			if err := r.Scan(&id, &kind, &typ); err != nil {
				return err
			}
			if doc := sender.DocumentedType(syncd.Kind(kind), typ); doc != typ {
				if rewrites[doc] == nil {
					order = append(order, doc)
				}
				rewrites[doc] = append(rewrites[doc], id)
			}
			return nil
		})
	if err != nil {
		return 0, fmt.Errorf("document types: %w", err)
	}
	n := 0
	for _, doc := range order {
		ids := rewrites[doc]
		for len(ids) > 0 {
			batch := ids[:min(len(ids), typesBatch)]
			ids = ids[len(batch):]
			marks := make([]string, len(batch))
			for i := range batch {
				marks[i] = fmt.Sprintf("?%d", i+2)
			}
			c, err := exec(ctx, d(`UPDATE events SET type = ?1 WHERE id IN (`+strings.Join(marks, ", ")+`)`),
				append([]any{doc}, batch...)...)
			if err != nil {
				return 0, fmt.Errorf("document types: %w", err)
			}
			n += int(c)
		}
	}
	return n, nil
}

// typesBatch is how many events DocumentTypes rewrites in one statement:
// well below the parameters either database takes in one (SQLite 32,766,
// PostgreSQL 65,535).
const typesBatch = 500
