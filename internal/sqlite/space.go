package sqlite

import (
	"context"
	"fmt"
)

// FileSpace is the size of the database, its pages as committed, and how
// much of it is free pages: the room purges, erasures and drained outboxes
// left. SQLite reuses free pages for new rows but never gives them back to
// the file system by itself (the database has no auto_vacuum), so the file
// keeps the size of its fullest day; secure delete has zeroed them.
func (db *DB) FileSpace(ctx context.Context) (size, free int64, err error) {
	var pageSize, pages, freePages int64
	err = db.r.QueryRowContext(ctx, `SELECT page_size, page_count, freelist_count
FROM pragma_page_size, pragma_page_count, pragma_freelist_count`).Scan(&pageSize, &pages, &freePages)
	if err != nil {
		return 0, 0, fmt.Errorf("file space: %w", err)
	}
	return pages * pageSize, freePages * pageSize, nil
}
