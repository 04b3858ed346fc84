package main_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// storeBigDay stores n leads of about 11 kB received at, each done with
// (mapped to nothing), through the store's intake, in the database of a
// configuration written in dir: a portal's back catalogue sent in a day.
func storeBigDay(t *testing.T, dir string, n int, at time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := db.NewIntake(sqlite.IntakeOptions{})
	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { in.Run(run); close(done) }()
	defer func() { stop(); <-done }()
	pad := strings.Repeat("I would like something with a grand view over the city. ", 200)
	for i := range n {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"big%d","contact_email":"p%d@example.com","contact_message_flat":%q}`, i, i, pad)
		r, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "email_lead", Key: fmt.Sprintf("eaf:big%d", i),
			Body: []byte(body), Parse: syncd.ParseStrict, ReceivedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordMapping(ctx, r.ID, syncd.MapIgnored, "", nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPurgeSaysTheFileKeepsItsSize: a big day purged by the retention
// leaves the SQLite file as large as it was, most of it free pages that
// new leads reuse. syncd purge said nothing of it, and nothing in the
// README did: an operator saw a 150 MB file of a day of 50,000 leads
// purged months ago. It now says the file's size and free space, and with
// a quarter or more free, the VACUUM (daemon stopped) that shrinks it,
// after which the database serves commands as before.
func TestPurgeSaysTheFileKeepsItsSize(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  event_days: 30\n")
	storeBigDay(t, dir, 600, time.Now().AddDate(0, 0, -40))
	path := filepath.Join(dir, "data", "syncd.db")
	out := syncdOK(t, "purge", "-config", config)
	if !strings.Contains(out, "purged: 600 event bodies") {
		t.Fatalf("purge said:\n%s", out)
	}
	m := regexp.MustCompile(`database file: ([0-9.]+) MB, ([0-9.]+) MB of it free space, which new leads reuse`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("purge does not say the file's size and free space:\n%s", out)
	}
	size, _ := strconv.ParseFloat(m[1], 64)
	free, _ := strconv.ParseFloat(m[2], 64)
	if size < 4 || free < size/2 {
		t.Errorf("said %.1f MB, %.1f MB free; want 4 MB or more, half or more free:\n%s", size, free, out)
	}
	advice := "systemctl stop syncd; sqlite3 " + sq(path) + " VACUUM; systemctl start syncd" // run by the file's owner: no sudo
	if !strings.Contains(out, advice) {
		t.Errorf("purge does not say how to shrink it (%q):\n%s", advice, out)
	}
	// The advice, followed (sqlite3's VACUUM, as that command runs it).
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`VACUUM`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	fi, err := os.Stat(path)
	if err != nil || float64(fi.Size())/1e6 > size-free+0.5 {
		t.Fatalf("after VACUUM the file is %v bytes (%v); want about %.1f MB", fi.Size(), err, size-free)
	}
	out = syncdOK(t, "purge", "-config", config)
	if !strings.Contains(out, "database file: ") || strings.Contains(out, "to shrink it") {
		t.Errorf("purge after VACUUM said:\n%s", out)
	}
}

// TestPurgesVacuumLineStopsTheDaemonStartedByHand: purge's way to shrink
// the file, "systemctl stop syncd; sqlite3 FILE VACUUM; systemctl start
// syncd", named the unit even where the daemon serving the file was
// started by hand: systemctl stopped no such daemon (or syncd.service's, on
// another file), and the VACUUM ran beside the daemon. Of a daemon started
// by hand the line now stops it by its pid, waiting for it to end, and
// starts it again as it was started; each part, pasted into sh, does so.
func TestPurgesVacuumLineStopsTheDaemonStartedByHand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  event_days: 30\n")
	storeBigDay(t, dir, 600, time.Now().AddDate(0, 0, -40))
	d := start(t, config)
	out := syncdOK(t, "purge", "-config", config)
	m := regexp.MustCompile(`it needs free disk as large as the file\): (.+)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("purge does not say how to shrink the file:\n%s", out)
	}
	parts := strings.Split(m[1], "; ")
	if len(parts) != 3 || strings.Contains(m[1], "systemctl") {
		d.stop(t, syscall.SIGTERM)
		t.Fatalf("purge beside a daemon started by hand (pid %d) says %q: want it stopped and started again as it was, "+
			"not by systemctl", d.cmd.Process.Pid, m[1])
	}
	if out, err := exec.Command("sh", "-c", parts[0]).CombinedOutput(); err != nil {
		t.Fatalf("%s, pasted into sh: %v\n%s", parts[0], err, out)
	}
	select {
	case <-d.done:
	case <-time.After(5 * time.Second):
		d.stop(t, syscall.SIGTERM)
		t.Fatalf("%s, pasted into sh, returned with the daemon still running", parts[0])
	}
	if out, err := exec.Command("sh", "-c", parts[1]).CombinedOutput(); err != nil {
		t.Fatalf("%s, pasted into sh: %v\n%s", parts[1], err, out)
	}
	wd, _ := os.Getwd()
	start := regexp.MustCompile(`^cd (.+?) && (.+)$`).FindStringSubmatch(parts[2])
	if start == nil || !slices.Equal(pasted(t, start[1]), []string{wd}) {
		t.Fatalf("%s: want the daemon started again in its directory %s", parts[2], wd)
	}
	if got, want := pasted(t, start[2]), []string{"serve", "-config", config}; len(got) < 1 || !slices.Equal(got[1:], want) {
		t.Errorf("%s, pasted into sh, runs %q, want syncd %q", start[2], got, want)
	}
}
