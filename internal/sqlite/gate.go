package sqlite

import (
	"context"
	"database/sql/driver"
	"sync"

	"github.com/mattn/go-sqlite3"
)

// writeGate orders the write transactions of one process: one at a time,
// and the intake writer's before anyone else's. database/sql hands a free
// connection to a random waiter, and SQLite's busy handler polls with
// sleeps; neither knows that a sender is waiting for its answer behind the
// mapper or the syncer. Under sustained intake the others wait: they catch
// up once the burst is stored.
type writeGate struct {
	mu   sync.Mutex
	cond *sync.Cond
	busy bool
	high int // intake transactions waiting
}

func newWriteGate() *writeGate {
	g := &writeGate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// acquire waits for the gate; high is the intake writer, which goes first.
func (g *writeGate) acquire(high bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if high {
		g.high++
		defer func() { g.high-- }()
	}
	for g.busy || (!high && g.high > 0) {
		g.cond.Wait()
	}
	g.busy = true
}

// intakeWaiting reports whether an intake transaction waits for the gate:
// a long transaction of another writer should commit and let it in.
func (g *writeGate) intakeWaiting() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.high > 0
}

func (g *writeGate) release() {
	g.mu.Lock()
	g.busy = false
	g.mu.Unlock()
	g.cond.Broadcast()
}

// intakeKey marks the context of the intake writer's transactions.
type intakeKey struct{}

func intakeContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, intakeKey{}, true)
}

// gatedConnector opens go-sqlite3 connections whose transactions pass the
// gate. Everything but Begin is the driver's own connection.
type gatedConnector struct {
	dsn  string
	drv  *sqlite3.SQLiteDriver
	gate *writeGate
}

func (c gatedConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &gatedConn{SQLiteConn: conn.(*sqlite3.SQLiteConn), gate: c.gate}, nil
}

func (c gatedConnector) Driver() driver.Driver { return c.drv }

type gatedConn struct {
	*sqlite3.SQLiteConn
	gate *writeGate
	maps *rawMapStmts // the mapper's statements on this connection, once it has written
}

// Close finalizes the connection's own statements, then closes it: SQLite
// keeps a connection with statements open alive until they are finalized.
func (c *gatedConn) Close() error {
	if c.maps != nil {
		c.maps.close()
		c.maps = nil
	}
	return c.SQLiteConn.Close()
}

func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.gate.acquire(ctx.Value(intakeKey{}) != nil)
	tx, err := c.SQLiteConn.BeginTx(ctx, opts)
	if err != nil {
		c.gate.release()
		return nil, err
	}
	return &gatedTx{Tx: tx, gate: c.gate}, nil
}

func (c *gatedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// gatedTx releases the gate once, when it commits or rolls back.
type gatedTx struct {
	driver.Tx
	gate *writeGate
	once sync.Once
}

func (t *gatedTx) Commit() error {
	defer t.once.Do(t.gate.release)
	return t.Tx.Commit()
}

func (t *gatedTx) Rollback() error {
	defer t.once.Do(t.gate.release)
	return t.Tx.Rollback()
}
