package postgres

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// refusedData marks err as a refusal (syncd.ErrRefused) when PostgreSQL
// refused the data written, by its SQLSTATE: class 22 (a data exception: a
// NUL in text, a value out of range or too long for its column), class 23
// (an integrity constraint, or a trigger raising one), or 54000 (a value
// over a limit: an index row too big). Any other error, a lock or
// statement timeout, a serialization failure, a read-only server, a lost
// connection, is returned as it is: the same write may work later.
func refusedData(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	if strings.HasPrefix(pgErr.Code, "22") || strings.HasPrefix(pgErr.Code, "23") || pgErr.Code == "54000" {
		return syncd.Refusal(err)
	}
	return err
}
