package sqlite

import "database/sql"

// RawWriter gives this package's black-box tests (package sqlite_test) the
// writer pool, for what no method does: checking pragmas, injecting faults
// with triggers, seeding benchmarks in bulk. Compiled only into this
// package's tests.
func RawWriter(db *DB) *sql.DB { return db.w }

// BytesWritten is bytesWritten, for the black-box benchmarks.
var BytesWritten = bytesWritten
