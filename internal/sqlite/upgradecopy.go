package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// UpgradeCopy is the copy of the database as it was that Open took before
// it migrated the schema (an upgrade), beside the database: the way back
// to the older syncd, which no longer opens the migrated file. Marked as a
// backup taken at TakenAt, it starts as a restored backup when put back.
type UpgradeCopy struct {
	// Path is the copy; "" when none was taken (Err says why: the disk
	// full, say), and the migration went on without it.
	Path string
	// Schema is the schema the copy holds, the one the older syncd knows.
	Schema  int
	TakenAt time.Time
	Err     error
	// Size is the copy's size in bytes, as UpgradeCopiesBeside finds it.
	Size int64
}

// UpgradeCopyPath is where Open copies the database at path, of schema
// schema, before migrating it: syncd.db.schema-14.bak beside syncd.db.
func UpgradeCopyPath(path string, schema int) string {
	return fmt.Sprintf("%s.schema-%d.bak", path, schema)
}

// NextUpgradeCopyPath is where the next upgrade of the database at path,
// of schema schema, copies it: UpgradeCopyPath, or, with a copy of that
// schema there already (an earlier upgrade's, before an older backup was
// restored and is migrated now), the first of syncd.db.schema-14.2.bak,
// .3.bak, ... that is free: no copy replaces another, which may hold
// leads no other does.
func NextUpgradeCopyPath(path string, schema int) string {
	out := UpgradeCopyPath(path, schema)
	for n := 2; ; n++ {
		if fi, err := os.Lstat(out); err != nil || !fi.Mode().IsRegular() {
			return out
		}
		out = fmt.Sprintf("%s.schema-%d.%d.bak", path, schema, n)
	}
}

// upgradeCopyOf matches the names of the copies earlier upgrades of the
// database named base left, the schema in its first group
// (NextUpgradeCopyPath's names).
func upgradeCopyOf(base string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `\.schema-(\d+)(?:\.\d+)?\.bak$`)
}

// UpgradeCopiesBeside lists the copies upgrades took of the database at
// path that are beside it, the newest schema first (of one schema, the
// latest taken first), each with its size and when it was written
// (TakenAt).
func UpgradeCopiesBeside(path string) []UpgradeCopy {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return nil
	}
	own := upgradeCopyOf(filepath.Base(path))
	var out []UpgradeCopy
	for _, e := range entries {
		m := own.FindStringSubmatch(e.Name())
		info, err := e.Info()
		if m == nil || err != nil || !info.Mode().IsRegular() {
			continue
		}
		schema, _ := strconv.Atoi(m[1])
		out = append(out, UpgradeCopy{Path: filepath.Join(filepath.Dir(path), e.Name()), Schema: schema,
			TakenAt: info.ModTime(), Size: info.Size()})
	}
	slices.SortFunc(out, func(a, b UpgradeCopy) int {
		if a.Schema != b.Schema {
			return b.Schema - a.Schema
		}
		return b.TakenAt.Compare(a.TakenAt)
	})
	return out
}

// UpgradeCopy returns the copy this Open took before migrating the schema;
// the zero UpgradeCopy when it migrated nothing.
func (db *DB) UpgradeCopy() UpgradeCopy { return db.upgradeCopy }

// copyBeforeUpgrade copies the database, of schema schema, beside it
// before the migrations change it. The copies earlier upgrades left stay:
// an upgrade killed between two of its migrations (each its own
// transaction) starts again from a schema no release ran on, and its copy
// is no way back, while the one of the schema before is (an older syncd
// picks the newest copy it opens, see NewerSchemaError). Each is recorded
// as a backup, so erase and the purge name them, and status lists them.
// A copy that cannot be made is said, not a reason to stay on the older
// schema: the operator may hold backups of their own, and the daemon must
// serve. A copy of the same schema there already (an earlier upgrade's,
// before a backup older than it was restored) stays too: this one takes
// the next name (NextUpgradeCopyPath).
func (db *DB) copyBeforeUpgrade(ctx context.Context, schema int) UpgradeCopy {
	out := NextUpgradeCopyPath(db.path, schema)
	at := db.Now()
	if err := db.copyInto(ctx, db.w, out, at); err != nil {
		return UpgradeCopy{Schema: schema, Err: err}
	}
	return UpgradeCopy{Path: out, Schema: schema, TakenAt: at}
}
