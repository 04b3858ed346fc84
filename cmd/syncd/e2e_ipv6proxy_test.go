package main_test

import (
	"bytes"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAProxyAtALinkLocalAddressIsTrusted: on an IPv6 network a reverse
// proxy on the same link reaches syncd from its link-local address, which
// the peer's address carries with its zone (fe80::1%eth0). With the proxy
// in http.trusted_proxies (fe80::/10), syncd judged the proxy itself all
// the same: a zoned address is in no prefix (netip), so every delivery it
// forwarded was refused 403 by the source's allow_ips, and the log said to
// put the proxy in trusted_proxies, where it was. The zone is dropped
// before the address is judged: the sender the proxy names in
// X-Forwarded-For is judged, as behind a proxy at ::1 or 127.0.0.1.
func TestAProxyAtALinkLocalAddressIsTrusted(t *testing.T) {
	t.Parallel()
	proxy := linkLocal(t)
	dir := t.TempDir()
	listen := strings.Replace(freeAddr6(t), "[::1]", "[::]", 1)
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, "http:\n  trusted_proxies: [\"::1\", \"fe80::/10\"]\n"),
		"listen: 127.0.0.1:0", `listen: "`+listen+`"`, 1)
	cfg = strings.Replace(cfg, "    tokens: ["+e2eEAFToken+"]", "    tokens: ["+e2eEAFToken+"]\n    allow_ips: [\"2001:db8::/32\"]", 1)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, file)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(d.url, "http://"))

	deliver := func(via, client, id string) int {
		t.Helper()
		u := url.URL{Scheme: "http", Host: net.JoinHostPort(via, port), Path: "/hooks/eaf/" + e2eEAFToken} // a zone as %25
		req, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader([]byte(`{"eaf_type":"feed_import","eaf_id":"`+id+`"}`)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("deliver through %s: %v", via, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := deliver("::1", "2001:db8::7", "through-loopback"); code != http.StatusOK {
		t.Fatalf("through a proxy at ::1 for 2001:db8::7: %d, want 200\n%s", code, d.log())
	}
	if code := deliver(proxy.String(), "2001:db8::7", "through-link"); code != http.StatusOK {
		t.Errorf("through a proxy at %s (in fe80::/10) for 2001:db8::7: %d, want 200 as through ::1\n%s", proxy, code, d.log())
	}
	if code := deliver(proxy.String(), "2001:db9::7", "outside"); code != http.StatusForbidden {
		t.Errorf("through a proxy at %s for 2001:db9::7, outside allow_ips: %d, want 403", proxy, code)
	}
	waitFor(t, "the refusal logged", func() bool { return strings.Contains(d.log(), `"reason":"ip_not_allowed"`) })
	if log := d.log(); !strings.Contains(log, `"client":"2001:db9::7"`) {
		t.Errorf("the refusal does not name the client the proxy forwarded, 2001:db9::7:\n%s", log)
	}
}

// linkLocal is an IPv6 link-local address of this host (with its zone,
// the interface's name) that it can connect to; the test skips where it
// has none.
func linkLocal(t *testing.T) netip.Addr {
	t.Helper()
	ifs, _ := net.Interfaces()
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 || i.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := i.Addrs()
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(n.IP)
			if !ok || !ip.Is6() || !ip.IsLinkLocalUnicast() {
				continue
			}
			ip = ip.WithZone(i.Name)
			if l, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0")); err == nil {
				l.Close()
				return ip
			}
		}
	}
	t.Skip("this host has no IPv6 link-local address to connect from")
	return netip.Addr{}
}
