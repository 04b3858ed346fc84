package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNewerSchema is in the chain of the error of a database whose schema
// a newer syncd migrated past this binary's (NewerWayBack).
var ErrNewerSchema = errors.New("database schema newer than this binary's")

// ErrRightsMissing is in the chain of serve's refusal of a role lacking a
// right it uses on one of syncd's tables (mayServe).
var ErrRightsMissing = errors.New("rights missing")

// ErrBadDSN is in the chain of the error of a DSN that does not parse, or
// names a TLS file that cannot be used.
var ErrBadDSN = errors.New("the DSN cannot be used")

// marked is err, its words alone, with mark (one of the Err values above)
// in its chain.
type marked struct{ err, mark error }

func (e marked) Error() string   { return e.err.Error() }
func (e marked) Unwrap() []error { return []error{e.err, e.mark} }

// refusedCodes are the server's refusals that stand until a person acts,
// beside its class 28 (a password, a pg_hba.conf line): a database that
// does not exist (3D000), a right the role lacks (42501), a schema that
// does not exist (3F000), a setting the DSN names that the server does not
// have (42704, a keyword misspelt).
var refusedCodes = map[string]bool{"3D000": true, "42501": true, "3F000": true, "42704": true}

// NeedsAPerson reports whether err, OpenWith's, refuses the database until
// a person acts, however often syncd connects again: a DSN that does not
// parse, TLS the server and the DSN do
// not agree on, the server refusing the password, the role or its rights,
// a setting or a database that does not exist, a schema a newer syncd
// migrated. A server not answering, starting, stopping or full for now
// (Unreachable) is not such a refusal, nor a database that takes no
// writes (a standby, which a failover may promote).
func NeedsAPerson(err error) bool {
	var pgErr *pgconn.PgError
	var tlsErr *tlsError
	switch {
	case err == nil || Unreachable(err):
		return false
	case errors.Is(err, ErrNewerSchema), errors.Is(err, ErrBadDSN), errors.Is(err, ErrRightsMissing), errors.As(err, &tlsErr):
		return true
	case errors.As(err, &pgErr):
		return refusedCodes[pgErr.Code] || len(pgErr.Code) == 5 && pgErr.Code[:2] == "28"
	}
	// A host name not found is not one: a mistyped name is told as well
	// by each start, and the name of a server on the network may resolve
	// later (a resolver or a record that comes up after syncd), where a
	// unit failed for good would refuse every lead meanwhile.
	return false
}
