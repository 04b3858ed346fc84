package main_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// instanceLine is the line of syncd status's cluster that lists the
// instance of pid; "" when none does.
func instanceLine(out string, pid int) string {
	for line := range strings.SplitSeq(out, "\n") {
		if strings.Contains(line, fmt.Sprintf(" pid %d listen ", pid)) {
			return line
		}
	}
	return ""
}

// TestAKilledInstanceIsGoneAtOnce: two instances on PostgreSQL, one
// killed (kill -9): the server ended its sessions at once, but syncd
// status counted it as running until its heartbeat was 10 s old, so an
// operator checking right after a crash was told all was well; with both
// killed, status exited 0 for those 10 s. Status now says it GONE at
// once, and NONE RUNS (exit 5) once both are.
func TestAKilledInstanceIsGoneAtOnce(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	cfgs := pgHosts(t, pgtest.DSN(t), "", "a", "b")
	a, b := start(t, cfgs[0]), start(t, cfgs[1])
	waitFor(t, "both instances seen", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", cfgs[0])
		return strings.Contains(out, "cluster: 2 instances seen") && !strings.Contains(out, "silent")
	})

	b.stop(t, syscall.SIGKILL)
	killed := time.Now()
	out, errOut, code := syncdRun(t, "status", "-config", cfgs[0])
	if line := instanceLine(out, b.cmd.Process.Pid); code != 0 || !strings.Contains(line, "(GONE: its database sessions have ended") ||
		!strings.HasSuffix(line, "leads -") {
		t.Errorf("status right after b was killed: exit %d, want 0 and b GONE, leading nothing\n%s%s", code, out, errOut)
	}
	a.stop(t, syscall.SIGKILL)
	out, errOut, code = syncdRun(t, "status", "-config", cfgs[0])
	if code != 5 || !strings.Contains(out, "NONE RUNS: all 2 are gone (their database sessions have ended: killed or crashed)") {
		t.Errorf("status right after both were killed: exit %d, want 5 and NONE RUNS\n%s%s", code, out, errOut)
	}
	t.Logf("both commands ran within %s of the first kill", time.Since(killed).Round(time.Millisecond))
}

// syncLeaderPID is the process id of the syncd whose session holds the
// sync's lock on dsn's database, as its session's name says (syncd lead
// sync HOST:PID); 0 when none holds it. pg_locks and pg_stat_activity
// show every database of the server, which the tests running beside share
// (one cluster a test binary), each database with its own leader: the
// first of them was taken, another test's as often as not once the tests
// overlap (the more, the higher the load), and TestANewLeaderIsNamedAtOnce
// waited its minute for a leader of its own that it never read
// (TestSyncLeaderPIDIsOfItsOwnDatabase).
func syncLeaderPID(t *testing.T, dsn string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn) // closed at once: polled, one session a call would fill the server's slots
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var name string
	conn.QueryRow(ctx, `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.mode = 'ExclusiveLock' AND l.granted AND a.application_name LIKE 'syncd lead sync %'
			AND a.datname = current_database() AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&name)
	pid, _ := strconv.Atoi(name[strings.LastIndex(name, ":")+1:])
	return pid
}

// TestANewLeaderIsNamedAtOnce: two instances on PostgreSQL, the sync
// leader stopped: the other took the sync's lock within 2 s, but syncd
// status named no leader until that one's next heartbeat recorded that
// it leads (up to 2 s more). Status names the instance whose session
// holds the lock, at once.
func TestANewLeaderIsNamedAtOnce(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	cfgs := pgHosts(t, dsn, "", "a", "b")
	ds := []*daemon{start(t, cfgs[0]), start(t, cfgs[1])}
	leader := -1
	waitFor(t, "an instance to lead the sync", func() bool {
		pid := syncLeaderPID(t, dsn)
		for i, d := range ds {
			if d.cmd.Process.Pid == pid {
				leader = i
			}
		}
		return leader >= 0
	})
	other := ds[1-leader]
	ds[leader].stop(t, syscall.SIGTERM)
	for deadline := time.Now().Add(time.Minute); !polled(func() bool { return syncLeaderPID(t, dsn) == other.cmd.Process.Pid }, 20*time.Millisecond); {
		if time.Now().After(deadline) {
			t.Fatalf("the other instance did not take the sync's lock within a minute\n%s", other.log())
		}
	}
	out, errOut, _ := syncdRun(t, "status", "-config", cfgs[1-leader])
	line := instanceLine(out, other.cmd.Process.Pid)
	if _, leads, _ := strings.Cut(line, "  leads "); !strings.Contains(leads, "sync") {
		t.Errorf("status right after the other instance took the sync's lock: it is not said to lead the sync\n%s%s", out, errOut)
	}
}

// TestSyncLeaderPIDIsOfItsOwnDatabase: two databases of the tests'
// cluster, a sync leader's session on one (named as syncd names it, its
// lock held), none on the other. syncLeaderPID names that leader on its
// own database only: it read the whole server's locks, and named it on
// the other too.
func TestSyncLeaderPIDIsOfItsOwnDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	led, unled := pgtest.DSN(t), pgtest.DSN(t)
	cfg, err := pgx.ParseConfig(led)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["application_name"] = "syncd lead sync elsewhere:4242"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7)`); err != nil {
		t.Fatal(err)
	}
	if pid := syncLeaderPID(t, led); pid != 4242 {
		t.Errorf("the leader on its own database: pid %d, want 4242", pid)
	}
	if pid := syncLeaderPID(t, unled); pid != 0 {
		t.Errorf("a database no syncd leads: pid %d, another database's leader; want 0", pid)
	}
}

// TestStatusFindsThisHostsInstanceOnAChosenPort: two instances on
// PostgreSQL whose listen has the system choose the port (127.0.0.1:0).
// syncd status could not find this host's own instance there: it said
// "no syncd answers at 127.0.0.1:0" of one running, and nothing of one
// killed while the other ran (exit 0). It finds it by the record it
// leaves in its data directory, as on SQLite: the one running shown as
// running, the one killed as THIS HOST'S INSTANCE DOWN, exit 5.
func TestStatusFindsThisHostsInstanceOnAChosenPort(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	cfgs := pgHosts(t, pgtest.DSN(t), "", "a", "b")
	a, b := start(t, cfgs[0]), start(t, cfgs[1])
	addrA, addrB := strings.TrimPrefix(a.url, "http://"), strings.TrimPrefix(b.url, "http://")

	out, errOut, code := syncdRun(t, "status", "-config", cfgs[0])
	if code != 0 || !strings.Contains(out, "daemon        found at "+addrA) || strings.Contains(out, "no syncd answers") {
		t.Errorf("status on a, running on a port chosen at start: exit %d, want 0 and a found at %s\n%s%s", code, addrA, out, errOut)
	}
	b.stop(t, syscall.SIGKILL)
	out, errOut, code = syncdRun(t, "status", "-config", cfgs[1])
	want := fmt.Sprintf("THIS HOST'S INSTANCE DOWN: no syncd started on %s answers here (listen 127.0.0.1:0 has the system "+
		"choose a port as syncd starts, so status looks for it by the record it leaves in its data directory: pid %d at %s",
		cfgs[1], b.cmd.Process.Pid, addrB)
	if code != 5 || !strings.Contains(out, want) || !strings.Contains(out, "1 other instance runs") {
		t.Errorf("status on b, killed, a running: exit %d, want 5 and b said down\n%s%s", code, out, errOut)
	}
}
