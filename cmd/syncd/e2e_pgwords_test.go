package main_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestPostgresProblemsLeadWithWhatToDo: validate of a file whose
// PostgreSQL database refused it (a wrong password) or did not answer
// printed "FILE: ok (2 sources, ...)" before saying so, exit 1 or 4; and
// a database not answering was said by status and the commands in the
// driver's words alone ("connect postgres://…: failed to connect to …:
// dial error: dial tcp …: connect: connection refused"). validate now says
// the file is not ok, its database not passing, and the problem leads with
// what is wrong and what to do, the driver's words after it.
func TestPostgresProblemsLeadWithWhatToDo(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dir := t.TempDir()
	closed := freeAddr(t)
	refusing := refusingServer(t, true, "28P01", `password authentication failed for user "syncd"`)
	for _, c := range []struct {
		name, dsn string
		code      int
		lead      string // the problem's first words, after the command's name
	}{
		{"fine", pgtest.DSN(t), 0, ""},
		{"password", "postgres://syncd:pw-not-shown@" + refusing + "/syncd?sslmode=disable", 2,
			"the server refused the password of user syncd (the DSN's, or the role's: ALTER ROLE syncd PASSWORD)"},
		{"closed", "postgres://syncd:pw-not-shown@" + closed + "/syncd?sslmode=disable", 4,
			"the database postgres://" + closed + "/syncd does not answer: connection refused: nothing listens at that address " +
				"and port (PostgreSQL stopped or not started yet, or another port); start PostgreSQL, or give the DSN the host and port it listens on"},
	} {
		file := filepath.Join(dir, c.name+".yaml")
		os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, c.dsn)), 0o600)
		stdout, stderr, code := syncdRun(t, "validate", "-config", file)
		ok := strings.Contains(stdout, file+": ok (")
		if code != c.code || ok != (c.code == 0) || c.code != 0 && !strings.Contains(stdout, file+": not ok: its database did not pass (said below); the rest passed (2 sources") {
			t.Errorf("%s: validate: exit %d, want %d, ok only when it is 0; output:\n%s%s", c.name, code, c.code, stdout, stderr)
		}
		if c.lead == "" {
			continue
		}
		// On one terminal (one pipe for both), the problem comes after the
		// line that says it is below.
		all, _ := syncdCmd("validate", "-config", file).CombinedOutput()
		if notOK, lead := strings.Index(string(all), ": not ok: "), strings.Index(string(all), c.lead); notOK < 0 || lead < notOK {
			t.Errorf("%s: validate 2>&1 says the problem before the line that says it is below:\n%s", c.name, all)
		}
		for _, args := range [][]string{{"validate"}, {"status"}, {"events", "list"}} {
			_, stderr, _ := syncdRun(t, append(args, "-config", file)...)
			if !strings.HasPrefix(stderr, typedCommand(args)+": "+c.lead) || strings.Contains(stderr, "pw-not-shown") {
				t.Errorf("%s: syncd %s: stderr:\n%s\nwant it to begin %q", c.name, strings.Join(args, " "), stderr, c.lead)
			}
		}
	}
}

// TestStatusSaysWhatToDoAboutADownDatabaseOnce: syncd status, neither
// syncd nor its PostgreSQL database answering, said the cause and what to
// do twice: in its first line (the database ... does not answer: ...;
// start PostgreSQL, or give the DSN the host and port ... (pg_isready
// ...)) and again in the line after it ("neither syncd nor its database
// answers: connection refused: ...; start PostgreSQL (pg_isready ...),
// and syncd ..."). The first line says it; the second adds only syncd.
func TestStatusSaysWhatToDoAboutADownDatabaseOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	closed := freeAddr(t) // nothing listens there any more
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+
		pgStore(t, dir, "postgres://syncd:pw-not-shown@"+closed+"/syncd?sslmode=disable")), 0o600)
	_, stderr, code := syncdRun(t, "status", "-config", file)
	if code != 5 || !strings.HasPrefix(stderr, "syncd status: the database postgres://"+closed+"/syncd does not answer: ") {
		t.Fatalf("syncd status: exit %d, want 5, stderr leading with the database; stderr:\n%s", code, stderr)
	}
	for _, once := range []string{"nothing listens at that address and port", "start PostgreSQL", "pg_isready -h 127.0.0.1 -p "} {
		if n := strings.Count(stderr, once); n != 1 {
			t.Errorf("syncd status says %q %d times, want once; stderr:\n%s", once, n, stderr)
		}
	}
	if !strings.Contains(stderr, "\n  neither syncd nor its database answers: see to the database as said above, and start syncd "+
		"(one started first waits for the database, and syncd status then says so)") {
		t.Errorf("syncd status does not say that syncd does not answer either, and to start it; stderr:\n%s", stderr)
	}
}

// TestPostgresTLSProblemsLeadWithWhatToDo: a DSN asking for TLS of a
// server that offers none (sslmode=require), or checking the server's
// certificate against the wrong CA (sslmode=verify-full, sslrootcert
// another CA's), was said beginning "connect postgres://…:", the words of
// a connection failing, before syncd's; a database not answering leads
// with the database and what is wrong (TestPostgresProblemsLeadWithWhatToDo).
// TLS failures now do too: the database, what is wrong, what to do, and
// after "connect postgres://…:" the TLS library's words; exit 2 (a person
// changes the server or the DSN), status 5.
func TestPostgresTLSProblemsLeadWithWhatToDo(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	plain := strings.Replace(pgtest.DSN(t), "sslmode=disable", "sslmode=require", 1)
	tlsDSN, _ := pgtest.TLSDSN(t)
	_, otherCA := pgtest.ServerCert(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	wrongCA := strings.Replace(tlsDSN, "sslmode=disable", "sslmode=verify-ca&sslrootcert="+dsnValue(otherCA), 1)
	wrongName := strings.Replace(tlsDSN, "sslmode=disable", "sslmode=verify-full&sslrootcert="+dsnValue(otherCA), 1) // the name checked first
	for _, c := range []struct {
		name, dsn, lead, driver string
	}{
		{"no TLS offered", plain, "the server does not offer TLS, which sslmode=require in the DSN asks for: set ssl = on in its " +
			"postgresql.conf (with ssl_cert_file and ssl_key_file) and reload it, or, on a network you trust, set sslmode=prefer " +
			"(TLS where offered) or disable in the DSN: connect ", "tls error: server refused TLS connection"},
		{"another CA", wrongCA, "the server's certificate is not signed by a CA this machine trusts (sslmode=verify-ca (or require " +
			"with an sslrootcert) checks it): give that CA's certificate", "x509: certificate signed by unknown authority"},
		{"another name", wrongName, "the server's certificate is for " + pgtest.CertName + ", not 127.0.0.1, the host the DSN names " +
			"(sslmode=verify-full checks the name): ", "x509: cannot validate certificate for 127.0.0.1"},
	} {
		u, err := url.Parse(c.dsn)
		if err != nil {
			t.Fatal(err)
		}
		database := "the database postgres://" + u.Host + u.Path + ": "
		dir := t.TempDir()
		file := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, c.dsn)), 0o600)
		for _, args := range [][]string{{"events", "list"}, {"status"}, {"validate"}} {
			_, stderr, code := syncdRun(t, append(args, "-config", file)...)
			want := 2
			if args[0] == "status" {
				want = 5
			}
			if i := strings.Index(stderr, typedCommand(args)+": the database"); args[0] == "validate" && i > 0 {
				stderr = stderr[i:] // after the lines that say the files are fine
			}
			driver := strings.Index(stderr, c.driver)
			if code != want || !strings.HasPrefix(stderr, typedCommand(args)+": "+database+c.lead) || driver < 0 ||
				driver < strings.Index(stderr, ": connect postgres://"+u.Host+u.Path+": ") {
				t.Errorf("%s: syncd %s: exit %d, want %d; stderr:\n%s\nwant it to begin %q, %q after \"connect …:\"",
					c.name, strings.Join(args, " "), code, want, stderr, database+c.lead, c.driver)
			}
		}
	}
}

// dsnValue is a file's path as a URL DSN's parameter is written: each
// byte but the unreserved ones percent-encoded, a space as %20 (a + is a
// plus to pgconn, not a space), so that a temporary directory with a
// space or parentheses names the same file.
func dsnValue(path string) string {
	return strings.ReplaceAll(url.QueryEscape(path), "+", "%20")
}
