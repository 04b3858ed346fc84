package sqlite

import (
	"context"
	"fmt"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// ForgetLinks forgets, in one transaction, every CRM id and create intent
// recorded for target, and makes every delivered operation of each
// contact of target, and the newest delivered one of each deal, pending
// again, due now (storesql.ForgetLinks): the agency moved to another
// account of the same CRM, where those ids do not exist, and the adapters
// look the records up (by email, phone or lead id) and create them there.
// A deal whose newest operation is pending or dead is left as it is. The CRM erasures of target pending or dead are made dead, of
// cause syncd.DeadOtherAccount (syncd.DeadOtherAccountGivenUp when given
// up by hand already), which no retry sends: the ids they erase would
// name other records in the account the token belongs to now.
func (db *DB) ForgetLinks(ctx context.Context, target string) (syncd.ForgottenLinks, error) {
	var f syncd.ForgottenLinks
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return f, fmt.Errorf("forget links: %w", err)
	}
	defer tx.Rollback()
	if err := storesql.Run(ctx, txExec(tx), storesql.ForgetLinks(storesql.SQLite, &f, target, db.now())); err != nil {
		return f, fmt.Errorf("forget links: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return syncd.ForgottenLinks{}, fmt.Errorf("forget links: %w", err)
	}
	return f, nil
}
