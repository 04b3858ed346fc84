package main_test

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSocketElsewhereThanListenIsWarned: under syncd.socket the daemon
// serves on the socket systemd passes (ListenStream=, e.g. the systemd
// README's 0.0.0.0:8080), while syncd status looks for it at listen:. A
// socket at another address left status saying "no syncd answers" (exit 5)
// beside a healthy daemon, whose log said nothing of it. serve now warns,
// naming both addresses; a socket at listen: is not warned of.
func TestSocketElsewhereThanListenIsWarned(t *testing.T) {
	t.Parallel()
	activate, err := exec.LookPath("systemd-socket-activate")
	if err != nil {
		t.Skip("systemd-socket-activate not installed")
	}
	dir := t.TempDir()
	listen := freeAddr(t)
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+listen, 1)
	os.WriteFile(config, []byte(yaml), 0o600)
	want := "the socket systemd passed is not at listen"

	for _, c := range []struct {
		socket string
		warned bool
	}{{freeAddr(t), true}, {listen, false}} {
		cmd := exec.Command(activate, "-l", c.socket, syncdBin, "serve", "-config", config)
		go connectOnce(c.socket) // systemd-socket-activate starts syncd on the first connection
		d := startCmd(t, cmd)
		if !strings.Contains(d.url, c.socket) {
			t.Fatalf("serving on %s, not on the socket %s", d.url, c.socket)
		}
		if got := strings.Contains(d.log(), want) && strings.Contains(d.log(), `"socket":"`+c.socket+`"`) &&
			strings.Contains(d.log(), `"listen":"`+listen+`"`); got != c.warned {
			t.Errorf("socket %s, listen %s: warned %v, want %v\n%s", c.socket, listen, got, c.warned, d.log())
		}
		// Status said "no syncd answers at LISTEN", exit 5; it finds the
		// daemon by the record it keeps in its data directory, and says why.
		out, stderr, code := syncdRun(t, "status", "-config", config)
		if said := strings.HasPrefix(out, "daemon        found at "+c.socket+" (none answers at "+listen+
			", the file's listen: it serves on the socket systemd passed"); code != 0 || said != c.warned || !strings.Contains(out, "running since") {
			t.Errorf("status, socket %s, listen %s: exit %d, said %v\n%s%s", c.socket, listen, code, said, out, stderr)
		}
		d.stop(t, syscall.SIGTERM)
	}
}

// connectOnce connects to addr once something listens there, and hangs up.
func connectOnce(addr string) {
	for range 200 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
