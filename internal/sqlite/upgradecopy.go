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

// upgradeCopyOf matches the names of the copies earlier upgrades of the
// database named base left, the schema in its first group.
func upgradeCopyOf(base string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `\.schema-(\d+)\.bak$`)
}

// UpgradeCopiesBeside lists the copies upgrades took of the database at
// path that are beside it, the newest schema first, each with its size
// and when it was written (TakenAt).
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
	slices.SortFunc(out, func(a, b UpgradeCopy) int { return b.Schema - a.Schema })
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
// serve.
func (db *DB) copyBeforeUpgrade(ctx context.Context, schema int) UpgradeCopy {
	out := UpgradeCopyPath(db.path, schema)
	at := db.Now()
	if err := db.copyInto(ctx, db.w, out, at); err != nil {
		return UpgradeCopy{Schema: schema, Err: err}
	}
	return UpgradeCopy{Path: out, Schema: schema, TakenAt: at}
}
