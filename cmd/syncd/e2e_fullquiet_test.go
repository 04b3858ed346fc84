package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFullDiskIsSaidBetweenDeliveries: the disk fills under a daemon that
// receives a lead now and then, as most agencies' do. Each delivery is
// answered 503, and systemctl status says "disk FULL" until one is stored;
// but 5 s after the refused delivery /readyz answered 200 again, its probe,
// a write of a few bytes, finding room where a delivery found none (tried
// on a 3 MB tmpfs: readyz 200, the next delivery 503, readyz 503, 5 s
// later 200), so syncd status, the cron job's check, said nothing of it,
// exit 0, between deliveries. A delivery refused for want of room now
// keeps /readyz failing while the disk holding the database has less than
// a megabyte free, and syncd status says deliveries are refused; once room
// is made it answers 200 again before any delivery comes.
func TestFullDiskIsSaidBetweenDeliveries(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	d := startOnTmpfs(t, config, seedDir(t, dir), data, 4<<20, false)
	url := "http://" + d.await(t, "serving")["listen"].(string)
	lead := func(i int) int {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"quiet-%d","contact_message_flat":%q}`, i, strings.Repeat("a question ", 100))
		a, err := post(url+"/hooks/eaf/"+e2eEAFToken, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return a.Code
	}
	for i := range 5 {
		if code := lead(i); code != 200 {
			t.Fatalf("delivery %d before the disk filled: %d", i, code)
		}
	}
	// A megabyte and a half left, which the leads then fill, as on a disk
	// filling with the database.
	d.fill(t)
	if fi, err := os.Stat(d.path("filler")); err != nil {
		t.Fatal(err)
	} else if err := os.Truncate(d.path("filler"), fi.Size()-3<<19); err != nil {
		t.Fatal(err)
	}
	refused := 0
	for i := 5; i < 5000 && refused == 0; i++ {
		if code := lead(i); code == 503 {
			refused++
		} else if code != 200 {
			t.Fatalf("delivery %d on a full disk: %d, want 200 or 503", i, code)
		}
	}
	if refused == 0 {
		t.Fatalf("no delivery refused on the full disk:\n%s", d.log())
	}
	time.Sleep(7 * time.Second) // past the 5 s the last write's outcome stands for /readyz
	if code := status(t, url+"/readyz"); code != 503 {
		t.Errorf("/readyz %d 7 s after a delivery was refused for want of room, the disk still full; want 503", code)
	}
	listen := "SYNCD_LISTEN=" + strings.TrimPrefix(url, "http://")
	out, stderr, code := syncdRunEnv(t, listen, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "deliveries    REFUSED: the daemon's /readyz answers 503") {
		t.Errorf("syncd status between deliveries on a full disk: exit %d, want 5 saying deliveries are refused:\n%s%s", code, out, stderr)
	}
	d.free(t)
	waitUntil(t, "/readyz 200 once room was made, with no delivery", func() bool { return status(t, url+"/readyz") == 200 })
	if code := lead(1000); code != 200 {
		t.Errorf("delivery once room was made: %d, want 200:\n%s", code, d.log())
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-d.done; err != nil {
		t.Fatalf("syncd stopped with %v:\n%s", err, d.log())
	}
}
