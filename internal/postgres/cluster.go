package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Leadership and nudges between instances, through PostgreSQL alone.

// Notification channels.
const (
	ChannelEvents = "syncd_events" // an intake committed events: map them
	ChannelOutbox = "syncd_outbox" // new or revived outbox operations: sync them
)

// Cluster timing. A leader pings its session every leaderPing; the server
// ends a session idle for longer than leaderIdle (a leader frozen or cut
// off), which frees its lock for another instance.
const (
	leaderPing  = time.Second
	leaderIdle  = 5 * time.Second
	leaderRetry = 2 * time.Second
	heartbeat   = 2 * time.Second
	// beatBound bounds a beat's writes and the stop's removal.
	beatBound = 5 * time.Second
)

// unled says what stops while no instance leads part, for a lead the
// server refused a session for want of connections (none spare in the
// pool either).
func unled(part string) string {
	switch part {
	case "sync":
		return "no session to lead the sync: no lead goes to the CRM"
	case "report":
		return "no session to lead the report: no daily report is made or mailed"
	}
	return "no session to lead " + part
}

// leading is the set of parts this process leads, for the heartbeat.
type leading struct {
	mu    sync.Mutex
	parts []string
}

func (l *leading) set(part string, on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.parts = slices.DeleteFunc(l.parts, func(p string) bool { return p == part })
	if on {
		l.parts = append(l.parts, part)
		slices.Sort(l.parts)
	}
}

func (l *leading) list() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.parts, ",")
}

// lockKey is the advisory lock of one led part.
func lockKey(part string) int64 {
	h := fnv.New64a()
	h.Write([]byte("syncd lead " + part))
	return int64(h.Sum64() >> 1)
}

// session opens a connection of its own (not from the pool), named for
// what it is for ("listen", "lead sync"): a lock or a LISTEN lives as long
// as it. A server with no connection left (its connection limit reached,
// the instances' pools keeping theirs) refused it every time, so no
// instance led the report or the sync; it then takes over an idle
// connection of the pool, when the pool holds another and want (when set)
// holds on it, or says errDeclined when want does not (spareConn).
func (db *DB) session(ctx context.Context, what string, want func(*pgx.Conn) bool) (*pgx.Conn, error) {
	cfg := named(db.cfg, db.ownName, what)
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil && db.mark != 0 {
		if err = markSession(ctx, c, db.mark); err != nil {
			c.Close(context.WithoutCancel(ctx))
			return nil, err
		}
	}
	if err == nil {
		return c, nil
	}
	err = connectError(db.cfg, db.pool.Config().MaxConns, err)
	if !Full(err) {
		return nil, err
	}
	c, declined := db.spareConn(ctx, cfg.RuntimeParams[appNameParam], want)
	switch {
	case c != nil:
		return c, nil
	case declined:
		return nil, errDeclined
	}
	return nil, err
}

// errDeclined is a session not taken over from the pool: what it was for
// did not hold on the pool's connection (the lock another instance holds).
var errDeclined = errors.New("the pool's idle connection declined")

// spareConn takes an idle connection out of the pool for a session of
// its own, renamed name unless the DSN names its sessions, when want
// (when set) holds on it: a lead's lock is tried first, so that an
// instance not leading keeps its pool whole, where it gave one connection
// up at every try. It returns nil when the pool has none idle or holds no
// other (it keeps one for intake; it opens another when it needs one and
// the server has one left), declined when want did not hold.
func (db *DB) spareConn(ctx context.Context, name string, want func(*pgx.Conn) bool) (c *pgx.Conn, declined bool) {
	idle := db.pool.AcquireAllIdle(ctx)
	defer func() {
		for _, p := range idle {
			p.Release()
		}
	}()
	if len(idle) == 0 || db.pool.Stat().TotalConns() < 2 {
		return nil, false
	}
	if want != nil && !want(idle[0].Conn()) {
		return nil, true
	}
	c, idle = idle[0].Hijack(), idle[1:]
	if db.ownName {
		return c, false
	}
	if _, err := c.Exec(ctx, `SELECT set_config($1, $2, false)`, appNameParam, name); err != nil {
		c.Close(context.WithoutCancel(ctx))
		return nil, false
	}
	return c, false
}

// tryLock takes the advisory lock of part on conn if it is free. The
// lock is the session's: taken twice, it holds until the session ends.
func tryLock(ctx context.Context, conn *pgx.Conn, part string) bool {
	var got bool
	err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, lockKey(part)).Scan(&got)
	return err == nil && got
}

// Lead runs fn while this instance holds the leadership of part, until ctx
// ends. Leadership is an advisory lock held by a session of its own: it
// goes with that session when the process dies or loses the database, and
// fn's context is cancelled as soon as a ping on the session fails. Other
// instances try to take it every couple of seconds. A fn that returns on
// its own ends Lead with its error.
func (db *DB) Lead(ctx context.Context, part string, fn func(context.Context) error) error {
	for ctx.Err() == nil {
		led, err := db.leadOnce(ctx, part, fn)
		if led {
			return err
		}
		select {
		case <-ctx.Done():
		case <-time.After(leaderRetry):
		}
	}
	return nil
}

// leadOnce tries the lock once; if it got it, it runs fn until fn returns
// (led true, fn's error) or the session fails (led false).
func (db *DB) leadOnce(ctx context.Context, part string, fn func(context.Context) error) (bool, error) {
	conn, err := db.session(ctx, "lead "+part, func(c *pgx.Conn) bool { return tryLock(ctx, c, part) })
	if errors.Is(err, errDeclined) { // another instance leads
		db.answered("lead " + part)
		return false, nil
	}
	if Full(err) {
		err = fmt.Errorf("%s, unless another instance leads it (syncd status says which): %w", unled(part), err)
	}
	if err != nil {
		db.report(&PartError{Part: "lead " + part, Err: fmt.Errorf("lead %s: %w", part, err), Connect: true})
		return false, nil
	}
	db.answered("lead " + part)
	defer conn.Close(context.WithoutCancel(ctx))
	if !tryLock(ctx, conn, part) {
		return false, nil
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`SET idle_session_timeout = %d`, leaderIdle.Milliseconds())); err != nil {
		return false, nil
	}
	db.leading.set(part, true)
	defer db.leading.set(part, false)
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(fctx) }()
	t := time.NewTicker(leaderPing)
	defer t.Stop()
	for {
		select {
		case err := <-done:
			return ctx.Err() == nil, err
		case <-t.C:
			pctx, pcancel := context.WithTimeout(ctx, leaderIdle/2)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil && ctx.Err() == nil {
				db.report(&PartError{Part: "lead " + part, Err: fmt.Errorf("lost leadership of %s: %w", part, err)})
				cancel()
				<-done
				return false, nil
			}
		}
	}
}

// Leads lists the parts this process leads now.
func (db *DB) Leads() []string {
	if s := db.leading.list(); s != "" {
		return strings.Split(s, ",")
	}
	return nil
}

// Listen calls on[channel] whenever another instance (or this one) notifies
// channel, until ctx ends; a lost session is opened again, and every
// handler is called once then, for what it may have missed.
func (db *DB) Listen(ctx context.Context, on map[string]func()) error {
	for ctx.Err() == nil {
		opened, err := db.listenOnce(ctx, on)
		if ctx.Err() != nil {
			break
		}
		db.report(&PartError{Part: "listen", Err: fmt.Errorf("listen: %w", err), Connect: !opened})
		select {
		case <-ctx.Done():
		case <-time.After(leaderRetry):
		}
	}
	return nil
}

// listenOnce listens until its session fails, and says whether it was
// opened at all.
func (db *DB) listenOnce(ctx context.Context, on map[string]func()) (opened bool, err error) {
	conn, err := db.session(ctx, "listen", nil)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// Idle by nature: an idle_session_timeout set on the role or the
	// database would end it every few seconds, each time an error logged
	// and the nudges sent meanwhile unheard until it reconnected.
	if _, err := conn.Exec(ctx, `SET idle_session_timeout = 0`); err != nil {
		return true, err
	}
	for ch := range on {
		if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{ch}.Sanitize()); err != nil {
			return true, err
		}
	}
	db.answered("listen")
	for _, f := range on {
		f()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		if f := on[n.Channel]; f != nil {
			f()
		}
	}
}

// Heartbeat records this instance in the instances table every couple of
// seconds, with the syncd version it runs (version, and the newest schema
// this binary knows) and the parts it leads, until ctx ends; it then
// removes it. Its times are the database server's clock, the one all
// instances share: a host whose clock is a few minutes off would otherwise
// look silent, or seen in the future, to the others. Each beat measures
// this host's clock against the server's, for the outbox's leases. With each beat it
// records settings() too, when it changed (a reload), and whether its last
// reload was rejected (ReloadRejected), for Instances.
func (db *DB) Heartbeat(ctx context.Context, listen, version string, settings func() string) error {
	host, _ := os.Hostname()
	started := db.now()
	id := fmt.Sprintf("%s:%d:%s", host, os.Getpid(), rand.Text()[:8]) // unique per run, even in one process
	t := time.NewTicker(heartbeat)
	defer t.Stop()
	recorded, rejected, marked := "", false, db.mark == 0
	for {
		// A beat's writes are not cut short by the stop: the server runs a
		// statement its client gave up on (pgx's cancel request is lost
		// when it comes first), after the stop's DELETE below had
		// committed, and the stopped instance stayed listed. Bounded, as
		// that DELETE is, so that a server that does not answer does not
		// hold the stop.
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), beatBound)
		if r := db.reloadRejected.Load(); r != rejected && db.recordReload(bctx, id, r) == nil {
			rejected = r
		}
		if s := settings(); s != recorded {
			// On the server's clock, as the instance's own times: status
			// tells how long settings have differed.
			if _, err := db.pool.Exec(bctx, `INSERT INTO state (name, value, updated_at) VALUES ($1, $2, clock_timestamp())
				ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				settingsState+id, s); err == nil {
				recorded = s
			}
		}
		if !marked { // the key of the lock its sessions hold, for Instances: once
			_, err := db.pool.Exec(bctx, `INSERT INTO state (name, value, updated_at) VALUES ($1, $2, clock_timestamp())
				ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				sessionsState+id, strconv.FormatInt(db.mark, 10))
			marked = err == nil
		}
		var seen time.Time
		sent := db.now()
		err := db.pool.QueryRow(bctx, `INSERT INTO instances (id, host, pid, listen, started_at, seen_at, leads, version, schema)
			VALUES ($1, $2, $3, $4, clock_timestamp() - make_interval(secs => $5), clock_timestamp(), $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, leads = excluded.leads RETURNING seen_at`,
			id, host, os.Getpid(), listen, sent.Sub(started).Seconds(), db.leading.list(), version, db.schema[1]).Scan(&seen)
		cancel()
		if err == nil {
			db.noteClock(sent, seen)
			db.answered("heartbeat")
		} else if ctx.Err() == nil {
			db.report(&PartError{Part: "heartbeat", Err: fmt.Errorf("heartbeat: %w", err), Connect: connectFailed(err)})
		}
		db.noticeNewerSchema(ctx)
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), beatBound)
			// One statement: the instance and its state rows go together.
			db.pool.Exec(dctx, `WITH gone AS (DELETE FROM instances WHERE id = $1)
				DELETE FROM state WHERE name IN ($2, $3, $4)`, id, settingsState+id, reloadState+id, sessionsState+id)
			cancel()
			return nil
		case <-t.C:
		}
	}
}

// noticeNewerSchema tells OnError, once, that another instance migrated
// the database past this binary's schema (a rolling upgrade under way):
// this instance goes on, but once restarted it does not start.
func (db *DB) noticeNewerSchema(ctx context.Context) {
	var v int
	err := db.pool.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM schema_version`).Scan(&v)
	if db.newer || err != nil || v <= db.schema[1] {
		return
	}
	db.newer = true
	db.report(fmt.Errorf("database schema %d is newer than this binary's %d: another instance runs a newer syncd; "+
		"this one goes on, but once restarted it will not start: install the newer syncd here", v, db.schema[1]))
}

// settingsState prefixes the state row holding an instance's settings (by
// its id): a row of the state table, not a new column, so no schema change.
const settingsState = "instance_settings:"

// reloadState prefixes the state row, by instance id, that is there while
// the instance's last reload was rejected; its updated_at is when its
// heartbeat recorded that, on the server's clock.
const reloadState = "instance_reload_rejected:"

// ReloadRejected tells this instance's heartbeat whether its last
// configuration reload was rejected (it runs on the configuration before
// it), so that syncd status on any host sees it: before, only this
// instance's own /metrics told it.
func (db *DB) ReloadRejected(rejected bool) { db.reloadRejected.Store(rejected) }

// recordReload records whether the last reload of instance id was
// rejected, as its state row.
func (db *DB) recordReload(ctx context.Context, id string, rejected bool) error {
	if !rejected {
		_, err := db.pool.Exec(ctx, `DELETE FROM state WHERE name = $1`, reloadState+id)
		return err
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO state (name, value, updated_at) VALUES ($1, 'rejected', clock_timestamp())
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, reloadState+id)
	return err
}

// Instances returns the instances seen within the last `within`, oldest
// start first, their times on this host's clock (Now), each leading the
// parts whose lock one of its sessions holds now, and Gone when none of
// its sessions is left (heldLeads); older rows (instances that died) are
// removed.
func (db *DB) Instances(ctx context.Context, within time.Duration) ([]syncd.Instance, error) {
	var server time.Time
	if err := db.pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&server); err != nil {
		return nil, fmt.Errorf("instances: %w", err)
	}
	skew := db.now().Sub(server) // this host's clock less the server's
	since := server.Add(-within)
	// Housekeeping, not the read's: on a database that takes no writes (a
	// replica, a read-only role: syncd status there) the old rows stay,
	// and the read below leaves them out all the same.
	if _, err := db.pool.Exec(ctx, `WITH gone AS (DELETE FROM instances WHERE seen_at < $1 RETURNING id)
		DELETE FROM state WHERE name IN (SELECT $2 || id FROM gone UNION ALL SELECT $3 || id FROM gone UNION ALL SELECT $4 || id FROM gone)`,
		since.Add(-time.Hour), settingsState, reloadState, sessionsState); err != nil && !readOnlyRefused(err) {
		return nil, fmt.Errorf("instances: %w", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT i.id, host, pid, listen, started_at, seen_at, leads, version, schema, COALESCE(s.value, ''),
		s.updated_at, r.updated_at, m.value FROM instances i LEFT JOIN state s ON s.name = $2 || i.id LEFT JOIN state r ON r.name = $3 || i.id
		LEFT JOIN state m ON m.name = $4 || i.id
		WHERE seen_at >= $1 ORDER BY started_at, i.id`, since, settingsState, reloadState, sessionsState)
	if err != nil {
		return nil, fmt.Errorf("instances: %w", err)
	}
	var marks []int64
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.Instance, error) {
		var in syncd.Instance
		var leads string
		var settingsAt, rejectedAt *time.Time
		var mark *string
		err := r.Scan(&in.ID, &in.Host, &in.PID, &in.Listen, &in.StartedAt, &in.SeenAt, &leads, &in.Version, &in.Schema, &in.Settings,
			&settingsAt, &rejectedAt, &mark)
		marks = append(marks, markOf(mark))
		in.StartedAt, in.SeenAt = in.StartedAt.Add(skew).UTC(), in.SeenAt.Add(skew).UTC()
		if settingsAt != nil {
			in.SettingsAt = settingsAt.Add(skew).UTC()
		}
		if rejectedAt != nil {
			in.ReloadRejectedAt = rejectedAt.Add(skew).UTC()
		}
		if leads != "" {
			in.Leads = strings.Split(leads, ",")
		}
		return in, err
	})
	if err != nil {
		return nil, fmt.Errorf("instances: %w", err)
	}
	return out, db.heldLeads(ctx, out, marks)
}

// PartError is a failure of one of the instance's parts that try again
// on their own, as told to OnError: Part is "listen" (the session
// hearing the other instances' nudges), "lead sync", "lead report" (a
// lead's session), or "heartbeat". Each tells OnAnswer once it reaches the
// database again.
type PartError struct {
	Part string
	Err  error // its text names the part, as logged before there was a Part
	// Connect: the part could not connect to the database (a session
	// that ended, or a statement that failed on an open connection, did
	// not: the server stopping, or a DBA ending it).
	Connect bool
}

// connectFailed reports whether err is a connection that could not be
// made, as the pool's statements say it.
func connectFailed(err error) bool { return errors.As(err, new(*pgconn.ConnectError)) }

func (e *PartError) Error() string { return e.Err.Error() }
func (e *PartError) Unwrap() error { return e.Err }

// answered tells OnAnswer, if set, that part reached the database.
func (db *DB) answered(part string) {
	if db.OnAnswer != nil {
		db.OnAnswer(part)
	}
}

// report tells OnError, if set.
func (db *DB) report(err error) {
	if db.OnError != nil && !errors.Is(err, context.Canceled) {
		db.OnError(err)
	}
}

// TryLead runs fn once if no instance leads part, holding part's lock
// meanwhile (so that no leader starts beside it), and reports whether it
// ran it. It is for a one-off run beside running instances: `syncd sync`.
func (db *DB) TryLead(ctx context.Context, part string, fn func(context.Context) error) (bool, error) {
	conn, err := db.session(ctx, "lead "+part+" once", nil)
	if err != nil {
		return false, fmt.Errorf("lead %s: %w", part, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, lockKey(part)).Scan(&got); err != nil {
		return false, fmt.Errorf("lead %s: %w", part, err)
	}
	if !got {
		return false, nil
	}
	// Unlocked before the session closes: the server ends a closed
	// session a moment later, and a run right after this one would find
	// the lock still held meanwhile.
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockKey(part))
	return true, fn(ctx)
}

// Notify nudges every instance listening on channel.
func (db *DB) Notify(ctx context.Context, channel string) error {
	if _, err := db.pool.Exec(ctx, `SELECT pg_notify($1, '')`, channel); err != nil {
		return fmt.Errorf("notify %s: %w", channel, err)
	}
	return nil
}
