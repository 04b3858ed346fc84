package sqlite

import (
	"context"
	"fmt"
	"time"
)

// UnconfirmedCreates counts the creates for target sent before sentBefore
// whose record is still not linked: creates whose answer was lost and that
// the CRM has not shown since (a Pipedrive create in doubt waits rather
// than risk a second record). The report raises them as an alarm.
func (db *DB) UnconfirmedCreates(ctx context.Context, target string, sentBefore time.Time) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM crm_intents i
		WHERE i.target = ? AND i.sent_at < ?
		  AND NOT EXISTS (SELECT 1 FROM crm_links l
		                  WHERE l.target = i.target AND l.kind = i.kind AND l.key = i.key AND l.crm_id <> '')`,
		target, fmtTime(sentBefore)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("unconfirmed creates: %w", err)
	}
	return n, nil
}
