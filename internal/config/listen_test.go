package config_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestListenAddressesServeCannotOpenAreRefused: validate said ok to a
// metrics.listen serve could not open (a port alone, the address listen
// has), and serve then stopped at start, under systemd again and again,
// with "missing port in address" of a port, or "another process listens"
// of syncd itself. A SYNCD_LISTEN it could not read was told at the file's
// listen line, which says something else. A port past 65535
// (listen: 127.0.0.1:80800) was told as "address 80800: invalid port",
// not what a port may be.
func TestListenAddressesServeCannotOpenAreRefused(t *testing.T) {
	for _, c := range []struct {
		listen, metrics, env string
		want                 string // "" for no problem
	}{
		{"127.0.0.1:8080", "9090", "", "c.yaml:6: metrics.listen 9090 is a port alone: write 127.0.0.1:9090"},
		{"127.0.0.1:8080", "127.0.0.1:8080", "", "c.yaml:6: metrics.listen 127.0.0.1:8080 is where listen 127.0.0.1:8080 listens already"},
		{"127.0.0.1:8080", "localhost:8080", "", "is where listen"},
		{":8080", "127.0.0.1:8080", "", "is where listen"},
		{"[::]:8080", "127.0.0.1:8080", "", "is where listen"},
		{"0.0.0.0:8080", "[::1]:8080", "", "is where listen"}, // Go's IPv6 sockets are dual-stack
		{"127.0.0.1:8080", "[::1]:8080", "", ""},
		{"127.0.0.2:8080", "127.0.0.1:8080", "", ""},
		{"127.0.0.1:8080", "127.0.0.1:9090", "", ""},
		{"127.0.0.1:0", "127.0.0.1:0", "", ""}, // the system picks two ports
		{"127.0.0.1:8080", "", "8080", "c.yaml: SYNCD_LISTEN 8080 is a port alone: write 127.0.0.1:8080 (this host only, as behind a proxy on it) or :8080 (every interface) (SYNCD_LISTEN overrides the file's listen)"},
		{"127.0.0.1:80800", "", "", "c.yaml:1: listen 127.0.0.1:80800: port 80800 is out of range: a port is 1 to 65535 (e.g. 127.0.0.1:8080)"},
		{"127.0.0.1:8080", "127.0.0.1:-1", "", "c.yaml:6: metrics.listen 127.0.0.1:-1: port -1 is out of range: a port is 1 to 65535"},
		{"127.0.0.1:8080", "", "[::1]:70000", "c.yaml: SYNCD_LISTEN [::1]:70000: port 70000 is out of range: a port is 1 to 65535 (e.g. 127.0.0.1:8080) (SYNCD_LISTEN overrides"},
		{"127.0.0.1:8080", "127.0.0.1:9090", "127.0.0.1:9090", "metrics.listen 127.0.0.1:9090 is where SYNCD_LISTEN 127.0.0.1:9090 listens already"},
	} {
		raw := fmt.Sprintf("listen: %q\nsources:\n  lb: {kind: lokalebasen, tokens: [a-long-enough-token-0123456789]}\nmapping: {dir: ../../mappings/hubspot}\nmetrics:\n  listen: %q\n",
			c.listen, c.metrics)
		_, err := config.Parse("c.yaml", []byte(raw), env(map[string]string{"SYNCD_LISTEN": c.env}))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("listen %s, metrics.listen %s: %v", c.listen, c.metrics, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("listen %s, metrics.listen %s, SYNCD_LISTEN %q: %v\nwant %q", c.listen, c.metrics, c.env, err, c.want)
		}
	}
}
