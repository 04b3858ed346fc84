package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pool is an instance's connection pool whose statements, when the server
// refuses the pool a new connection for its connection limit (53300),
// wait for one of the pool's own instead (up to poolWait): pgxpool fails
// a statement that finds its connections busy and its new one refused, so
// on a full server an instance whose pool held fewer than its bound
// answered 503 to a delivery while its own connection was free a moment
// later. Nothing was sent on a refused connection: the statement is
// sent once.
type pool struct{ *pgxpool.Pool }

// poolWait bounds a statement's wait for one of the pool's own
// connections, as a new connection's setup is bounded.
const poolWait = connectTimeout

// Exec is pgxpool's, waiting for a connection on a full server.
func (p *pool) Exec(ctx context.Context, sql string, args ...any) (tag pgconn.CommandTag, err error) {
	err = p.retry(ctx, func() error {
		tag, err = p.Pool.Exec(ctx, sql, args...)
		return err
	})
	return tag, err
}

// Query is pgxpool's, waiting for a connection on a full server.
func (p *pool) Query(ctx context.Context, sql string, args ...any) (rows pgx.Rows, err error) {
	err = p.retry(ctx, func() error {
		rows, err = p.Pool.Query(ctx, sql, args...)
		return err
	})
	return rows, err
}

// QueryRow is pgxpool's, waiting for a connection on a full server.
func (p *pool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	c, err := p.Acquire(ctx)
	if err != nil {
		return errRow{err}
	}
	return &poolRow{row: c.QueryRow(ctx, sql, args...), conn: c}
}

// Begin is pgxpool's, waiting for a connection on a full server.
func (p *pool) Begin(ctx context.Context) (tx pgx.Tx, err error) {
	return p.BeginTx(ctx, pgx.TxOptions{})
}

// BeginTx is pgxpool's, waiting for a connection on a full server.
func (p *pool) BeginTx(ctx context.Context, opts pgx.TxOptions) (tx pgx.Tx, err error) {
	err = p.retry(ctx, func() error {
		tx, err = p.Pool.BeginTx(ctx, opts)
		return err
	})
	return tx, err
}

// Acquire is pgxpool's, waiting for a connection on a full server.
func (p *pool) Acquire(ctx context.Context) (c *pgxpool.Conn, err error) {
	err = p.retry(ctx, func() error {
		c, err = p.Pool.Acquire(ctx)
		return err
	})
	return c, err
}

// retry runs do, and again each time it failed on a new connection the
// server refused for its limit while the pool holds connections of its
// own, once one of those is idle, up to poolWait.
func (p *pool) retry(ctx context.Context, do func() error) error {
	var deadline time.Time
	for {
		err := do()
		if !refusedForLimit(err) || p.Stat().TotalConns() == 0 {
			return triesOnce(err)
		}
		if deadline.IsZero() {
			deadline = time.Now().Add(poolWait)
		}
		if !p.waitIdle(ctx, deadline) {
			return triesOnce(err)
		}
	}
}

// waitIdle waits until the pool holds an idle connection, and reports
// whether it does before deadline and ctx ends.
func (p *pool) waitIdle(ctx context.Context, deadline time.Time) bool {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for p.Stat().IdleConns() == 0 {
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
	return true
}

// refusedForLimit reports whether err is a new connection the server
// refused for its connection limit: nothing was sent on it.
func refusedForLimit(err error) bool {
	var connErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	return errors.As(err, &connErr) && errors.As(err, &pgErr) && pgErr.Code == tooManyConnections
}

// poolRow is a row of one of the pool's connections, given back to the
// pool once scanned.
type poolRow struct {
	row  pgx.Row
	conn *pgxpool.Conn
}

func (r *poolRow) Scan(dest ...any) error {
	defer r.conn.Release()
	return r.row.Scan(dest...)
}

// errRow is a row that could not be queried.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
