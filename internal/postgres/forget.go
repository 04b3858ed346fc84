package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

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
	err := db.tx(ctx, "forget links", func(tx pgx.Tx) error {
		now := db.serverNow() // next attempts and update times: the server's clock
		if err := storesql.Run(ctx, txExec(tx), storesql.ForgetLinks(storesql.Dollar, &f, target, now)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT pg_notify('syncd_outbox', '')`)
		return err
	})
	if err != nil {
		return syncd.ForgottenLinks{}, err
	}
	return f, nil
}
