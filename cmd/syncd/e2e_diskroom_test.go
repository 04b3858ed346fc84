package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDiskFullLineGoesOnceThereIsRoom: a delivery refused on a full disk
// has the systemd status line say "disk FULL". Once room was made it said
// so until the next delivery was stored: on a quiet night, for hours,
// while /readyz answered 200. The watchdog's health check (every
// WatchdogSec/4) now sees the room and the line says "serving on" again,
// no delivery needed; so does a /readyz that finds room.
func TestDiskFullLineGoesOnceThereIsRoom(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	seed := seedDir(t, dir)
	n, sock := listenNotify(t)
	d := startOnTmpfs(t, config, seed, data, 8<<20, false, "NOTIFY_SOCKET="+sock, "WATCHDOG_USEC=2000000")
	url := "http://" + d.await(t, "serving")["listen"].(string)
	n.await(t, "STATUS=serving on")
	d.fill(t)
	refused := false
	for i := 0; i < 50 && !refused; i++ { // the room a refused transaction leaves may take a few
		a, _ := post(url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","id":"room-`+strings.Repeat("x", i)+`","contact_email":"a@example.com"}`))
		refused = a.Code == 503
	}
	if !refused {
		t.Fatalf("no delivery refused on the full disk:\n%.3000s", d.log())
	}
	n.await(t, "STATUS=ATTENTION: disk FULL: deliveries answered 503 (df -h)")
	d.free(t)
	// No delivery from here on: the line must change by itself.
	n.awaitMatch(t, "STATUS=serving on, no delivery stored since the room was made", func(m string) bool {
		return strings.HasPrefix(m, "STATUS=serving on")
	}, 20*time.Second)
	if status(t, url+"/readyz") != 200 {
		t.Errorf("/readyz not 200 once room was made:\n%.3000s", d.log())
	}
	d.cmd.Process.Signal(syscall.SIGTERM) // the shell forwards it; killed, it would leave syncd running
	if err := <-d.done; err != nil {
		t.Errorf("syncd stopped with %v:\n%.3000s", err, d.log())
	}
}
