package main_test

import (
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSystemdStatusSaysWhatNeedsAttention: the line `systemctl status
// syncd` shows (STATUS=) says what needs attention (a report mail that
// failed before the start, the CRM adapter paused on a rejected token) and
// is "serving on ADDR" again once nothing does. It said "serving on ..."
// whatever happened. The syncd status it names carries the daemon's
// -config FILE, absolute and quoted for the shell, where that is not the
// default file: pasted in any directory, it reads the daemon's file.
func TestSystemdStatusSaysWhatNeedsAttention(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 401, Uses: 1})
	down, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downPort := down.Addr().(*net.TCPAddr).Port
	down.Close()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	mail := "report:\n" + mailTo("127.0.0.1", downPort)
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken)+mail, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	if _, stderr, code := syncdRun(t, "report", "-mail", "-config", config); code != 1 {
		t.Fatalf("report -mail to a server that is down: exit %d\n%s", code, stderr)
	}

	n, sock := listenNotify(t)
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	defer d.stop(t, syscall.SIGTERM)
	n.await(t, "STATUS=ATTENTION: last report mail FAILED")
	postTestdata(t, d, "eaf/email_lead.json")
	n.await(t, "STATUS=ATTENTION: CRM hubspot PAUSED (authentication rejected): syncd status -config "+sq(config)+"; last report mail FAILED")
	// The status the line names, pasted into sh in another directory,
	// reads the daemon's file: it said "syncd status", which read the
	// default file there (not found; on a server, or a checkout's example).
	words := pasted(t, "syncd status -config "+sq(config)) // as the line says it
	status := syncdCmd(words[1:]...)
	status.Dir = t.TempDir()
	out, _ := status.CombinedOutput()
	if code := status.ProcessState.ExitCode(); code != 5 || !strings.Contains(string(out), "PAUSED") {
		t.Errorf("the line's syncd status, pasted in another directory: exit %d\n%s\nwant exit 5 and the CRM paused", code, out)
	}
	// The pause shows once the operation it was sending is written back:
	// no lease holds it (before, a sync run then could exit 6 for one).
	if out, _, code := syncdRun(t, "sync", "-resume", "-config", config); code != 0 {
		t.Fatalf("sync -resume: exit %d\n%s", code, out)
	}
	n.await(t, "STATUS=ATTENTION: last report mail FAILED: syncd status -config "+sq(config)+" (serving on")
}

// TestSystemdStatusSaysDeliveriesAreRefused: while the store cannot keep
// deliveries (here another process holds its write lock past
// intake.answer_within; a full disk or a failing database alike) the
// status line says they are answered 503, and "serving on" once one is
// stored again; a database file lost under the daemon is named.
func TestSystemdStatusSaysDeliveriesAreRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "intake:\n  answer_within: 300ms\n")
	n, sock := listenNotify(t)
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	defer d.stop(t, syscall.SIGTERM)
	n.await(t, "STATUS=serving on")
	db := filepath.Join(dir, "data", "syncd.db")
	other, err := sql.Open("sqlite3", "file:"+db+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	send := func(id string, want int) {
		t.Helper()
		a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"feed_import","eaf_id":"`+id+`"}`))
		if err != nil || a.Code != want {
			t.Fatalf("post %s: %+v %v, want %d", id, a, err, want)
		}
	}
	send("held", 503)
	n.await(t, "STATUS=ATTENTION: deliveries answered 503: the store fails")
	lock.Rollback()
	// Stored again once the lock is gone; under a heavy load one delivery
	// may still take past answer_within (503, as the sender would retry).
	waitFor(t, "a delivery stored again", func() bool {
		a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"feed_import","eaf_id":"free"}`))
		return err == nil && a.Code == 200
	})
	n.await(t, "STATUS=serving on")

	if err := os.Rename(db, db+".moved"); err != nil {
		t.Fatal(err)
	}
	send("lost", 503)
	n.await(t, "STATUS=ATTENTION: database file LOST: deliveries answered 503 until restarted")
}
