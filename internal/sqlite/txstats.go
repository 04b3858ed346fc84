package sqlite

import "sync/atomic"

// Transactions counts the write transactions of the intake writer, the
// mapper and the syncer since the database was opened, and what they
// held. A transaction's fixed work (its pages at the ends of the tables
// and indexes, written again by each commit) is shared among what it
// holds: these say how well each writer batches.
type Transactions struct {
	Intake     int64 // intake commits
	Deliveries int64 // deliveries they stored
	Mapping    int64 // transactions of RecordMapping(s)
	Mapped     int64 // events they recorded
	Sync       int64 // transactions of FinishAndClaimOps and FinishOps
	SyncOps    int64 // operations they finished or claimed
}

// txCounters are the live counts behind Transactions.
type txCounters struct {
	intake, deliveries, mapping, mapped, sync, syncOps atomic.Int64
}

// Transactions returns the counts so far.
func (db *DB) Transactions() Transactions {
	c := &db.txs
	return Transactions{Intake: c.intake.Load(), Deliveries: c.deliveries.Load(), Mapping: c.mapping.Load(),
		Mapped: c.mapped.Load(), Sync: c.sync.Load(), SyncOps: c.syncOps.Load()}
}
