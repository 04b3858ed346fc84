// Package postgres is syncd's store on PostgreSQL (jackc/pgx/v5), for
// several instances sharing one database: the same tables and methods as
// internal/sqlite, with intake duplicates found by a unique key (ON
// CONFLICT) instead of one writer's memory, outbox claims with FOR UPDATE
// SKIP LOCKED and leases, LISTEN/NOTIFY to nudge the other instances, and
// leadership through advisory locks held by a session.
//
// Every commit is durable before it is answered: synchronous_commit is
// kept on (a server default of off is overridden per connection).
package postgres

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/syncd-dev/syncd/internal/migration"
	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrateLock is the advisory lock key instances take while migrating, so
// that two starting at once do not both apply a migration.
const migrateLock = 0x73796e6364 // "syncd"

// idleInTransaction is how long the server lets a transaction of this
// instance's pool wait for its next statement before it ends it (and the
// session): well under intake.answer_within (10 s), so that another
// instance's intake waiting for its locks still answers 200. syncd's
// transactions send their statements back to back; a paused process is
// the only long wait.
const idleInTransaction = 5 * time.Second

// connectTimeout bounds a connection's setup when the DSN sets no
// connect_timeout: a server that takes the connection and never answers
// would otherwise hold a start, or a command, for ever.
const connectTimeout = 10 * time.Second

// DB is an open syncd database on PostgreSQL.
type DB struct {
	pool *pool
	cfg  *pgx.ConnConfig // for the sessions that hold a lock or listen
	// ownName: the DSN names its sessions (application_name), kept on
	// every one.
	ownName bool
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// OnError, when set, is told of store failures that callers only see
	// as "unavailable" (a failed group commit), so they can be logged.
	OnError func(error)
	// OnAnswer, when set, is told each time one of the parts that fail
	// with a PartError (the listen session, a lead's session, the
	// heartbeat) reached the database: with OnError, when the database
	// stopped answering and when it answered again.
	OnAnswer func(part string)

	leading leading // the parts this process leads
	// mark is the key of the shared advisory lock every session of a
	// serving instance holds (leadheld.go); 0 for a command's.
	mark int64
	// schema is the version Open found and the one it left.
	schema [2]int
	// clashes are the persons migrating found linked to two CRM records
	// (KeyClashes).
	clashes []storesql.ContactKeyClash
	// leads counts the leads migrating rekeyed and handed back to the
	// mapper (LeadsUpgraded).
	leads storesql.LeadsUpgraded
	// newer: a newer schema (another instance's migration) was reported.
	newer bool
	// skew is this host's clock less the database server's, in
	// nanoseconds, as last measured (at Open, then by each heartbeat: serverNow).
	skew atomic.Int64
	// swept is when (Unix nanoseconds, this host's clock) a claim of deals
	// last took off stale waiting marks (sweepWaits).
	swept atomic.Int64
	// reloadRejected: this instance's last configuration reload was
	// rejected (ReloadRejected); its heartbeat records it for the others.
	reloadRejected atomic.Bool
	// copyChecked, when set, is called by CopyFrom once it found the
	// database empty, before it writes: tests hold the race open there.
	copyChecked func()
}

// Options are what OpenWith takes beyond the DSN.
type Options struct {
	// Migrating, when set, is told what a start waits for before it
	// does: "waiting for another instance to migrate the database schema"
	// when another holds the migration lock, "migrating the database
	// schema" when this one applies migrations. Either may take longer
	// than a service manager's start timeout (an index built on a large
	// table).
	Migrating func(status string)
	// Name says, in the pool's sessions' application_name, what opened
	// the database ("serve"; "command" when empty): see named.
	Name string
	// Serving: the daemon opens the database. A role lacking a right it
	// uses on one of syncd's tables is refused, each named: it would
	// take leads it cannot send (a lead sent whose CRM id it may not
	// record is sent again once its lease ends).
	Serving bool
	// ContactKey is the contact key today's mapper gives a contact's
	// stored email key for a CRM target (mapping.EmailKey): migrating an
	// existing database past schema 15 rewrites the keys an older syncd
	// stored in another form with it, and fails without it.
	ContactKey func(stored, target string) string
}

// Open connects to the database dsn names and migrates it to the newest
// schema under an advisory lock.
func Open(ctx context.Context, dsn string) (*DB, error) { return OpenWith(ctx, dsn, Options{}) }

// OpenWith is Open, telling opts.Migrating what the start waits for.
func OpenWith(ctx context.Context, dsn string, opts Options) (*DB, error) {
	pcfg, err := parseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	if pcfg.ConnConfig.ConnectTimeout == 0 {
		pcfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pcfg.AfterConnect = durable
	var mark int64
	if opts.Serving {
		mark = newMark()
		pcfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			if err := durable(ctx, c); err != nil {
				return err
			}
			return markSession(ctx, c, mark)
		}
	}
	own := ownName(pcfg.ConnConfig)
	base := pcfg.ConnConfig // the lock and LISTEN sessions', each named for its own
	pcfg.ConnConfig = named(pcfg.ConnConfig, own, cmp.Or(opts.Name, "command"))
	pgxPool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	conns := &pool{pgxPool}
	db := &DB{pool: conns, cfg: base, ownName: own, Now: time.Now, mark: mark}
	if err := conns.Ping(ctx); err != nil {
		conns.Close()
		return nil, refused(db.cfg, connectError(db.cfg, pcfg.MaxConns, err))
	}
	if err := serverVersion(ctx, conns, db.Where()); err != nil {
		conns.Close()
		return nil, err
	}
	if opts.Serving {
		if why, err := readOnly(ctx, conns, db.cfg.User, db.cfg.Database); err != nil || why != "" {
			conns.Close()
			return nil, cmp.Or(err, fmt.Errorf("%s takes no writes, so serve could store no lead there: %s", db.Where(), why))
		}
	}
	if err := db.migrate(ctx, opts.Migrating, opts.ContactKey); err != nil {
		conns.Close()
		return nil, err
	}
	if opts.Serving {
		if err := db.mayServe(ctx); err != nil {
			conns.Close()
			return nil, err
		}
	}
	if err := db.measureClock(ctx); err != nil {
		conns.Close()
		return nil, err
	}
	return db, nil
}

// measureClock measures this host's clock against the database server's
// for serverNow, as each heartbeat does again: a command (syncd sync by
// hand, outbox list) runs no heartbeat, and on its host's clock alone a
// lease another instance holds on the server's could look run out.
func (db *DB) measureClock(ctx context.Context) error {
	var seen time.Time
	sent := db.now()
	if err := db.pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&seen); err != nil {
		return fmt.Errorf("open db: read the server's clock: %w", err)
	}
	db.noteClock(sent, seen)
	return nil
}

// noteClock keeps the skew of this host's clock against the server's,
// which answered seen to a statement sent at sent: the server's clock was
// read about half-way through the round trip, so the skew is known within
// half of it, and one within that is taken as none (two clocks that agree,
// a server on this host: leases and their times are this host's own).
func (db *DB) noteClock(sent, seen time.Time) {
	half := db.now().Sub(sent) / 2
	skew := sent.Add(half).Sub(seen)
	if skew.Abs() <= half {
		skew = 0
	}
	db.skew.Store(int64(skew))
}

// transient are the refusals of a server that may take the connection
// when asked again: starting up or shutting down, too many connections.
var transient = map[string]bool{"57P03": true, "57P01": true, "53300": true}

// tooManyConnections is the server's refusal for its connection limit:
// max_connections (less the connections reserved for superusers), or a
// CONNECTION LIMIT on the role or the database.
const tooManyConnections = "53300"

// sessions is how many connections an instance holds beside its pool's:
// the LISTEN session and the sync and report leaders' (see cluster.go).
const sessions = 3

// connectError names the database c connects to, which could not be
// reached. Not reaching it (no answer, a refused or reset connection, a
// timeout, a server starting, stopping or full) is unavailable: worth
// trying again, unlike a refused password, a database that does not exist
// or TLS the server and the DSN do not agree on (tlsProblem). A server
// full for c's user (its connection limit reached) is said so, with how
// many connections an instance whose pool holds up to pool takes, and the
// way out.
func connectError(c *pgx.ConnConfig, pool int32, err error) error {
	err = triesOnce(err)
	where, user := where(c), c.User
	if tlsErr := tlsProblem(c, where, err); tlsErr != nil {
		return tlsErr
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == tooManyConnections {
		return &fullError{syncd.Errorf(syncd.EUnavailable, "the server has no connection left for user %s "+
			"(its max_connections, or a CONNECTION LIMIT on the role or the database, reached): each syncd instance holds "+
			"up to %d connections, every command one or two more while it runs; raise the limit, or bound each instance's "+
			"pool with pool_max_conns=N in the DSN: connect %s: %v", user, pool+sessions, where, err)}
	}
	if dns := unresolved(err); dns != nil {
		return dnsError(where, dns, err)
	}
	if Unreachable(err) { // what is wrong and what to do first, pgx's words after
		return &unreachableError{syncd.Errorf(syncd.EUnavailable, "the database %s does not answer: %s; %s: connect %s: %v",
			where, Plainly(err), reachFix(c, err), where, err), err}
	}
	return fmt.Errorf("connect %s: %w", where, err)
}

// reachFix says what to do about a database not reached for err (one
// Unreachable), naming the first host and port of c, which pg_isready
// asks.
func reachFix(c *pgx.ConnConfig, err error) string {
	ready := fmt.Sprintf("pg_isready -h %s -p %d says when it answers", c.Host, c.Port)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr):
		return "syncd tries again; " + ready
	case errors.Is(err, syscall.ECONNREFUSED):
		return "start PostgreSQL, or give the DSN the host and port it listens on (" + ready + ")"
	}
	return "check that the host is up and that nothing between drops the connection (" + ready + ")"
}

// unresolved is the *net.DNSError of err when the name of the only host
// tried did not resolve: none was reached, nor refused. nil otherwise.
func unresolved(err error) *net.DNSError {
	var dns *net.DNSError
	if !errors.As(err, &dns) || errors.As(err, new(*net.OpError)) || errors.As(err, new(*pgconn.PgError)) {
		return nil
	}
	return dns
}

// dnsError says that the host name of the DSN did not resolve, with the
// command that tells whether it does; where names the database. A name
// not found is refused (serve exits 1: a name misspelt, which starts no
// better later); a resolver that did not answer is unavailable (serve
// waits). It said "hostname resolving error: lookup ...: no such host"
// alone, and a resolver down at boot made serve exit 1 every 2 s.
func dnsError(where string, dns *net.DNSError, err error) error {
	check := "getent hosts " + dns.Name
	if dns.IsNotFound {
		return fmt.Errorf("the host name %s of %s does not resolve (misspelt in the DSN, or missing from DNS "+
			"and /etc/hosts: %s tells): connect %s: %w", dns.Name, where, check, where, err)
	}
	return &unreachableError{syncd.Errorf(syncd.EUnavailable, "the host name %s of %s could not be resolved "+
		"now (DNS not answering: %s tells): connect %s: %v", dns.Name, where, check, where, err), err}
}

// unreachableError is a database not reached: unavailable, its cause (a
// network error, the server's) kept for Plainly to say in plain words.
type unreachableError struct {
	err   *syncd.Error
	cause error
}

func (e *unreachableError) Error() string   { return e.err.Error() }
func (e *unreachableError) Unwrap() []error { return []error{e.err, e.cause} }

// triesOnce returns err saying each of pgx's failed tries to connect once,
// err itself when it holds no try said twice and none beside the point. A
// DSN naming no sslmode (prefer, as allow) tries each host with TLS and
// then without: with the server down both fail alike, said once; a server
// offering no TLS refuses the TLS try and the plain one goes on, so that
// refusal is never why the connection failed (plainAllowed) and is left
// out: beside the plain try's error (no such database, a refused
// password), "tls error: server refused TLS connection" sent the operator
// after TLS. What err is (the server's error, a network one) is
// unchanged: only its text.
func triesOnce(err error) error {
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		return err
	}
	joined, ok := ce.Unwrap().(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	plain := ce.Config != nil && plainAllowed(ce.Config)
	var tries []string
	for _, e := range joined.Unwrap() {
		s := e.Error()
		if plain && strings.Contains(s, tlsRefused) && len(joined.Unwrap()) > 1 {
			continue // the plain try that followed it is what failed
		}
		if !slices.Contains(tries, s) {
			tries = append(tries, s)
		}
	}
	if len(tries) == len(joined.Unwrap()) || len(tries) == 0 {
		return err
	}
	// As pgconn.ConnectError.Error says them.
	said := fmt.Sprintf("failed to connect to `user=%s database=%s`:", ce.Config.User, ce.Config.Database)
	if details := strings.Join(tries, "\n"); strings.Contains(details, "\n") {
		said += "\n\t" + strings.ReplaceAll(details, "\n", "\n\t")
	} else {
		said += " " + details
	}
	return &saidOnce{err: err, text: strings.Replace(err.Error(), ce.Error(), said, 1)}
}

// saidOnce is an error told in other words (triesOnce).
type saidOnce struct {
	err  error
	text string
}

func (e *saidOnce) Error() string { return e.text }
func (e *saidOnce) Unwrap() error { return e.err }

// fullError is a connection the server refused for its connection limit:
// unavailable (the same connection may be taken later), and told apart
// by Full.
type fullError struct{ err *syncd.Error }

func (e *fullError) Error() string { return e.err.Error() }
func (e *fullError) Unwrap() error { return e.err }

// Full reports whether err is a connection the server refused for want of
// a free connection (max_connections, or the role's or the database's
// CONNECTION LIMIT, reached): the host and port are right and the server
// up, unlike the other errors Unreachable takes.
func Full(err error) bool {
	var f *fullError
	return errors.As(err, &f)
}

// Unreachable reports whether err is the database not reaching syncd: no
// answer, a refused or reset connection, a timeout, a server starting,
// stopping or full (or an error connectError said so of). Asked again
// later, the same connection may succeed, unlike one refused for its
// password, for a database that does not exist, or for TLS the server and
// the DSN do not agree on, even where another host the DSN names is down.
func Unreachable(err error) bool {
	var pgErr *pgconn.PgError
	var netErr *net.OpError
	var tlsErr *tlsError
	switch {
	case err == nil, errors.As(err, &tlsErr): // TLS that fails on one host, another down beside it
		return false
	case errors.As(err, &pgErr):
		return transient[pgErr.Code]
	}
	if dns := unresolved(err); dns != nil && !dns.IsNotFound { // a resolver that did not answer
		return true
	}
	// The server gone mid-query ends it with an unexpected EOF, and every
	// use of that connection after with pgconn.ErrConnClosed: the outage's
	// first moments, which the watchdog's health check took for a failure
	// of the daemon's own (TestPostgresOutageUnderSystemd, now and then).
	return syncd.ErrorCode(err) == syncd.EUnavailable || errors.As(err, &netErr) || pgconn.Timeout(err) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, pgconn.ErrConnClosed)
}

// quoted is a piece of text a parse error quotes.
var quoted = regexp.MustCompile(`"[^"]*"`)

// encodeHint is how a URL DSN's parts are written, said with every URL DSN
// that does not parse: a password as typed is the likely cause.
const encodeHint = "in a URL DSN, a password (or user) holding @ : / ? # % or a space is written percent-encoded " +
	"(%40 for @, %3A :, %2F /, %3F ?, %23 #, %25 %, %20 a space)"

// parseDSN parses dsn as Open connects with it (pgxpool: the pool's own
// settings, pool_max_conns, are not sent to the server). A URL DSN whose
// password held '@' as typed parsed with the rest of the password taken
// for the host, which every error and the log then named: no host holds
// '@', and such a DSN is refused. A TLS file the DSN names that cannot be
// used is said so (tlsFileError), not as a password to encode.
func parseDSN(dsn string) (*pgxpool.Config, error) {
	pcfg, err := parseDSNAsIs(dsn)
	if err != nil {
		return nil, marked{err, ErrBadDSN}
	}
	return pcfg, nil
}

// parseDSNAsIs is parseDSN, its errors unmarked.
func parseDSNAsIs(dsn string) (*pgxpool.Config, error) {
	dsn = strings.TrimSpace(dsn) // a space typed before the URL made it no URL
	url := strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
	if !url {
		if err := noURLAsWritten(dsn); err != nil {
			return nil, err
		}
	}
	pcfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		if tlsErr := tlsFileError(err); tlsErr != nil {
			return nil, tlsErr
		}
		if strings.Contains(err.Error(), "sslmode is invalid") { // no password to encode: it said so
			return nil, errors.New("cannot parse the DSN: sslmode is invalid, none of disable, allow, prefer, require, verify-ca, verify-full")
		}
		err = dsnError(err)
		if url {
			err = fmt.Errorf("%w (%s)", err, encodeHint)
		}
		return nil, err
	}
	if url && misread(pcfg.ConnConfig) {
		return nil, errors.New("cannot parse the DSN as written: a host holds '@' (" + encodeHint + ")")
	}
	if !url {
		for k, v := range pcfg.ConnConfig.RuntimeParams {
			if strings.HasPrefix(v, "postgres://") || strings.HasPrefix(v, "postgresql://") {
				if !settingName.MatchString(k) {
					k = "NAME"
				}
				return nil, fmt.Errorf("cannot parse the DSN: it is %s=postgres://…: give the URL alone (a DSN file holds "+
					"the DSN, not the line setting a variable to it)", k)
			}
		}
	}
	return pcfg, nil
}

// settingName is the name of a setting a keyword/value DSN sends the
// server (a libpq keyword pgx does not take as its own, or a run-time
// parameter such as search_path): no '/', ':', '@' or quote.
var settingName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.$-]*$`)

// urlScheme is a URL's scheme, as written before "://".
var urlScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

// noURLAsWritten refuses dsn, which does not start postgres:// or
// postgresql://, when it is no keyword/value DSN either: its first key
// (up to the first '=') holds a '/', ':', '@' or a quote, as a URL with
// its scheme misspelt (postgress://, postgres:/, postgres//) or one in
// quotes does. pgx read such a DSN as keyword/value: the URL up to its
// first '=', password and all, a setting's name it sent the server, with
// no host, user or database, so it connected to the default socket (or
// PGHOST) as the system user, and that server's refusal quoted the name,
// the password in it, in validate's output and serve's log. What is said
// names the scheme at most, never the rest.
func noURLAsWritten(dsn string) error {
	first, _, _ := strings.Cut(dsn, "=") // parseDSN trimmed it
	if !strings.ContainsAny(first, "/:@\"'") {
		return nil
	}
	const url = "postgres://USER:PASSWORD@HOST:PORT/DATABASE"
	if scheme, _, ok := strings.Cut(first, "://"); ok && urlScheme.MatchString(scheme) {
		return fmt.Errorf("cannot parse the DSN: it is written as a URL of scheme %s://, which is not postgres:// or "+
			"postgresql://: write it %s", scheme, url)
	}
	if strings.HasPrefix(first, `"`) || strings.HasPrefix(first, "'") {
		return errors.New("cannot parse the DSN: it is in quotes: write it without them (a DSN file is read as it is, " +
			"not as a shell or systemd reads a line)")
	}
	return errors.New("cannot parse the DSN: it is neither a URL starting postgres:// or postgresql:// nor keyword=value " +
		"pairs (host=… dbname=…): write it " + url)
}

// misread reports whether a host of c holds '@': a password's '@' not
// encoded, the rest of the password then read as the host.
func misread(c *pgx.ConnConfig) bool {
	if strings.Contains(c.Host, "@") {
		return true
	}
	return slices.ContainsFunc(c.Fallbacks, func(f *pgconn.FallbackConfig) bool { return strings.Contains(f.Host, "@") })
}

// dsnError says why a DSN does not parse, without the DSN: pgx's error
// echoes it with the password masked only as far as a malformed DSN shows
// where the password is (a password holding '@' or a space was masked in
// part), and its reason may quote a piece of it (missing "=" after
// "PIECE"). What it quotes is left out, but for "=".
func dsnError(err error) error {
	var pe *pgconn.ParseConfigError
	if !errors.As(err, &pe) {
		return errors.New("cannot parse the DSN")
	}
	echo := (&pgconn.ParseConfigError{ConnString: pe.ConnString}).Error() // "cannot parse `DSN, masked`: "
	why, ok := strings.CutPrefix(err.Error(), echo)
	if !ok || why == "" {
		return errors.New("cannot parse the DSN")
	}
	why = quoted.ReplaceAllStringFunc(why, func(q string) string {
		if q == `"="` {
			return q
		}
		return "…"
	})
	if strings.Contains(why, `missing "=" after`) { // "user name=syncd", "password=a b": which, it may not say
		why += ": keyword=value pairs are separated by spaces, so a keyword is one word (user=, dbname=, password=) " +
			"and a value holding a space is written in single quotes (password='a b')"
	}
	return errors.New("cannot parse the DSN: " + why)
}

// durable keeps synchronous_commit on: a commit is answered only once it
// is flushed (and, with synchronous replication configured, replicated).
//
// It also bounds how long a transaction may wait for this instance's next
// statement (idleInTransaction): an instance stopped in the middle of one
// (SIGSTOP, a long pause, its host hung) would otherwise hold its row locks
// until it runs again, and another instance's intake, counting the
// sender's retry of an event it was mapping, waited for them with every
// delivery behind it.
//
// And it switches JIT compilation off: PostgreSQL compiles a statement
// whose estimated cost passes jit_above_cost (100,000), which PendingLeft
// (syncd sync's closing count) does from some 8,000 pending operations,
// and compiling cost more than running it: 165 ms a count compiled, 68 ms
// not (beside 1,000,000 finished operations; means of 6 runs each, taken
// in turn, 2 cores at a load of 18, 2026-12-07). syncd's statements read
// few rows each, where compiling never pays (TestPoolCompilesNoStatement).
func durable(ctx context.Context, c *pgx.Conn) error {
	if _, err := c.Exec(ctx, fmt.Sprintf(`SET idle_in_transaction_session_timeout = %d; SET jit = off`,
		idleInTransaction.Milliseconds())); err != nil {
		return err
	}
	var v string
	if err := c.QueryRow(ctx, `SHOW synchronous_commit`).Scan(&v); err != nil {
		return err
	}
	if v == "off" || v == "local" {
		_, err := c.Exec(ctx, `SET synchronous_commit = on`)
		return err
	}
	return nil
}

// Where names the database for logs: hosts, ports and name, never the password.
func (db *DB) Where() string { return where(db.cfg) }

// Where names the database dsn connects to as DB.Where does, without
// connecting.
func Where(dsn string) (string, error) {
	c, err := parseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	return where(c.ConnConfig), nil
}

// where names every host c tries, in the DSN's order and each once
// (sslmode=prefer or allow tries a host twice, with TLS and without), so
// that a failover DSN (host=a,b) is named as the operator wrote it, not
// by a first host that may be the one down.
//
// An IPv6 address is written in brackets, as a URL has it
// (postgres://[::1]:5432/syncd): "::1:5432" made no URL to paste.
func where(c *pgx.ConnConfig) string {
	hosts := []string{net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port)))}
	for _, f := range c.Fallbacks {
		if h := net.JoinHostPort(f.Host, strconv.Itoa(int(f.Port))); !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	return fmt.Sprintf("postgres://%s/%s", strings.Join(hosts, ","), c.Database)
}

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Ping checks that the database takes writes.
func (db *DB) Ping(ctx context.Context) error {
	if _, err := db.pool.Exec(ctx, `UPDATE state SET value = value WHERE name = ''`); err != nil {
		return fmt.Errorf("ping db: %w", err)
	}
	return nil
}

// NewerWayBack says what to do about a database whose schema is newer
// than this binary's, which it neither opens nor changes: a newer syncd
// migrated it, on another host or on this one before this syncd was put
// back, and the database as it was is only in a dump taken before.
const NewerWayBack = "a newer syncd migrated it (another instance's, or this host's before this syncd was put " +
	"back), and this syncd leaves it as it is: install that newer syncd here too, or, to go back to this one, " +
	"stop every instance and restore the pg_dump taken before the upgrade (pg_restore)"

// migrate applies every embedded migration newer than the latest version
// recorded in schema_version (a migration's version is its file's number,
// gaps and all: see internal/migration), each in its own transaction,
// holding an advisory lock;
// say, when set, is told when it waits for that lock and when it migrates.
func (db *DB) migrate(ctx context.Context, say func(string), key func(stored, target string) string) error {
	if say == nil {
		say = func(string) {}
	}
	files, err := migration.List(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	latest := migration.Latest(files)
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if err := unbounded(ctx, conn.Conn()); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `RESET statement_timeout; RESET lock_timeout`)
	if current(ctx, conn.Conn(), latest) { // nothing to migrate: no lock to wait for behind another instance's start
		db.schema = [2]int{latest, latest}
		return nil
	}
	if err := lockMigrations(ctx, conn.Conn(), say); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
	if err := createSchemaVersion(ctx, conn.Conn()); err != nil {
		return db.denied(ctx, "create", 0, 0, fmt.Errorf("migrate: %w", err))
	}
	var version int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return db.denied(ctx, "read", 0, 0, fmt.Errorf("migrate: %w", err))
	}
	if version > latest {
		return fmt.Errorf("migrate: %w", marked{fmt.Errorf("database schema %d is newer than this binary's %d: %s",
			version, latest, NewerWayBack), ErrNewerSchema})
	}
	if version < latest {
		say("migrating the database schema")
	}
	for _, f := range files {
		if f.Version <= version {
			continue
		}
		if err := apply(ctx, conn.Conn(), f.Version, f.Path, version > 0, key, &db.clashes, &db.leads); err != nil {
			err = fmt.Errorf("migrate %s: %w", strings.TrimPrefix(f.Path, "migrations/"), err)
			if version == 0 {
				return db.denied(ctx, "create", 0, 0, err)
			}
			return db.denied(ctx, "migrate", version, latest, err)
		}
	}
	db.schema = [2]int{version, latest}
	return nil
}

// unbounded lifts, for the rest of conn's session, the statement_timeout
// and lock_timeout a DBA may set on syncd's role or database: the
// migration lock is waited for as long as another instance migrates, and a
// migration (an index built on a large table) runs to its end, where such
// a bound cancelled it, and so the start, at every restart. The caller
// resets both before conn goes back to the pool.
func unbounded(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, `SET statement_timeout = 0; SET lock_timeout = 0`)
	return err
}

// current reports whether the database's schema is latest already. Every
// instance took the migration lock as it started, so of two started
// together on a database that needed no migration, one logged and told
// systemd "waiting for another instance to migrate the database schema"
// while the other only read its version. A failed read is no answer: the
// lock is taken, and the read done again under it, as before.
func current(ctx context.Context, conn *pgx.Conn, latest int) bool {
	var table *string
	if err := conn.QueryRow(ctx, `SELECT to_regclass('schema_version')::text`).Scan(&table); err != nil || table == nil {
		return false
	}
	var version int
	err := conn.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM schema_version`).Scan(&version)
	return err == nil && version == latest
}

// lockMigrations takes the migration lock, saying first that it waits
// when another instance holds it (migrating, or about to).
func lockMigrations(ctx context.Context, conn *pgx.Conn, say func(string)) error {
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, migrateLock).Scan(&got); err != nil || got {
		return err
	}
	say("waiting for another instance to migrate the database schema")
	_, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock)
	return err
}

// Migrated returns the schema version Open found and the one it left:
// they differ when this Open migrated the database (the first instance
// started on a newer syncd), after which an older syncd no longer starts.
func (db *DB) Migrated() (from, to int) { return db.schema[0], db.schema[1] }

// contactKeysVersion is the migration after whose SQL the contacts'
// email keys an older syncd stored are rewritten to today's form
// (storesql.RekeyContacts).
const contactKeysVersion = 15

// documentedTypesVersion is the migration after whose SQL the events an
// older syncd stored with a documented type in another case or with white
// space around it take the documented type (storesql.DocumentTypes).
const documentedTypesVersion = 21

// leadKeysVersion is the migration after whose SQL the events
// documentedTypesVersion gave their documented type take the key intake
// gives their body now, where that is safe (storesql.KeyByDeliveryID).
const leadKeysVersion = 22

// requeueVersion is the migration after whose SQL the events an older
// syncd ignored for a documented type in another case are pending again,
// for the mapper (storesql.RequeueDocumentedTypes).
const requeueVersion = 23

// keyLeadsByID is leadKeysVersion's step: each event rekeyed gains its
// new key in intake_keys beside the old (where the window holds it), so
// that a delivery of it is a duplicate whichever key it comes with: the
// new one from an upgraded instance, the old one from an instance still
// on an older syncd. It returns how many events it rekeyed.
func keyLeadsByID(ctx context.Context, tx pgx.Tx) (int, error) {
	rekeyed, err := storesql.KeyByDeliveryID(ctx, storesql.Dollar, txQuery(tx))
	if err != nil {
		return 0, err
	}
	if len(rekeyed) == 0 {
		return 0, nil
	}
	// one statement for them all: one each was a round trip per event
	sources, from, to, ids := make([]string, len(rekeyed)), make([]string, len(rekeyed)), make([]string, len(rekeyed)),
		make([]int64, len(rekeyed))
	for i, r := range rekeyed {
		sources[i], from[i], to[i], ids[i] = r.Source, r.From, r.To, r.ID
	}
	if _, err := tx.Exec(ctx, `INSERT INTO intake_keys (source, idem_key, event_id, received_at)
		SELECT k.source, v.to_key, k.event_id, k.received_at
		FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS v (source, from_key, to_key, id)
		JOIN intake_keys k ON k.source = v.source AND k.idem_key = v.from_key AND k.event_id = v.id
		ON CONFLICT DO NOTHING`, sources, from, to, ids); err != nil {
		return 0, fmt.Errorf("key by delivery id: %w", err)
	}
	return len(rekeyed), nil
}

// KeyClashes returns the persons this Open's migration found linked to two
// CRM records under two forms of one email (storesql.RekeyContacts): the
// operator merges each pair in the CRM. None when it migrated nothing.
func (db *DB) KeyClashes() []storesql.ContactKeyClash { return db.clashes }

// LeadsUpgraded returns how many leads an older syncd stored this Open's
// migration keyed by their delivery id and handed back to the mapper.
// None when it migrated nothing (another instance did).
func (db *DB) LeadsUpgraded() storesql.LeadsUpgraded { return db.leads }

// apply runs one migration in its own transaction; existing says the
// database held a schema before this Open, whose contact keys the contact
// keys' migration rewrites with key, the persons it finds linked to two
// CRM records going to clashes, the leads it rekeys and hands back to the
// mapper counted in leads.
func apply(ctx context.Context, conn *pgx.Conn, version int, name string, existing bool, key func(stored, target string) string,
	clashes *[]storesql.ContactKeyClash, leads *storesql.LeadsUpgraded) error {
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// Simple protocol: a migration is several statements.
		if _, err := tx.Conn().PgConn().Exec(ctx, string(body)).ReadAll(); err != nil {
			return err
		}
		if version == contactKeysVersion && existing {
			if key == nil {
				return errors.New("contact keys: no ContactKey to rewrite them with")
			}
			c, err := storesql.RekeyContacts(ctx, storesql.Dollar, txQuery(tx), txExec(tx), key)
			if err != nil {
				return err
			}
			*clashes = c
		}
		if version == documentedTypesVersion && existing {
			if _, err := storesql.DocumentTypes(ctx, storesql.Dollar, txQuery(tx), txExec(tx)); err != nil {
				return err
			}
		}
		if version == leadKeysVersion && existing {
			n, err := keyLeadsByID(ctx, tx)
			if err != nil {
				return err
			}
			leads.Rekeyed = n
		}
		if version == requeueVersion && existing {
			n, err := storesql.RequeueDocumentedTypes(ctx, storesql.Dollar, txQuery(tx), txExec(tx))
			if err != nil {
				return err
			}
			leads.Requeued = n
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, version)
		return err
	})
}

// now is the current time as stored: UTC, to the microsecond.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// serverNow is the database server's clock as this host last measured it
// (at Open, then with each heartbeat), for the outbox's leases:
// all instances set and compare them on that one clock, so an instance
// whose clock runs ahead does not take an operation another is still
// sending as one whose lease ran out (the CRM would get it twice), nor one
// behind leave a dead leader's operations waiting longer.
func (db *DB) serverNow() time.Time {
	return db.now().Add(-time.Duration(db.skew.Load())).Truncate(time.Microsecond)
}

// ServerTime is t, a time on this host's clock, on the database server's
// (serverTime), for a time a caller keeps in a state row of its own
// (SetStateValue) that another instance reads and compares with its own
// clock (when a batch got stuck, when the CRM account was checked):
// HostTime gives it back on the reader's. Zero stays zero.
func (db *DB) ServerTime(t time.Time) time.Time { return db.serverTime(t) }

// HostTime is t, a time ServerTime gave, on this host's clock (hostTime).
func (db *DB) HostTime(t time.Time) time.Time { return db.hostTime(t) }

// tx runs fn in a transaction and commits it. An error of data the server
// refused is marked so (refusedData).
func (db *DB) tx(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	if err := pgx.BeginFunc(ctx, db.pool, fn); err != nil {
		return fmt.Errorf("%s: %w", what, refusedData(err))
	}
	return nil
}

// nullTime is t for a nullable column: nil when zero.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// utc returns a scanned nullable time in UTC, zero when NULL.
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
