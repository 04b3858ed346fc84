package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestPlaceholderTokensOnASocketOthersReachAreRefused: the configuration
// refuses the example's change-me tokens where listen takes other hosts'
// connections, but under syncd.socket the daemon serves on the socket
// systemd passes (the install guide's ListenStream=0.0.0.0:8080, for a
// balancer), whatever listen says: a listen left at 127.0.0.1:8080 let the
// daemon take anyone's leads there with a token the README prints. serve
// now refuses such a socket while a token is a placeholder, naming them;
// on a loopback socket they stay the configuration's warning.
func TestPlaceholderTokensOnASocketOthersReachAreRefused(t *testing.T) {
	wd, _ := os.Getwd()
	t.Chdir(filepath.Join(wd, "..", ".."))
	cfg, err := config.Load("configs/syncd.example.yaml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	abroad := &net.TCPAddr{IP: net.IPv4zero, Port: 8080}
	err = placeholdersAbroad(cfg, abroad)
	if err == nil || !strings.Contains(err.Error(), "sources.eaf.tokens entry 1, sources.lokalebasen.tokens entry 1") ||
		!strings.Contains(err.Error(), "the socket systemd passed, 0.0.0.0:8080, takes connections from other hosts") {
		t.Errorf("a socket on 0.0.0.0 with the example's tokens: %v", err)
	}
	for _, local := range []net.Addr{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, &net.TCPAddr{IP: net.IPv6loopback, Port: 8080},
		&net.UnixAddr{Name: "/run/syncd.sock", Net: "unix"}} {
		if err := placeholdersAbroad(cfg, local); err != nil {
			t.Errorf("a socket at %s (this host only) refused: %v", local, err)
		}
	}
	own := map[string]string{"SYNCD_LOKALEBASEN_TOKEN": "lb-Xk29fj3kd9s0a1b2", "SYNCD_EAF_TOKEN": "eaf-Pq83nd72hs9c0x1z"}
	cfg, err = config.Load("configs/syncd.example.yaml", func(k string) string { return own[k] })
	if err != nil {
		t.Fatal(err)
	}
	if err := placeholdersAbroad(cfg, abroad); err != nil {
		t.Errorf("tokens of one's own on a socket at 0.0.0.0: %v", err)
	}
}
