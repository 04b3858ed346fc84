package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// cmdBackup writes a consistent copy of the database, safe beside a
// running daemon: backup -out FILE. It records the copy in the database,
// so that erase and export can name it (it holds everyone syncd held).
func cmdBackup(ctx context.Context, c *cli) int {
	fs := c.flags("backup")
	file := fs.String("config", defaultConfig, "configuration file")
	out := fs.String("out", "", "the backup file to write (replaced atomically)")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err, plainExits("the copy written (an earlier backup there is replaced)", "bad flags, an invalid configuration, a store that is not SQLite (PostgreSQL: pg_dump, base backups), or\n     an -out that is a directory, in a directory that does not exist or it may not write,\n     the database itself, a file there that is no database (the erasure log, a configuration), or a copy syncd keeps\n     beside the database (syncd.db.schema-N.bak, syncd.db.lost-TIME)")...)
	}
	// The store first: on PostgreSQL, backup without -out asked for one
	// (exit 2), then refused it (exit 1).
	cfg, ok := c.loadReaderConfig(*file) // backup only reads: no secret needed
	if !ok {
		return exitUsage
	}
	if cfg.Store.Kind != config.StoreSQLite {
		c.notSQLite(cfg)
		return exitUsage
	}
	if *out == "" {
		fmt.Fprintln(c.stderr, "syncd backup: -out FILE is required: the file to write the copy to (syncd backup -out /var/backups/syncd/syncd.db)")
		return exitUsage
	}
	return c.withDB(ctx, cfg, func(_ *config.Config, db *sqlite.DB) int {
		if db.ReadOnly() == nil { // on a restored backup, the later ones first: this copy is none of them
			if err := recordLaterBackups(ctx, db); err != nil {
				fmt.Fprintf(c.stderr, "syncd backup: the backups taken after the restored one are not recorded (the next command that writes "+
					"to the database looks again): %v\n", err)
			}
		}
		if err := db.Backup(ctx, *out); err != nil {
			return c.failCopy(err)
		}
		fmt.Fprintln(c.stdout, *out)
		if db.ReadOnly() != nil {
			fmt.Fprintln(c.stderr, "syncd backup: the database is read-only, so this copy is not recorded in it: "+
				"syncd erase and export will not name it as holding the people they find")
			return exitOK
		}
		if err := recordBackup(ctx, db, *out, time.Now()); err != nil {
			fmt.Fprintf(c.stderr, "syncd backup: the copy is made, but not recorded in the database (syncd erase and export will not name it): %v\n", err)
		}
		return exitOK
	})
}

// backupsState names the state row listing the backups syncd backup made
// (JSON, a list of madeBackup).
const backupsState = "backups"

// madeBackup is a copy syncd backup made: it holds every person the
// database held when it was taken, out of syncd's reach.
type madeBackup struct {
	Path    string    `json:"path"`
	TakenAt time.Time `json:"taken_at"`
}

// stateStore reads and writes the state rows.
type stateStore interface {
	stateReader
	SwapStateValue(ctx context.Context, name, old, value string) (bool, error)
}

// recordBackup adds the backup at path, taken at at, to the list in db,
// forgetting those no longer at their path (deleted by the operator's
// rotation) and an older one at the same path (replaced). It writes the
// list only over the one it read: a backup recorded meanwhile by another
// syncd backup (two at once) is read again and kept, not written over.
func recordBackup(ctx context.Context, db stateStore, path string, at time.Time) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	for range 100 {
		old, _, err := db.StateValue(ctx, backupsState)
		if err != nil {
			return err
		}
		list, err := parseBackups(old)
		if err != nil {
			return err
		}
		list = slices.DeleteFunc(list, func(b madeBackup) bool { return b.Path == abs || !exists(b.Path) })
		b, err := json.Marshal(append(list, madeBackup{Path: abs, TakenAt: at.UTC()}))
		if err != nil {
			return err
		}
		if swapped, err := db.SwapStateValue(ctx, backupsState, old, string(b)); err != nil || swapped {
			return err
		}
	}
	return errors.New("record the backup: the list of backups kept changing under it (other backups at once)")
}

// recordLaterBackups records in db, a restored backup first opened by a
// writer, the backups syncd backup made from the backup's own time on
// (itself among them) that are in the directory it was written to, in
// those of the backups it records, and in those of the backups the ones
// it finds record (a backup written elsewhere with -out before a later
// one was taken where the others are): the database it was taken of
// recorded them after the copy was taken, so without this erase and
// export did not name them as holding the people they find, nor the
// purge them once older than the retention. It looks until it could read
// every directory and file there (the daemon's user may not read root's
// backups: root's next command does), then no more
// (sqlite.StateLaterBackupsSought); a file that is no such backup is
// passed over.
func recordLaterBackups(ctx context.Context, db *sqlite.DB) error {
	v, ok, err := db.StateValue(ctx, sqlite.StateBackupTaken)
	if err != nil || !ok {
		return err
	}
	if _, sought, err := db.StateValue(ctx, sqlite.StateLaterBackupsSought); err != nil || sought {
		return err
	}
	taken, err := syncd.ParseTime(v)
	if err != nil {
		return fmt.Errorf("%s: %w", sqlite.StateBackupTaken, err)
	}
	list, err := madeBackups(ctx, db)
	if err != nil {
		return err
	}
	dirs := map[string]bool{}
	for _, b := range list {
		dirs[filepath.Dir(b.Path)] = true
	}
	// Where the copy was written: the first backup records no other.
	if at, ok, err := db.StateValue(ctx, sqlite.StateBackupWrittenTo); err != nil {
		return err
	} else if ok && at != "" {
		dirs[filepath.Dir(at)] = true
	}
	whole := true // every directory and backup read: not to be looked at again
	for queue := slices.Sorted(maps.Keys(dirs)); len(queue) > 0; {
		dir := queue[0]
		queue = queue[1:]
		entries, err := os.ReadDir(dir)
		if err != nil {
			whole = whole && errors.Is(err, fs.ErrNotExist) // one not open to this user (the daemon's): root's next command
			continue
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") || sameFile(p, db.Path()) {
				continue
			}
			f, err := os.Open(p)
			if err != nil {
				whole = whole && !errors.Is(err, fs.ErrPermission)
				continue
			}
			f.Close()
			if at, ok := sqlite.BackupTakenAt(p); ok && !at.Before(taken) {
				if err := recordBackup(ctx, db, p, at); err != nil {
					return err
				}
				for _, d := range backupDirsIn(p) { // one written elsewhere (-out) before it
					if !dirs[d] {
						dirs[d] = true
						queue = append(queue, d)
					}
				}
			}
		}
	}
	if !whole {
		return nil
	}
	return db.SetStateValue(ctx, sqlite.StateLaterBackupsSought, syncd.FormatTime(time.Now()))
}

// backupDirsIn are the directories of the backups the backup at path
// records: those syncd backup wrote before it was taken, wherever -out
// put them; none when it records none or cannot be read.
func backupDirsIn(path string) []string {
	v, ok := sqlite.BackupStateValue(path, backupsState)
	if !ok {
		return nil
	}
	var list []madeBackup
	if json.Unmarshal([]byte(v), &list) != nil {
		return nil
	}
	var out []string
	for _, b := range list {
		out = append(out, filepath.Dir(b.Path))
	}
	return out
}

// madeBackups is the list of backups recorded in db.
func madeBackups(ctx context.Context, db stateReader) ([]madeBackup, error) {
	v, ok, err := db.StateValue(ctx, backupsState)
	if err != nil || !ok {
		return nil, err
	}
	return parseBackups(v)
}

// parseBackups reads the list of backups as recorded ("" for none).
func parseBackups(v string) ([]madeBackup, error) {
	if v == "" {
		return nil, nil
	}
	var list []madeBackup
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		return nil, fmt.Errorf("read the backups made: %w", err)
	}
	return list, nil
}

// backupsHolding are the recorded backups still at their path and taken
// after the earliest of times (when the person's data came): they hold
// the person. None when times is empty. A backup that is the database
// itself, self (one restored where it was written, which inherited the
// list), is not named.
func backupsHolding(ctx context.Context, db stateReader, times []time.Time, self string) ([]madeBackup, error) {
	if len(times) == 0 {
		return nil, nil
	}
	first := slices.MinFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	list, err := madeBackups(ctx, db)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(b madeBackup) bool {
		return b.TakenAt.Before(first) || !exists(b.Path) || self != "" && sameFile(b.Path, self)
	}), nil
}

// exists reports whether a file is at path (one that cannot be looked at
// is taken to be there).
func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// sqlitePath is the SQLite database's path, or "" on another store.
func sqlitePath(cfg *config.Config) string {
	if cfg.Store.Kind != config.StoreSQLite {
		return ""
	}
	return cfg.DBPath()
}

// pastRetention is a backup syncd backup made taken longer ago than a
// retention setting's days: what it holds of that kind is all kept past
// the retention, out of syncd's reach.
type pastRetention struct {
	madeBackup
	Setting string // the shortest setting it is past, e.g. retention.event_days
	Days    int
}

// backupsPastRetention are the recorded backups still at their path taken
// before now less the shortest of the retention's days for personal data
// (event bodies, quarantined bodies, CRM operations; 0 keeps for ever). A
// backup that is the database itself, self, is not named.
func backupsPastRetention(ctx context.Context, db stateReader, keep syncd.Retention, now time.Time, self string) ([]pastRetention, error) {
	setting, days := shortestRetention(keep)
	if days == 0 {
		return nil, nil
	}
	list, err := madeBackups(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []pastRetention
	for _, b := range list {
		if b.TakenAt.Before(now.AddDate(0, 0, -days)) && exists(b.Path) && (self == "" || !sameFile(b.Path, self)) {
			out = append(out, pastRetention{madeBackup: b, Setting: setting, Days: days})
		}
	}
	return out, nil
}

// removeKilledBackups deletes, beside each backup syncd backup made, the
// partial copies backups killed there more than an hour ago left (see
// sqlite.RemoveKilledCopies), and returns their paths: without a backup
// into that directory after them, nothing else would.
func removeKilledBackups(ctx context.Context, db stateReader, now time.Time) ([]string, error) {
	list, err := madeBackups(ctx, db)
	var removed []string
	for _, b := range list {
		removed = append(removed, sqlite.RemoveKilledCopies(b.Path, now)...)
	}
	return removed, err
}
