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

// TestAnAgencysSocketIsNamedAsItsOwn: under syncd@NAME.socket (the
// template's socket, its address in a drop-in) what serve and status said
// of the socket named syncd.socket, another unit: a socket not at the
// agency file's listen was "ListenStream= in syncd.socket", and two sockets
// passed (the drop-in given twice) "a drop-in's ListenStream= adds to the
// unit's (syncd.socket's 127.0.0.1:8080) ... systemctl edit syncd.socket",
// which the operator of syncd@nordbolig would edit, to no effect. systemd
// names the socket unit in LISTEN_FDNAMES (systemd-socket-activate
// --fdname does the same); serve, its record and status now name it.
func TestAnAgencysSocketIsNamedAsItsOwn(t *testing.T) {
	t.Parallel()
	activate, err := exec.LookPath("systemd-socket-activate")
	if err != nil {
		t.Skip("systemd-socket-activate not installed")
	}
	const unit = "syncd@nordbolig.socket"
	dir := t.TempDir()
	listen := freeAddr(t)
	config := filepath.Join(dir, "nordbolig.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+listen, 1)
	os.WriteFile(config, []byte(yaml), 0o600)

	socket := freeAddr(t)
	cmd := exec.Command(activate, "-l", socket, "--fdname="+unit, syncdBin, "serve", "-config", config)
	go connectOnce(socket)
	d := startCmd(t, cmd)
	if !strings.Contains(d.log(), "give listen the socket's address (ListenStream= in "+unit+")") {
		t.Errorf("serve on %s's socket not at listen:\n%s\nwant it to name %s", unit, d.log(), unit)
	}
	out, stderr, code := syncdRun(t, "status", "-config", config)
	if code != 0 || !strings.Contains(out, "ListenStream= in "+unit+", as its record") {
		t.Errorf("status of the daemon on %s's socket: exit %d\n%s%s\nwant it to name %s", unit, code, out, stderr, unit)
	}
	d.stop(t, syscall.SIGTERM)

	s1, s2 := freeAddr(t), freeAddr(t)
	two := exec.Command(activate, "-l", s1, "-l", s2, "--fdname="+unit+":"+unit, syncdBin, "serve", "-config", config)
	go connectOnce(s1)
	said, _ := two.CombinedOutput()
	if two.ProcessState.ExitCode() != 2 || !strings.Contains(string(said), "2 sockets passed") ||
		!strings.Contains(string(said), "systemctl edit "+unit) || strings.Contains(string(said), "syncd.socket") {
		t.Errorf("serve given two sockets of %s: exit %d\n%s\nwant exit 2 naming %s, not syncd.socket", unit, two.ProcessState.ExitCode(), said, unit)
	}
}
