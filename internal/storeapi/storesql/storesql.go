// Package storesql holds the statements both stores (internal/sqlite,
// internal/postgres) run alike, written once: with SQLite's numbered
// placeholders (?1, ?2), which a store on PostgreSQL renders as $1, $2
// (Dollar), and with arguments each store gives in its own types (SQLite
// keeps times as text on this host's clock, PostgreSQL as timestamptz on
// the server's). Each store runs the statements in its own transaction
// (Run). It stands apart from storeapi, which the stores do not import.
package storesql

import (
	"context"
	"strings"
)

// Dialect renders a statement written here in a store's own SQL: SQLite
// for the SQLite store, Dollar for PostgreSQL.
type Dialect func(query string) string

// SQLite is the SQLite store's dialect: statements are written in it.
func SQLite(query string) string { return query }

// Dollar is PostgreSQL's dialect: every placeholder ?N becomes $N.
func Dollar(query string) string {
	var b strings.Builder
	b.Grow(len(query))
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c == '?' && i+1 < len(query) && query[i+1] >= '0' && query[i+1] <= '9' {
			c = '$'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Step is one statement of a transaction and its arguments; N, when not
// nil, is set to how many rows it changed.
type Step struct {
	N    *int
	SQL  string
	Args []any
}

// Exec runs one statement in a store's transaction and returns how many
// rows it changed.
type Exec func(ctx context.Context, query string, args ...any) (int64, error)

// Run runs steps in order through exec, stopping at the first error.
func Run(ctx context.Context, exec Exec, steps []Step) error {
	for _, s := range steps {
		n, err := exec(ctx, s.SQL, s.Args...)
		if err != nil {
			return err
		}
		if s.N != nil {
			*s.N = int(n)
		}
	}
	return nil
}

// Rows are the rows a store's query returned, read one by one.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Query runs a query in a store's transaction and calls each for every
// row it returns, stopping at the first error.
type Query func(ctx context.Context, query string, each func(Rows) error, args ...any) error

// ForEach calls each for every row of rows, stopping at the first error,
// then closes them (done): a store's Query over its own rows.
func ForEach(rows Rows, done func(), each func(Rows) error) error {
	defer done()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
