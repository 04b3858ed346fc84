package postgres

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// An instance marks every database session it opens (its pool's, its
// LISTEN session, its leads') with a shared advisory lock of its own
// (DB.mark), and its heartbeat records that lock's key beside its row
// (sessionsState). The server ends the sessions of a killed process at
// once, and their locks with them, while its row stays fresh for up to
// leadLapse: an instance whose recorded lock no session holds is gone
// (syncd.Instance.Gone), and the session holding a lead's lock names
// the instance leading it, before its heartbeat records that it leads.
// Both are read from pg_locks, which every role may read.

// sessionsState prefixes the state row, by instance id, holding the key
// of the shared advisory lock every session of the instance holds.
const sessionsState = "instance_sessions:"

// ledParts are the parts an instance may lead.
var ledParts = []string{"report", "sync"}

// newMark returns a random advisory lock key for an instance's sessions:
// positive, as lockKey's, and unlike any other instance's.
func newMark() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>1) | 1
}

// markSession takes the instance's shared lock key on c, for as long as
// the session lasts. Nothing takes it exclusively: it never waits.
func markSession(ctx context.Context, c *pgx.Conn, key int64) error {
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock_shared($1)`, key); err != nil {
		return fmt.Errorf("mark session: %w", err)
	}
	return nil
}

// heldLock is an advisory lock a session holds.
type heldLock struct {
	key       int64
	pid       int32 // the server process of the session holding it
	exclusive bool
}

// heldLocks reads the advisory locks held in this database.
func (db *DB) heldLocks(ctx context.Context) ([]heldLock, error) {
	rows, err := db.pool.Query(ctx, `SELECT (classid::bigint << 32) | objid::bigint, pid, mode = 'ExclusiveLock' FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND pid IS NOT NULL
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		return nil, fmt.Errorf("locks held: %w", err)
	}
	locks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (heldLock, error) {
		var l heldLock
		err := r.Scan(&l.key, &l.pid, &l.exclusive)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("locks held: %w", err)
	}
	return locks, nil
}

// heldLeads tells, of each instance, whether it is gone and what it leads
// now, from the locks held (marks: each instance's recorded session lock
// key, by index; 0 for one that records none). An instance that marks its
// sessions leads the parts whose lock one of its sessions holds, recorded
// yet or not; one gone leads nothing. Of one that does not (an older
// syncd), only the parts its row records whose lock some session holds
// are kept: the lock of an instance killed goes with its session at once,
// while its row named it leader until it aged out.
func (db *DB) heldLeads(ctx context.Context, ins []syncd.Instance, marks []int64) error {
	locks, err := db.heldLocks(ctx)
	if err != nil {
		return err
	}
	held := map[int64]bool{}
	holder := map[int64]int32{} // an exclusive lock's session
	sessions := map[int64][]int32{}
	for _, l := range locks {
		held[l.key] = true
		if l.exclusive {
			holder[l.key] = l.pid
		} else {
			sessions[l.key] = append(sessions[l.key], l.pid)
		}
	}
	for i := range ins {
		if marks[i] == 0 {
			ins[i].Leads = slices.DeleteFunc(ins[i].Leads, func(part string) bool { return !held[lockKey(part)] })
			continue
		}
		pids := sessions[marks[i]]
		ins[i].Gone, ins[i].Leads = len(pids) == 0, nil
		for _, part := range ledParts {
			if pid, ok := holder[lockKey(part)]; ok && slices.Contains(pids, pid) {
				ins[i].Leads = append(ins[i].Leads, part)
			}
		}
	}
	return nil
}

// markOf parses an instance's recorded session lock key; 0 when none.
func markOf(s *string) int64 {
	if s == nil {
		return 0
	}
	k, _ := strconv.ParseInt(*s, 10, 64)
	return k
}
