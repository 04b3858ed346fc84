package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// createSchemaVersion creates the table of applied migrations where it
// is missing. PostgreSQL checks the right to create before it looks for
// the table (CREATE TABLE IF NOT EXISTS is refused to a role that may
// not create in the schema, the table there or not), so a role that may
// only read and write syncd's tables, which runs syncd on a schema its
// owner made, would be refused at every start.
func createSchemaVersion(ctx context.Context, conn *pgx.Conn) error {
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists); err != nil || exists {
		return err
	}
	_, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`)
	return err
}

// denied is deniedTo for the DSN's role and database, in the schema
// syncd's tables are in (the first of the search path).
func (db *DB) denied(ctx context.Context, doing string, from, to int, err error) error {
	schema := "public"
	var in *string
	if db.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&in) == nil && in != nil {
		schema = *in
	}
	return deniedTo(db.cfg.User, db.cfg.Database, schema, doing, from, to, err)
}

// deniedTo puts first, in err, when the server refused it for want of a
// privilege (SQLSTATE 42501), what user may not do in database and how
// it is given the right: doing says what was refused, "create" (the
// first start's tables), "read" (syncd's tables, which another role
// owns) or "migrate" (from schema from to to, which only the tables'
// owner may). Any other error is returned as it is.
func deniedTo(user, database, schema, doing string, from, to int, err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		return err
	}
	switch doing {
	case "create":
		return fmt.Errorf("user %s may not create tables in schema %s of database %s (where the first start "+
			"creates syncd's): make %s the database's owner (ALTER DATABASE %s OWNER TO %s) or GRANT CREATE ON SCHEMA "+
			"%s TO %s: %w", user, schema, database, user, database, user, schema, user, err)
	case "read":
		return fmt.Errorf("user %s may not read syncd's tables in database %s (another role owns them): run syncd as "+
			"that role, or as it GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO %s and GRANT "+
			"USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %s TO %s: %w", user, database, schema, user, schema, user, err)
	}
	return fmt.Errorf("user %s may not migrate the schema of database %s from %d to %d (only the owner of syncd's "+
		"tables may): start this syncd once with the DSN of the tables' owner, which migrates it, or make %s their "+
		"owner: %w", user, database, from, to, user, err)
}
