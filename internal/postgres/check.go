package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/syncd-dev/syncd/internal/migration"
	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Found is what Check found in the database a DSN names.
type Found struct {
	// Where names the database: hosts, ports and name, never the password.
	Where string
	// Answered is the address of the server that answered, when the DSN
	// names several hosts (the others may be down: a failover DSN with
	// no standby left).
	Answered string
	// User and Database are the role and database the DSN names.
	User, Database string
	// Schema is the database's schema version, 0 when it holds none yet
	// (the first serve creates it); Newest is this binary's.
	Schema, Newest int
	// CanCreate: the role may create tables where serve would create them
	// (the first schema_version in the search path, usually public);
	// InSchema names that schema, "" when the search path names none.
	CanCreate bool
	InSchema  string
	// CanMigrate: the role may apply the migrations an older Schema
	// needs (CanCreate, and it owns every table in InSchema or is a
	// member of their owner, where one of them creates, alters or drops;
	// any role that writes syncd's tables where they rewrite rows alone);
	// read only when Schema is older than Newest.
	CanMigrate bool
	// Outbox is the outbox's depth per target, read when Schema is
	// Newest (what operations wait for which CRM).
	Outbox []syncd.OutboxDepth
	// ReadOnly says why the database takes no writes (a standby in
	// recovery, default_transaction_read_only on for the role or the
	// database), with the fix; "" when it takes them.
	ReadOnly string
	// Denied names, when Schema is Newest, each of syncd's tables and id
	// sequences the role may not use as serve does, with the rights it
	// lacks ("crm_links (INSERT)"): serve would fail on them.
	Denied []string
}

// Check connects to the database dsn names and reads, in a read-only
// transaction, what Open would find there: its schema version and
// whether the role may create the schema. It migrates and creates
// nothing. A server that does not answer before ctx ends is
// syncd.EUnavailable; a refusal (a wrong password, an unknown role or
// database) is an error naming the database, never the password.
func Check(ctx context.Context, dsn string) (Found, error) {
	// Parsed as Open parses it: the pool's own settings (pool_max_conns)
	// are not the server's, which refused them as unknown.
	pcfg, err := parseDSN(dsn)
	if err != nil {
		return Found{}, fmt.Errorf("store: %w", err)
	}
	cfg := named(pcfg.ConnConfig, ownName(pcfg.ConnConfig), "validate")
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	f := Found{Where: where(cfg), User: cfg.User, Database: cfg.Database}
	if f.Newest, err = newest(); err != nil {
		return f, err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return f, refused(cfg, connectError(cfg, pcfg.MaxConns, err))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if strings.Contains(f.Where, ",") {
		f.Answered = conn.PgConn().Conn().RemoteAddr().String()
	}
	if err := serverVersion(ctx, conn, f.Where); err != nil {
		return f, err
	}
	if f.ReadOnly, err = readOnly(ctx, conn, f.User, f.Database); err != nil {
		return f, err
	}
	err = pgx.BeginTxFunc(ctx, conn, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return f.read(ctx, tx)
	})
	if err != nil && pgconn.Timeout(err) {
		return f, syncd.Errorf(syncd.EUnavailable, "the database %s did not answer a read in time (the server slow or "+
			"overloaded, or the network to it): read %s: %v", f.Where, f.Where, err)
	}
	return f, err
}

// minServerVersion is the oldest PostgreSQL the store runs on, as
// server_version_num: erase compares row versions with its read's
// snapshot (pg_current_snapshot, pg_visible_in_snapshot), which 13 added.
const minServerVersion = 130000

// rowQueryer is a pool, a connection or a transaction.
type rowQueryer interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// serverVersion refuses a server older than minServerVersion.
func serverVersion(ctx context.Context, q rowQueryer, where string) error {
	var num int
	var version string
	err := q.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, current_setting('server_version')`).
		Scan(&num, &version)
	if err != nil {
		return fmt.Errorf("read the server version of %s: %w", where, err)
	}
	return tooOld(num, version, where)
}

// tooOld says why a server of version num (server_version_num; version as
// the server writes it) is too old for syncd, or nil.
func tooOld(num int, version, where string) error {
	if num >= minServerVersion {
		return nil
	}
	return fmt.Errorf("%s runs PostgreSQL %s; syncd needs 13 or later (erase reads with the snapshot functions 13 "+
		"added): upgrade the server, or keep syncd on SQLite", where, version)
}

// refused puts first, in a connection refused for a reason the operator
// fixes, that reason and the fix: the server's own words come after.
func refused(cfg *pgx.ConnConfig, err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || syncd.ErrorCode(err) == syncd.EUnavailable {
		return err
	}
	switch pgErr.Code {
	case "28P01":
		err = refusedPassword(cfg, err)
	case "28000":
		err = refusedUser(cfg, pgErr.Message, err)
	case "3D000":
		err = fmt.Errorf("no database %s on the server (createdb -O %s %s): %w", cfg.Database, cfg.User, cfg.Database, err)
	case "42704":
		return unknownParameter(cfg, pgErr.Message, err)
	default:
		return err
	}
	if m := misspelt(cfg); m != "" { // pasword=: no password given, the server refusing for that
		return fmt.Errorf("%s: %w", m, err)
	}
	return err
}

// refusedPassword says the server refused cfg's user for its password:
// the one given, or none (the DSN, PGPASSWORD and ~/.pgpass gave none),
// where it said the server refused "the DSN's" password of a DSN that
// held none.
func refusedPassword(cfg *pgx.ConnConfig, err error) error {
	if cfg.Password == "" {
		return fmt.Errorf("the server asks user %s for a password, and the DSN gives none (password=…, or in a URL "+
			"postgres://%s:PASSWORD@…, percent-encoded): %w", cfg.User, cfg.User, err)
	}
	return fmt.Errorf("the server refused the password of user %s (the DSN's, or the role's: ALTER ROLE %s PASSWORD): %w",
		cfg.User, cfg.User, err)
}

// dsnKeywords are the names a DSN takes that pgx reads itself (libpq's
// connection keywords, as pgconn and pgxpool take them), and the settings a
// DSN most often sends the server: what a name the server does not know
// was probably meant to be. pgx sends every other name to the server as a
// setting, which refuses one it does not have.
var dsnKeywords = []string{
	"host", "port", "dbname", "user", "password", "passfile", "connect_timeout", "sslmode", "sslkey", "sslcert",
	"sslcertmode", "sslrootcert", "sslnegotiation", "sslpassword", "sslsni", "krbspn", "krbsrvname",
	"target_session_attrs", "service", "servicefile", "min_protocol_version", "max_protocol_version",
	"channel_binding", "require_auth", "pool_max_conns", "pool_min_conns", "pool_min_idle_conns",
	"pool_max_conn_lifetime", "pool_max_conn_idle_time", "pool_health_check_period", "pool_max_conn_lifetime_jitter",
	"statement_cache_capacity", "description_cache_capacity", "default_query_exec_mode",
	"application_name", "options", "search_path", "client_encoding", "statement_timeout", "lock_timeout",
}

// unknownParameter says, of a connection the server refused for a setting
// it does not know (42704, `unrecognized configuration parameter "X"`)
// that the DSN names, which DSN keyword it was probably meant to be: a
// misspelt keyword (ssl_mode=require) is no keyword pgx reads, so it was
// sent to the server as a setting, and only the server's words were said.
// It names the DSN's keyword alone, never its value (pasword=...).
func unknownParameter(cfg *pgx.ConnConfig, msg string, err error) error {
	name, ok := strings.CutPrefix(msg, `unrecognized configuration parameter "`)
	name, ok2 := strings.CutSuffix(name, `"`)
	if _, inDSN := cfg.RuntimeParams[name]; !ok || !ok2 || !inDSN {
		return err
	}
	meant := meantKeyword(name)
	if meant == "" {
		return err
	}
	return fmt.Errorf("the DSN names %s, which is no DSN keyword (%s was probably meant) nor a setting the server has: %w",
		name, meant, err)
}

// keywordAliases are other words for a DSN keyword, too far from it for
// suggest.Nearest (pass=, username=, db=): other tools' names for it.
var keywordAliases = map[string]string{
	"pass": "password", "passwd": "password", "pwd": "password", "pw": "password", "passwort": "password",
	"username": "user", "usr": "user", "login": "user",
	"db": "dbname", "database_name": "dbname", "db_name": "dbname",
	"hostname": "host", "server": "host", "ssl": "sslmode", "ssl_mode": "sslmode",
}

// meantKeyword is the DSN keyword that name, a setting a DSN sends the
// server, was probably meant to be; "" when it is one (search_path) or
// close to none.
func meantKeyword(name string) string {
	if slices.Contains(dsnKeywords, name) {
		return ""
	}
	if meant, ok := keywordAliases[strings.ToLower(name)]; ok {
		return meant
	}
	return suggest.Nearest(name, dsnKeywords)
}

// misspelt says the first, by name, of the settings cfg's DSN sends the
// server that is probably a misspelt DSN keyword, "" when none is: a
// server asking for a password refuses a DSN with pasword=… for the
// password it lacks before it reads the settings, and one refusing the
// system user (usr=…) its role, and these alone were said. It names the
// DSN's keyword, never its value.
func misspelt(cfg *pgx.ConnConfig) string {
	names := slices.Sorted(maps.Keys(cfg.RuntimeParams))
	for _, name := range names {
		if meant := meantKeyword(name); meant != "" {
			return fmt.Sprintf("the DSN names %s, which is no DSN keyword (%s was probably meant)", name, meant)
		}
	}
	return ""
}

// refusedUser says why the server refused cfg's user (SQLSTATE 28000), by
// what its message says: peer authentication for another system user, no
// pg_hba.conf line for this host (for a connection without TLS, where a
// server that takes only TLS connections, hostssl lines, needs the DSN's
// sslmode), a client certificate the server asks for (a cert line) and
// none given or one for another name, a pg_hba.conf line rejecting it, or
// no such role.
func refusedUser(cfg *pgx.ConnConfig, msg string, err error) error {
	u := cfg.User
	switch {
	case strings.HasPrefix(msg, "Peer authentication failed"):
		return fmt.Errorf("peer authentication admits only the system user %s: run syncd as that user (sudo -u %s): %w", u, u, err)
	case strings.HasPrefix(msg, "no pg_hba.conf entry") && strings.HasSuffix(msg, "no encryption"):
		return fmt.Errorf("no pg_hba.conf line admits user %s to database %s from this host without TLS: where the "+
			"server takes TLS connections only (hostssl lines), set sslmode=verify-full (or require) in the DSN, not "+
			"disable; else add a host line for it to pg_hba.conf and reload PostgreSQL: %w", u, cfg.Database, err)
	case strings.HasPrefix(msg, "no pg_hba.conf entry"):
		return fmt.Errorf("no pg_hba.conf line admits user %s to database %s from this host: add one and reload "+
			"PostgreSQL (SELECT pg_reload_conf()): %w", u, cfg.Database, err)
	case strings.HasPrefix(msg, "connection requires a valid client certificate"):
		return fmt.Errorf("the server admits user %s only with a client certificate (a cert line in pg_hba.conf): give it "+
			"and its key in the DSN, sslcert=/etc/syncd/pg-client.crt&sslkey=/etc/syncd/pg-client.key, readable by the "+
			"user syncd runs as, the certificate signed by a CA the server trusts (ssl_ca_file) for the common name "+
			"(CN) %s: %w", u, u, err)
	case strings.HasPrefix(msg, "certificate authentication failed"):
		return fmt.Errorf("the server refused the client certificate for user %s: its common name (CN) must be the "+
			"role's name, %s, or be mapped to it in pg_ident.conf (map= on the cert line): %w", u, u, err)
	case strings.HasPrefix(msg, "pg_hba.conf rejects"):
		return fmt.Errorf("a pg_hba.conf line rejects user %s from this host: %w", u, err)
	}
	return fmt.Errorf("the server refused user %s (no such role: createuser -P %s; or no pg_hba.conf line admits it): %w", u, u, err)
}

// read fills in what the database holds.
func (f *Found) read(ctx context.Context, tx pgx.Tx) error {
	var in *string
	err := tx.QueryRow(ctx, `SELECT current_schema(), COALESCE(has_schema_privilege(current_schema(), 'CREATE'), false)`).
		Scan(&in, &f.CanCreate)
	if err != nil {
		return fmt.Errorf("read %s: %w", f.Where, err)
	}
	if in != nil {
		f.InSchema = *in
	}
	var table *string
	if err := tx.QueryRow(ctx, `SELECT to_regclass('schema_version')::text`).Scan(&table); err != nil || table == nil {
		return wrapRead(f.Where, err)
	}
	err = tx.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM schema_version`).Scan(&f.Schema)
	if err != nil {
		return wrapRead(f.Where, deniedTo(f.User, f.Database, f.InSchema, "read", 0, 0, err))
	}
	if f.Schema < f.Newest {
		owners, err := ownersMigrationAfter(f.Schema)
		if err != nil || !owners { // rows rewritten alone: a role that writes syncd's tables makes them
			f.CanMigrate = err == nil
			return wrapRead(f.Where, err)
		}
		err = tx.QueryRow(ctx, `SELECT COALESCE(bool_and(pg_has_role(tableowner, 'MEMBER')), true)
			FROM pg_tables WHERE schemaname = current_schema()`).Scan(&f.CanMigrate)
		f.CanMigrate = f.CanMigrate && f.CanCreate
		return wrapRead(f.Where, err)
	}
	if f.Schema != f.Newest {
		return nil
	}
	if f.Denied, err = missingRights(ctx, tx); err != nil {
		return wrapRead(f.Where, err)
	}
	if len(f.Denied) == 0 {
		// as /metrics reads them: the done operations counted as they change
		// (migration 0018), the pending and dead through their indexes. A
		// count of every operation took 0.1-0.8 s per million, against
		// validate's 5 s to read it all (BenchmarkValidateDepths).
		f.Outbox, err = outboxDepths(ctx, tx, time.Now())
		return wrapRead(f.Where, err)
	}
	// a role that may not read every table (serve refuses it, and validate
	// says so): what it may read, as before
	rows, err := tx.Query(ctx, `SELECT target, count(*) FILTER (WHERE state = 'pending'),
		count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'dead')
		FROM outbox GROUP BY target ORDER BY target`)
	if err == nil {
		f.Outbox, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (d syncd.OutboxDepth, err error) {
			return d, r.Scan(&d.Target, &d.Pending, &d.Done, &d.Dead)
		})
	}
	return wrapRead(f.Where, err)
}

// wrapRead names the database a read failed on; nil stays nil.
func wrapRead(where string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("read %s: %w", where, err)
}

// newest is the schema version this binary migrates a database to.
func newest() (int, error) {
	files, err := migration.List(migrations, "migrations/*.sql")
	if err != nil || len(files) == 0 {
		return 0, errors.Join(errors.New("no migrations embedded"), err)
	}
	return migration.Latest(files), nil
}
