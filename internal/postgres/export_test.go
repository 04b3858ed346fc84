package postgres

import "context"

// MeasureClock measures this host's clock against the server's again, as
// Open does. A test that sets Now after Open calls it: otherwise what it
// does next races the first heartbeat, which measures the clock just after
// recording the instance that Instances shows.
func (db *DB) MeasureClock(ctx context.Context) error { return db.measureClock(ctx) }

// PoolConns is how many connections the pool holds now.
func (db *DB) PoolConns() int32 { return db.pool.Stat().TotalConns() }

// LockKey is the advisory lock key of a led part.
func LockKey(part string) int64 { return lockKey(part) }

// SessionsState prefixes the state row holding an instance's session lock key.
const SessionsState = sessionsState
