// Package pgtest gives tests a real PostgreSQL database: a throwaway
// cluster started once per test binary in a temporary directory (as the
// postgres user when the tests run as root), or the server
// SYNCD_TEST_POSTGRES_URL names. Each call to DSN creates a fresh database.
//
// Without a server to use, tests skip, unless SYNCD_TEST_POSTGRES_REQUIRED
// is set (CI sets it), in which case they fail: the PostgreSQL tests must
// have run.
//
// SkewedDSN gives a database on a second throwaway cluster whose clock
// runs Skew behind this host's (libfaketime), for what must hold whatever
// the clocks of the database server and the instances say; TLSDSN one on
// a cluster that takes TLS connections, with a CA and a certificate made
// for it.
package pgtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// server is the package's cluster, started by the first DSN call.
type server struct {
	once  sync.Once
	admin string // DSN of the postgres database, for CREATE DATABASE
	tcp   string // host:port on 127.0.0.1
	dir   string
	cmd   *exec.Cmd
	err   error
	skip  string
	n     atomic.Int64
	env   []string // added to the server's environment (not initdb's)
	certs bool     // ssl = on, with a certificate makeCerts made
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey // the CA that signed the certificates, for ClientCert
}

var srv server // one cluster per test binary: started once, stopped by Main

// Skew is how far the clock of SkewedDSN's cluster runs behind this host's.
const Skew = 10 * time.Minute

// skewed is SkewedDSN's cluster, started by its first call, stopped by Main.
var skewed = server{env: []string{"FAKETIME=-" + strconv.Itoa(int(Skew.Seconds())) + "s", "FAKETIME_DONT_FAKE_MONOTONIC=1"}}

// Main runs the tests and then stops the cluster, if one was started: call
// it from TestMain.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	srv.stop()
	skewed.stop()
	tlsServer.stop()
	return code
}

// DSN returns the connection string of a new, empty database.
func DSN(t testing.TB) string {
	t.Helper()
	srv.once.Do(srv.start)
	return srv.database(t)
}

// SkewedDSN returns the connection string of a new, empty database on a
// cluster of its own whose clock (now(), clock_timestamp()) runs Skew
// behind this host's, by libfaketime. Without libfaketime (Debian's
// faketime package) the test skips, or fails when
// SYNCD_TEST_POSTGRES_REQUIRED is set; with SYNCD_TEST_POSTGRES_URL it
// skips. The skew confuses the server's
// own timers: a session with idle_session_timeout set is ended early, so
// leadership does not hold there.
func SkewedDSN(t testing.TB) string {
	t.Helper()
	if os.Getenv("SYNCD_TEST_POSTGRES_URL") != "" { // a server of the caller's: no clock of ours to set
		t.Skip("a server on another clock is started from PostgreSQL's server binaries, not SYNCD_TEST_POSTGRES_URL")
	}
	skewed.once.Do(func() {
		lib, _ := filepath.Glob("/usr/lib/*/faketime/libfaketime.so.1")
		if len(lib) == 0 {
			skewed.skip = "no libfaketime (apt-get install faketime) to run a PostgreSQL server on another clock"
			return
		}
		skewed.env = append(skewed.env, "LD_PRELOAD="+lib[0])
		skewed.start()
	})
	return skewed.database(t)
}

// database creates a new database on s for t and returns its DSN.
func (s *server) database(t testing.TB) string {
	t.Helper()
	if s.skip != "" {
		if os.Getenv("SYNCD_TEST_POSTGRES_REQUIRED") != "" {
			t.Fatalf("PostgreSQL tests are required but cannot run: %s", s.skip)
		}
		t.Skip(s.skip)
	}
	if s.err != nil {
		t.Fatalf("postgres: %v", s.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.admin)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("syncd_test_%d_%d", os.Getpid(), s.n.Add(1))
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+s.strategy()); err != nil {
		t.Fatalf("postgres: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, s.admin); err == nil {
			c.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
			c.Close(ctx)
		}
	})
	return withDatabase(s.admin, name)
}

// withDatabase returns dsn (a URL) naming database name instead.
func withDatabase(dsn, name string) string {
	cfg, _ := pgx.ParseConfig(dsn)
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
}

func (s *server) start() {
	if url := os.Getenv("SYNCD_TEST_POSTGRES_URL"); url != "" {
		s.admin = url
		return
	}
	bin := findBin()
	if bin == "" {
		s.skip = "no PostgreSQL server binaries (initdb) found; set SYNCD_TEST_POSTGRES_URL"
		return
	}
	s.err = s.startLocal(bin)
}

// findBin returns the directory holding initdb and postgres.
func findBin() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(r)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

// startLocal makes a cluster in a temporary directory and starts it on a
// free port of 127.0.0.1 (and ::1: listenAddresses) and a socket in the
// directory.
func (s *server) startLocal(bin string) error {
	dir, err := os.MkdirTemp(clusterParent(), "syncd-pg-")
	if err != nil {
		return err
	}
	s.dir = dir
	cred, err := runAs(dir)
	if err != nil {
		return err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
		"--no-instructions", "-E", "UTF8", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	args := []string{"-D", data, "-k", dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=" + listenAddresses, "-c", "max_connections=300", "-c", "shared_buffers=64MB"}
	if !benchmarking() {
		args = append(args, noFsync...)
	}
	if s.certs {
		tls, err := s.makeCerts(dir, cred)
		if err != nil {
			return err
		}
		args = append(args, tls...)
	}
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if len(s.env) > 0 {
		s.cmd.Env = append(os.Environ(), s.env...)
	}
	log, _ := os.Create(filepath.Join(dir, "postgres.log"))
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	s.tcp = fmt.Sprintf("127.0.0.1:%d", port)
	s.admin = fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", s.tcp)
	return waitReady(s.admin, filepath.Join(dir, "postgres.log"))
}

// listenAddresses are where the cluster listens: 127.0.0.1, the DSN's
// host, and ::1 for the tests of an IPv6-only server's host=::1. Where ::1
// is missing or its port taken, PostgreSQL warns and listens on 127.0.0.1
// alone.
const listenAddresses = "127.0.0.1,::1"

// noFsync are the server settings of a cluster only tests use: nothing is
// flushed to disk, as nothing here outlives the machine staying up. A
// server killed (kill -9, an immediate shutdown) still keeps every commit
// it acknowledged, since its WAL is written to the kernel at each commit
// (synchronous_commit stays on); only a crash of the machine would lose
// them. It spares each CREATE DATABASE and commit an fsync: the tests of
// internal/postgres took 184 and 109 s instead of 210 and 195 s (two
// pairs, 2026-12-02, at a load of 4-11).
var noFsync = []string{"-c", "fsync=off", "-c", "full_page_writes=off"}

// benchmarking reports whether the test binary runs benchmarks (-test.bench
// set): their figures (intake on PostgreSQL, the purge, the erase) are
// measured with the server flushing its commits to disk, as in production.
func benchmarking() bool {
	f := flag.Lookup("test.bench")
	return f != nil && f.Value.String() != ""
}

// runAs returns the credential to run PostgreSQL with: the postgres user
// when we are root (PostgreSQL refuses to run as root), nil otherwise.
func runAs(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs a postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func waitReady(dsn, logFile string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := pgx.Connect(ctx, dsn)
		cancel()
		if err == nil {
			c.Close(context.Background())
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logFile)
			return fmt.Errorf("postgres did not start: %v\n%s", err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the cluster (fast shutdown) and removes its directory.
func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			s.cmd.Process.Kill()
		}
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// Conn is a session of its own on the database at dsn, for a test to
// read or change what a store holds; it is closed as the test ends, so
// a test that polls opens its own and closes it each time (the server
// has a hundred sessions for every test of the run).
func Conn(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}

// RefuseContact makes the database at dsn refuse every outbox operation
// of the contact key with a trigger raising a check violation (SQLSTATE
// 23514), as a constraint would.
func RefuseContact(t testing.TB, dsn, key string) {
	t.Helper()
	ctx := context.Background()
	conn := Conn(t, dsn)
	quoted := "'" + strings.ReplaceAll(key, "'", "''") + "'"
	_, err := conn.Exec(ctx, `CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.key = `+quoted+` OR NEW.contact_key = `+quoted+` THEN
				RAISE EXCEPTION 'refused by a constraint' USING ERRCODE = 'check_violation';
			END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER refuse_one BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_one()`)
	if err != nil {
		t.Fatal(err)
	}
}

// strategy is how CREATE DATABASE copies the template on a cluster this
// package started (PostgreSQL 15 or later): file by file, where the
// default (WAL_LOG) writes every block of it through the WAL. Without
// fsync a file copy is cheap, and the tests create a database each.
func (s *server) strategy() string {
	if s.cmd == nil {
		return ""
	}
	return " STRATEGY FILE_COPY"
}

// clusterParent is where the throwaway cluster's directory goes: a tmpfs
// when the machine has one at /dev/shm, else the temporary directory. The
// tests create and drop a database each, some 150 a run, each a thousand
// files: on ext4 that file creation took half of the package's CPU
// (perf: the kernel's inode allocation, recently_deleted), on a tmpfs
// little of it. What the cluster holds is gone when the tests end either
// way. Benchmarks get the temporary directory, as their SQLite databases
// do: on a tmpfs the commits they flush would cost nothing.
func clusterParent() string {
	if benchmarking() {
		return ""
	}
	var st syscall.Statfs_t
	const tmpfsMagic = 0x01021994
	if err := syscall.Statfs("/dev/shm", &st); err == nil && st.Type == tmpfsMagic && syscall.Access("/dev/shm", 2) == nil { // 2: W_OK
		return "/dev/shm"
	}
	return ""
}
