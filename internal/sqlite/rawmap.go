package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// rawWriteTx runs fn in a write transaction on go-sqlite3's own connection,
// past database/sql: the gate orders it as writeTx's (gatedConn.BeginTx),
// and it commits when fn returns nil, else rolls back; a refusal is marked
// as writeTx marks it (refused). What database/sql
// would do for every statement in it (a Stmt bound to the transaction,
// the arguments boxed, checked and copied into a new slice, a Result
// wrapped) is left out; fn runs statements prepared on the connection.
// ctx must not be cancellable (batchContext): go-sqlite3 would run each
// statement on a goroutine of its own to be able to interrupt it.
func (db *DB) rawWriteTx(ctx context.Context, fn func(*gatedConn) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*gatedConn)
		if !ok {
			return fmt.Errorf("writer connection is a %T", dc)
		}
		tx, err := c.BeginTx(ctx, driver.TxOptions{})
		if err != nil {
			return err
		}
		committed := false
		defer func() {
			if !committed {
				tx.Rollback()
			}
		}()
		if err := fn(c); err != nil {
			return refused(err)
		}
		committed = true
		return refused(tx.Commit())
	})
}

// rawMapStmts are the mapper's statements prepared once on a writer
// connection for its life, with their arguments reused from one row to the
// next. They run only within rawWriteTx, which holds the connection.
type rawMapStmts struct {
	setMapState, insertOp, reinsertOp driver.StmtExecContext
	closers                           []driver.Stmt
	args                              [13]driver.NamedValue
	// deals are the deal operations of the transaction's mappings so
	// far, inserted after their contacts (insertDeals).
	deals []*syncd.Op
}

// mapStmts returns the connection's mapper statements, preparing them the
// first time.
func (c *gatedConn) mapStmts() (*rawMapStmts, error) {
	if c.maps != nil {
		return c.maps, nil
	}
	st := &rawMapStmts{}
	for i := range st.args {
		st.args[i].Ordinal = i + 1
	}
	for _, p := range []struct {
		to  *driver.StmtExecContext
		sql string
	}{{&st.setMapState, setMapStateSQL}, {&st.insertOp, insertOpSQL}, {&st.reinsertOp, reinsertOpSQL}} {
		s, err := c.Prepare(p.sql)
		if err != nil {
			st.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		st.closers = append(st.closers, s)
		x, ok := s.(driver.StmtExecContext)
		if !ok {
			st.close()
			return nil, errors.New("prepare: the driver's statement cannot run with a context")
		}
		*p.to = x
	}
	c.maps = st
	return st, nil
}

// text sets the arguments from the from'th on to vs. An argument that holds
// the same text from the row before keeps its value: a string made a
// driver.Value is a copy on the heap, and most of a mapping's columns (the
// time, target, mapping file and hash) repeat from one row to the next.
func (st *rawMapStmts) text(from int, vs ...string) {
	for i, v := range vs {
		a := &st.args[from+i]
		if old, ok := a.Value.(string); !ok || old != v {
			a.Value = v
		}
	}
}

// release lets go of the last row's values (a lead's properties) once a
// transaction is done with them.
func (st *rawMapStmts) release() {
	for i := range st.args {
		st.args[i].Value = nil
	}
	clear(st.deals)
	st.deals = st.deals[:0]
}

func (st *rawMapStmts) close() {
	for _, s := range st.closers {
		s.Close()
	}
	st.closers = nil
}

// exec runs s with the first n of st.args and returns the rows changed.
func (st *rawMapStmts) exec(ctx context.Context, s driver.StmtExecContext, n int) (int64, error) {
	res, err := s.ExecContext(ctx, st.args[:n])
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// record is the one write of a mapping (recordMappings'): it sets the
// event's mapping state and enqueues its ops, pending and due at now; an
// op whose (target, kind, key, properties) is already in the outbox is
// skipped, and inserted counts the new rows. found is false (and nothing
// written) when the event does not exist or was erased or purged. Its
// deals are only set aside, for insertDeals to insert before the
// transaction commits.
func (st *rawMapStmts) record(ctx context.Context, now string, m syncd.Mapping) (inserted int, found bool, err error) {
	a := &st.args
	st.text(0, string(m.State), m.Reason, now)
	a[3].Value = m.EventID
	n, err := st.exec(ctx, st.setMapState, 4)
	if err != nil || n == 0 {
		return 0, false, err
	}
	for i := range m.Ops {
		m.Ops[i].EventID = m.EventID
		if m.Ops[i].Kind == syncd.RecordDeal {
			st.deals = append(st.deals, &m.Ops[i])
			continue
		}
		n, err := st.insert(ctx, now, &m.Ops[i])
		if err != nil {
			return inserted, true, err
		}
		inserted += n
	}
	return inserted, true, nil
}

// insertDeals inserts the deals record set aside, in their order, after
// every other operation of the transaction: a transaction's contacts then
// lie side by side in the outbox's table, and so do its deals, and the
// syncer, which claims and finishes contacts and deals in batches of their
// own, rewrites half as many of the table's pages as when each lead's
// contact and deal shared one. Nothing waits on the order of operations
// of two kinds: a deal waits for its contact by the contact's key
// (waitsBehindNone), and operations on one record, of one kind, keep their
// order.
func (st *rawMapStmts) insertDeals(ctx context.Context, now string) (inserted int, err error) {
	for _, op := range st.deals {
		n, err := st.insert(ctx, now, op)
		if err != nil {
			return inserted, err
		}
		inserted += n
	}
	clear(st.deals)
	st.deals = st.deals[:0]
	return inserted, nil
}

// insert enqueues op, pending and due at now, unless its (target, kind,
// key, properties) is in the outbox already; it returns the rows inserted.
func (st *rawMapStmts) insert(ctx context.Context, now string, op *syncd.Op) (int, error) {
	st.args[0].Value = op.EventID
	row := opText(op, now)
	st.text(1, row[:]...)
	n, err := st.exec(ctx, st.insertOp, 13)
	if err == nil && n == 0 { // its hash is in the outbox: changed back to it?
		n, err = st.exec(ctx, st.reinsertOp, 13)
	}
	if err != nil {
		return 0, fmt.Errorf("insert ops: %w", err)
	}
	return int(n), nil
}

// mapGone tells an event erased or purged (nil: nothing to record) from one
// that does not exist (a syncd.ENotFound error).
func (c *gatedConn) mapGone(ctx context.Context, eventID int64) error {
	rows, err := c.QueryContext(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE id = ?)`,
		[]driver.NamedValue{{Ordinal: 1, Value: eventID}})
	if err != nil {
		return err
	}
	defer rows.Close()
	v := make([]driver.Value, 1)
	if err := rows.Next(v); err != nil {
		return err
	}
	if n, _ := v[0].(int64); n == 0 {
		return syncd.Errorf(syncd.ENotFound, "event %d not found", eventID)
	}
	return nil
}
