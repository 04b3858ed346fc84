package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// copyMark is the state row in which CopyFrom records what it copied, so
// that a second run can tell its own copy from a database in use.
const copyMark = "copy.sqlite"

// copyRecord is copyMark's value: when the copy was made (the server's
// clock), the rows it copied per table, and a digest of them.
type copyRecord struct {
	At     time.Time        `json:"at"`
	Counts map[string]int64 `json:"counts"`
	Digest string           `json:"digest"`
}

// rowDigest is a digest of a set of rows, whatever the order they are
// read in: the XOR of each row's SHA-256 (each row is unique: every table
// copied has a primary key).
type rowDigest [sha256.Size]byte

// add adds one row of table, its values as convertRow made them.
func (d *rowDigest) add(table string, row []any) {
	h := sha256.New()
	h.Write([]byte(table))
	for _, v := range row {
		var s string
		switch x := v.(type) {
		case nil:
			s = "\x00"
		case []byte:
			s = "b" + string(x)
		case time.Time:
			s = "t" + x.UTC().Format(time.RFC3339Nano)
		default:
			s = fmt.Sprintf("%T%v", v, v)
		}
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	var sum rowDigest
	h.Sum(sum[:0])
	for i := range d {
		d[i] ^= sum[i]
	}
}

// CopiedError is CopyFrom's answer when the database holds a copy it made
// before, of this source or another: the copy is not made again.
type CopiedError struct {
	// At is when the earlier copy was made.
	At time.Time
	// Same: the source holds what was copied then, row for row; else
	// it changed since (a syncd ran on it after the copy).
	Same bool
	// Then and Now are the source's rows per table at the copy and now.
	Then, Now map[string]int64
	// Since is how many events the database holds that the copy did not
	// bring: leads the instances stored since.
	Since int64
}

func (e *CopiedError) Error() string {
	if e.Same {
		return fmt.Sprintf("the database holds a whole copy of it, made at %s", e.At.Format(time.RFC3339))
	}
	return fmt.Sprintf("the database holds a copy made at %s, and the SQLite database changed since (copied: %s; now: %s)",
		e.At.Format(time.RFC3339), Rows(e.Then), Rows(e.Now))
}

// Rows says rows per table as "events 3 rows, outbox 1 row", naming only
// those that hold rows, in copy order, as migrate-store's copy listed them
// (not "53 state, 1 erasures", a table's name read as a counted noun).
func Rows(counts map[string]int64) string {
	var parts []string
	for _, t := range copyTables {
		if n := counts[t.name]; n > 0 {
			parts = append(parts, t.name+" "+syncd.Counted(int(n), "row", "rows"))
		}
	}
	if len(parts) == 0 {
		return "no rows"
	}
	return strings.Join(parts, ", ")
}

// recordCopy records what CopyFrom copied (copyMark) in tx.
func recordCopy(ctx context.Context, tx pgx.Tx, at time.Time, counts map[string]int64, d rowDigest) error {
	v, err := json.Marshal(copyRecord{At: at.UTC(), Counts: counts, Digest: hex.EncodeToString(d[:])})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO state (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, copyMark, string(v), at)
	return err
}

// copiedBefore is CopyFrom's answer for a database that is not empty: a
// *CopiedError when it holds a copy CopyFrom made (comparing src now with
// what was copied), else refusal.
func copiedBefore(ctx context.Context, tx pgx.Tx, src *sql.DB, refusal error) error {
	var value string
	err := tx.QueryRow(ctx, `SELECT value FROM state WHERE name = $1`, copyMark).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return refusal
	}
	if err != nil {
		return err
	}
	var rec copyRecord
	if err := json.Unmarshal([]byte(value), &rec); err != nil {
		return fmt.Errorf("read the record of the earlier copy: %w", err)
	}
	now, d, err := readSource(ctx, src, nil)
	if err != nil {
		return err
	}
	e := &CopiedError{At: rec.At, Then: rec.Counts, Now: now, Same: hex.EncodeToString(d[:]) == rec.Digest &&
		maps.Equal(now, rec.Counts)}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&e.Since); err != nil {
		return err
	}
	e.Since -= rec.Counts["events"]
	return e
}

// readSource reads every copied table of src in copy order, giving each
// table's rows to each (when set), and returns the rows per table and
// their digest.
func readSource(ctx context.Context, src *sql.DB, each func(table string, cs []column, rows [][]any) error) (map[string]int64, rowDigest, error) {
	counts := map[string]int64{}
	var d rowDigest
	for _, t := range copyTables {
		rows, err := readTable(ctx, src, t.name, t.cols, t.where)
		if err != nil {
			return nil, d, fmt.Errorf("read %s: %w", t.name, err)
		}
		for _, r := range rows {
			d.add(t.name, r)
		}
		counts[t.name] = int64(len(rows))
		if each != nil {
			if err := each(t.name, t.cols, rows); err != nil {
				return nil, d, err
			}
		}
	}
	return counts, d, nil
}
