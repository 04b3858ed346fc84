package main_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestADatabaseOutageIsToldOnceWithAReminderAndItsEnd: PostgreSQL
// stopped under a running instance. Each of its parts that retry on
// their own (the listen session, the sync and report leads, the
// heartbeat) logged its every failure, one error line per part every
// 10 s, 1,440 lines an hour with the cause nowhere said, no line when the
// database was back, and with a DSN naming no sslmode each line said
// pgx's failed try twice (once with TLS, once without). The log now says
// once that the database does not answer and what that stops, reminds at
// most once per interval (5 minutes; 2 s here) with the count, and says
// when it answers again and how long it was gone; each try is said once.
// The sessions the server's stop ended (listen, the leads, the
// heartbeat's) were each an error line before the outage's first: they
// are now held a moment and told by the outage; a session ended alone (a
// DBA's pg_terminate_backend) is no outage, and is said as before. The mapping worker (an error line at once, then one a
// minute), /readyz polled by a load balancer ("not ready" every 10 s) and
// each /metrics scrape (a warning of the outbox query) logged the outage
// on their own as well, as did each delivery answered 503 (a line every
// 10 s while senders retry): they now leave it to the outage's lines, and
// nothing else is logged at warn or error from the database stopping
// to its end but those lines and the sessions it ended.
func TestADatabaseOutageIsToldOnceWithAReminderAndItsEnd(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	pg := ownPostgres(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, pg.dsn))
	os.WriteFile(config, []byte(strings.Replace(yaml, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)), 0o600) // status asks the daemon
	d := start(t, config, "SYNCD_TEST_DB_DOWN_REMIND=2s")
	waitFor(t, "the instance to lead the sync", func() bool { return strings.Contains(d.log(), `"message":"leading sync"`) })

	pg.ctl(t, "stop", "-m", "fast")
	waitReady(t, d.url, http.StatusServiceUnavailable)
	time.Sleep(7 * time.Second) // three reminders' worth, each part retrying every 2 s
	for range 3 {               // Prometheus scrapes, a load balancer polls
		if resp, err := http.Get(d.url + "/metrics"); err == nil {
			resp.Body.Close()
		}
		waitReady(t, d.url, http.StatusServiceUnavailable)
	}
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event":"x"}`)); err != nil || a.Code != 503 {
		t.Fatalf("a delivery during the outage: %+v %v", a, err)
	}
	// status points at the lines the log has: "not ready" alone is no longer one of an outage
	if out, errOut, _ := syncdRun(t, "status", "-config", config); !strings.Contains(out, `the log, "database not answering"`) {
		out += errOut
		t.Errorf("status during the outage names no line of it:\n%s", out)
	}
	pg.ctl(t, "start")
	waitFor(t, "the line saying the database answers again", func() bool {
		return strings.Contains(d.log(), `"message":"database answers again"`)
	})
	waitReady(t, d.url, http.StatusOK)
	outageLog := d.log()

	var first, reminders, back, store int
	var downFor time.Duration
	var outage, others []string
	for _, s := range strings.Split(outageLog, "\n") {
		var raw map[string]any
		if json.Unmarshal([]byte(s), &raw) != nil {
			continue
		}
		var l struct{ Level, Message, Error string }
		json.Unmarshal([]byte(s), &l)
		switch {
		case strings.HasPrefix(l.Message, "database not answering: deliveries answered 503"):
			first++
			outage = append(outage, s)
			if l.Level != "error" {
				t.Errorf("the first line is not an error: %s", s)
			}
		case strings.HasPrefix(l.Message, "database still not answering"):
			reminders++
			outage = append(outage, s)
			if l.Level != "warn" || raw["failures"] == nil || raw["for"] == nil {
				t.Errorf("a reminder: %s", s)
			}
		case l.Message == "database answers again":
			back++
			outage = append(outage, s)
			if f, _ := raw["failures"].(float64); f < 4 || raw["down_for"] == nil {
				t.Errorf("the end of the outage: %s", s)
			}
			df, _ := raw["down_for"].(string)
			downFor, _ = time.ParseDuration(df)
		case l.Message == "store" && strings.Contains(l.Error, "failed to connect"):
			store++ // the pool's tries: the outage tells them
		case l.Message == "not ready" && strings.Contains(l.Error, "SQLSTATE 57P01"): // the probe's session the stop ended
		case first > 0 && back == 0 && (l.Level == "warn" || l.Level == "error"), l.Message == "not ready",
			strings.Contains(l.Error, "SQLSTATE 57P01"), // the sessions the stop ended: the outage tells it
			first > 0 && l.Message == "map events: working again":
			others = append(others, s)
		}
		if n := strings.Count(l.Error, "dial error"); n > 1 {
			t.Errorf("a line says pgx's failed try %d times: %s", n, s)
		}
	}
	// One reminder at most every 2 s: the outage lasts some 10 s, longer
	// on a loaded machine (20 s, 8 reminders, in a full run beside others).
	most := max(2, int(downFor/(2*time.Second))+1)
	if first != 1 || back != 1 || reminders < 1 || reminders > most || store > 0 {
		t.Errorf("outage of %s told in %d first lines, %d reminders, %d ends, %d store lines failing to connect; want 1, 1 to %d, 1, 0:\n%s",
			downFor, first, reminders, back, store, most, d.log())
	}
	if len(others) > 0 {
		t.Errorf("%d more lines of the outage, beside its own:\n%s", len(others), strings.Join(others, "\n"))
	}
	t.Logf("the outage as logged:\n%s", strings.Join(outage, "\n"))

	// A session a DBA ends alone is no outage, and is said.
	waitFor(t, "the listen session to be back", func() bool {
		return pg.query(t, `SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'syncd listen%'`) == "1"
	})
	pg.query(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'syncd listen%'`)
	waitFor(t, "the line saying the listen session ended", func() bool {
		return strings.Contains(d.log()[len(outageLog):], `"error":"listen: FATAL: terminating connection due to administrator command`)
	})
	if strings.Count(d.log(), `"message":"database not answering`) != 1 {
		t.Errorf("a session a DBA ended began an outage:\n%s", d.log())
	}
}

// ownCluster is a PostgreSQL cluster of one test's own, which it may stop
// and start (pgtest's is every test's), reached with a DSN naming no
// sslmode, as the README's does.
type ownCluster struct {
	bin, data, dir string
	port           int
	cred           *syscall.Credential
	dsn            string
}

// ownPostgres makes and starts a cluster for t, stopped when t ends.
func ownPostgres(t *testing.T) *ownCluster {
	t.Helper()
	bin := pgBin
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		t.Skipf("no PostgreSQL server binaries in %s", bin)
	}
	dir, err := os.MkdirTemp("", "syncd-own-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c := &ownCluster{bin: bin, dir: dir, data: filepath.Join(dir, "data")}
	if os.Geteuid() == 0 { // PostgreSQL refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root needs a postgres user")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	c.run(t, "initdb", "-D", c.data, "-U", "postgres", "--auth=trust", "--no-instructions", "-E", "UTF8", "--locale=C")
	addr := freeAddr(t)
	c.port, _ = strconv.Atoi(addr[strings.LastIndex(addr, ":")+1:])
	c.ctl(t, "start")
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "stop", "-m", "immediate")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
		cmd.Run()
	})
	c.dsn = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres", c.port)
	return c
}

// ctl runs pg_ctl on the cluster: start (on its port, waiting until it
// takes connections) or stop.
func (c *ownCluster) ctl(t *testing.T, args ...string) {
	t.Helper()
	args = append([]string{"-D", c.data, "-w", "-l", filepath.Join(c.dir, "postgres.log")}, args...)
	if args[len(args)-1] == "start" {
		// pg_ctl runs postgres through sh: its options are words of a shell
		// command, the socket directory (under TMPDIR) quoted.
		args = append(args, "-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", c.port, sq(c.dir)))
	}
	c.run(t, "pg_ctl", args...)
}

// query runs sql on the cluster's postgres database with psql and returns
// what it prints, unaligned and trimmed.
func (c *ownCluster) query(t *testing.T, sql string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(c.bin, "psql"), "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres",
		"-d", "postgres", "-At", "-c", sql)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql %s: %v\n%s", sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (c *ownCluster) run(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
		t.Fatalf("%s %v: %v\n%s\n%s", name, args, err, out, log)
	}
}
