package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestPostgresRestoreSaysAnErasureItCannotTell: on PostgreSQL an erasure
// a restore undid whose person none of the database's contacts names
// (erased by a phone, the contacts keyed by email) was logged at info,
// "the person is not in it either, nothing to erase again", though the
// restored dump held the lead erased: the person was back, mapped and
// sent, and status said nothing. Now it is an error line and status says
// ERASURE UNDONE (exit 5) until syncd erase is run again for the person;
// and syncd status run beside the running instance says it too (it did
// not read the restore's findings on PostgreSQL, as it does on SQLite).
func TestPostgresRestoreSaysAnErasureItCannotTell(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	config := pgHostListening(t, dsn)
	restoredAfterErase(t, dsn, config, "-phone", e2eJane.phone)

	d := start(t, config)
	waitFor(t, "the start's line on the erasure it cannot make again", func() bool {
		return strings.Contains(d.log(), "an erasure run on this host is undone by a restore of the database") ||
			strings.Contains(d.log(), "nothing to erase again")
	})
	if strings.Contains(d.log(), "nothing to erase again") {
		t.Errorf("the start took the erasure for nothing to do, the restored database holding Jane's lead:\n%s", d.log())
	}
	out, _, code := syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, "the instance at") {
		t.Fatalf("status did not ask the running instance:\n%s", out)
	}
	if code != 5 || !strings.Contains(out, "ERASURE UNDONE: the erasure of ") || !strings.Contains(out, "cannot tell") {
		t.Errorf("status beside the running instance, Jane's lead back: exit %d, want 5 and ERASURE UNDONE, cannot tell:\n%s", code, out)
	}
	if got := metricLine(metricsText(t, d.url), "syncd_restore_erasures_undone"); got != "syncd_restore_erasures_undone 1" {
		t.Errorf("/metrics: %q, want the erasure undone", got)
	}

	syncdOK(t, "erase", "-config", config, "-phone", e2eJane.phone) // as status asks
	if out, _, _ := syncdRun(t, "status", "-config", config); strings.Contains(out, "ERASURE UNDONE") {
		t.Errorf("status once the erase was run again:\n%s", out)
	}
	if n := janeEvents(t, config); n != 0 {
		t.Errorf("Jane is still in %d events after the erase run again", n)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// pgHostListening is the configuration of one instance on the PostgreSQL
// database dsn that listens on a port of its own: syncd status then asks
// the running instance, as an operator's does.
func pgHostListening(t *testing.T, dsn string) string {
	t.Helper()
	config := pgHosts(t, dsn, "", "a")[0]
	b, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, []byte(strings.Replace(string(b), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}

// TestUnreadableErasureLogOnPostgresIsSaid: an erasure log whose first
// line is damaged (cut by a crash as it was made) made every later syncd
// erase print a line on stderr and exit 0, the erasure unrecorded, and
// the instance's hourly check log an error; syncd status said nothing
// beside a running instance (exit 0), so a restore would have brought
// those people back with no word. Now status says ERASURE LOG UNREADABLE
// (exit 5), and an erase it cannot record exits 5.
func TestUnreadableErasureLogOnPostgresIsSaid(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	config := pgHostListening(t, dsn)
	d := start(t, config)
	for _, p := range []e2ePerson{e2eJane, e2eBob} {
		dl := p.deliveries(t)[1] // a Lokalebasen lead
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(dl[1])); err != nil || a.Status != "accepted" {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitMapped(t, config)
	// and sent: an erase while the instance's sync holds Bob's operation
	// refuses, exit 4 ("being delivered to the CRM now"), as a loaded
	// clean-clone .ci/run met it
	waitFor(t, "the operations sent", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	out := syncdOK(t, "erase", "-config", config, "-email", e2eJane.email)
	_, logPath, _ := strings.Cut(out, "\nerasure log: ")
	logPath, _, _ = strings.Cut(logPath, " records it")
	if !strings.HasPrefix(out, "erased: 1 event") || !strings.HasSuffix(logPath, "syncd-erasures.jsonl") {
		t.Fatalf("erase, which names its log:\n%s", out)
	}
	if err := os.WriteFile(logPath, []byte(`{"salt":"3f`), 0o600); err != nil { // cut as it was made
		t.Fatal(err)
	}
	out, errOut, code := syncdRun(t, "erase", "-config", config, "-email", e2eBob.email)
	if code != 5 || !strings.Contains(errOut, "this erasure is not recorded there") {
		t.Errorf("erase the log cannot record: exit %d, want 5 and why:\n%s\n%s", code, out, errOut)
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, "the instance at") {
		t.Fatalf("status did not ask the running instance:\n%s", out)
	}
	if code != 5 || !strings.Contains(out, "ERASURE LOG UNREADABLE: erasure log: ") {
		t.Errorf("status beside the instance, its erasure log unreadable: exit %d, want 5 and ERASURE LOG UNREADABLE:\n%s", code, out)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
