package main_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The README's reverse-proxy and load-balancer examples, run as written
// (without TLS) with a real nginx and HAProxy in front of the real binary.
// Senders dial from 127.0.0.5 (allowed) and 127.0.0.6 (not), which the
// loopback interface gives every process; the proxy reaches syncd from
// 127.0.0.1, its trusted proxy.

const (
	proxySender   = "127.0.0.5"
	proxyStranger = "127.0.0.6"
)

// proxyBin is the path of a proxy's binary, or the test skips (fails, with
// SYNCD_TEST_PROXIES_REQUIRED set, as .ci/run sets it).
func proxyBin(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := "/usr/sbin/" + name; fileExists(p) {
		return p
	}
	if os.Getenv("SYNCD_TEST_PROXIES_REQUIRED") != "" {
		t.Fatalf("%s is not installed (apt-get install %s), and SYNCD_TEST_PROXIES_REQUIRED is set", name, name)
	}
	t.Skipf("%s is not installed (apt-get install %s)", name, name)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// readmeBlock is the first fenced block of language lang in file.
func readmeBlock(t *testing.T, file, lang string) string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```").FindSubmatch(raw)
	if m == nil {
		t.Fatalf("%s: no %s block", file, lang)
	}
	return string(m[1])
}

// withoutTLS is a README proxy block listening on addr in plain HTTP, its
// upstream addresses replaced by upstreams (in order).
func withoutTLS(block, addr string, upstreams ...string) string {
	var out []string
	for _, line := range strings.Split(block, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "ssl_"):
			continue
		case strings.HasPrefix(trimmed, "listen 443"):
			line = "    listen " + addr + ";"
		case strings.HasPrefix(trimmed, "bind :443"):
			line = "    bind " + addr
		}
		out = append(out, line)
	}
	s := strings.Join(out, "\n")
	for i, u := range []string{"10.0.0.11:8080", "10.0.0.12:8080"}[:len(upstreams)] {
		s = strings.ReplaceAll(s, u, upstreams[i])
	}
	if len(upstreams) == 1 {
		s = strings.ReplaceAll(s, "127.0.0.1:8080", upstreams[0])
	}
	return s
}

// startNginx runs nginx in the foreground with the server block(s) given,
// its files in dir, and waits until it accepts on addr.
func startNginx(t *testing.T, dir, addr, servers string) {
	t.Helper()
	bin := proxyBin(t, "nginx")
	var temps string
	for _, k := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		temps += fmt.Sprintf("    %s_temp_path %s;\n", k, nginxString(filepath.Join(dir, k)))
	}
	conf := fmt.Sprintf(nginxUser()+"pid %s;\nerror_log %s;\nevents {}\nhttp {\n    access_log off;\n%s%s\n}\n",
		nginxString(filepath.Join(dir, "nginx.pid")), nginxString(filepath.Join(dir, "error.log")), temps, servers)
	file := filepath.Join(dir, "nginx.conf")
	os.WriteFile(file, []byte(conf), 0o600)
	runProxy(t, exec.Command(bin, "-c", file, "-g", "daemon off;"), addr, filepath.Join(dir, "error.log"))
}

// nginxString is s as one parameter of an nginx directive: in double
// quotes, its quotes and backslashes escaped, so that a path with a space
// (a TMPDIR under "/home/Søren Ærø/tmp") stays one parameter.
func nginxString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// nginxUser is nginx's user directive: root when the tests run as root (its
// workers would otherwise run as nobody, who cannot write in the test's
// directories).
func nginxUser() string {
	if os.Geteuid() == 0 {
		return "user root;\n"
	}
	return ""
}

// startHAProxy runs haproxy in the foreground with the sections given.
func startHAProxy(t *testing.T, dir, addr, sections string) {
	t.Helper()
	bin := proxyBin(t, "haproxy")
	file := filepath.Join(dir, "haproxy.cfg")
	os.WriteFile(file, []byte(sections), 0o600)
	runProxy(t, exec.Command(bin, "-f", file), addr, "")
}

// runProxy starts cmd, stops it when the test ends (SIGTERM: nginx's
// master then stops its workers), and waits until addr accepts connections.
func runProxy(t *testing.T, cmd *exec.Cmd, addr, errLog string) {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "proxy-out")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	output := func() string {
		b, _ := os.ReadFile(out.Name())
		logs, _ := os.ReadFile(errLog)
		return string(b) + string(logs)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("%s:\n%s", filepath.Base(cmd.Path), output())
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		select {
		case <-done:
			t.Fatalf("%s exited: %s", cmd.Path, output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not listen on %s: %s", cmd.Path, addr, output())
		}
	}
}

// sender is an HTTP client whose connections come from ip.
func sender(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
}

// reply is an answer as a sender sees it.
type reply struct {
	code   int
	header http.Header
	body   string
}

// deliver posts body to url from c, with the headers given (name, value).
func deliver(t *testing.T, c *http.Client, url string, body []byte, hdr ...string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, strings.TrimSpace(string(raw))}
}

// lead is a distinct Lokalebasen lead body.
func lead(tag string) []byte {
	return []byte(fmt.Sprintf(`{"event_type":"lead","lead":{"email":"%s@example.com","name":"P %s"}}`, tag, tag))
}

// paddedLead is a lead body of exactly n bytes.
func paddedLead(n int) []byte {
	head := `{"event_type":"lead","lead":{"email":"big@example.com"},"pad":"`
	return []byte(head + strings.Repeat("x", n-len(head)-2) + `"}`)
}

// dbLink forwards TCP connections to the database; cut makes the database
// unreachable for whoever connects through it (a network partition), mend
// reachable again on the same address.
type dbLink struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

// newDBLink listens at a free address outside the ephemeral ports (mend
// listens there again after a cut). Another test may take the address
// freeAddr found between its check and this listen (.ci/run failed once so,
// "bind: address already in use"): another address is tried then.
func newDBLink(t *testing.T, target string) *dbLink {
	l := &dbLink{target: target}
	var ln net.Listener
	var err error
	for range 5 {
		l.addr = freeAddr(t)
		if ln, err = net.Listen("tcp", l.addr); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	l.serve(ln)
	t.Cleanup(func() { l.cut() })
	return l
}

func (l *dbLink) mend(t *testing.T) {
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		t.Fatal(err)
	}
	l.serve(ln)
}

// serve forwards the connections ln accepts to the database.
func (l *dbLink) serve(ln net.Listener) {
	l.mu.Lock()
	l.ln = ln
	l.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", l.target)
			if err != nil {
				c.Close()
				continue
			}
			l.mu.Lock()
			if l.ln != ln { // cut while this one was dialled: it must not outlive the cut
				l.mu.Unlock()
				c.Close()
				up.Close()
				return
			}
			l.conns = append(l.conns, c, up)
			l.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (l *dbLink) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		l.ln.Close()
	}
	for _, c := range l.conns {
		c.Close()
	}
	l.ln, l.conns = nil, nil
}

// waitReady waits until the daemon at url answers /readyz with want.
func waitReady(t *testing.T, url string, want int) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	waitFor(t, fmt.Sprintf("%s/readyz answering %d", url, want), func() bool {
		resp, err := c.Get(url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == want
	})
}

// proxiedConfig is a daemon configuration in dir listening on listen (a
// free port when empty), trusting the proxy on 127.0.0.1, with
// Lokalebasen deliveries allowed from proxySender only; extra is appended.
func proxiedConfig(t *testing.T, dir, listen, extra string) string {
	t.Helper()
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	maps, _ := filepath.Abs("../../mappings/hubspot")
	cfg := fmt.Sprintf(`listen: %s
data_dir: %s
http:
  trusted_proxies: [127.0.0.1/32]
sources:
  lokalebasen:
    kind: lokalebasen
    tokens: [%s]
    allow_ips: [%s/32]
  eaf:
    kind: eaf
    tokens: [%s]
mapping:
  dir: %s
%s`, listen, filepath.Join(dir, "data"), e2eLBToken, proxySender, e2eEAFToken, maps, extra)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestNginxInFrontOfOneInstance runs systemd/README.md's nginx block in
// front of one daemon: allow_ips judges the sender's address, not the
// proxy's; an X-Forwarded-For forged by a sender is not believed, through
// the proxy or around it; senders get syncd's own answers (codes, bodies,
// Retry-After, and a 401 or 403 for a large body, not nginx's 502); a body
// of http.max_body_bytes passes and one byte more is refused; the stored
// event records the sender's address.
func TestNginxInFrontOfOneInstance(t *testing.T) {
	t.Parallel()
	proxyBin(t, "nginx")
	dir := t.TempDir()
	d := start(t, proxiedConfig(t, dir, "", ""))
	nx := freeAddr(t)
	startNginx(t, t.TempDir(), nx, withoutTLS(readmeBlock(t, "../../systemd/README.md", "nginx"), nx, strings.TrimPrefix(d.url, "http://")))
	hook := "http://" + nx + "/hooks/lokalebasen/" + e2eLBToken
	from, stranger := sender(proxySender), sender(proxyStranger)

	first := deliver(t, from, hook, lead("one"))
	if first.code != 200 || first.body != `{"event_id":"1","status":"accepted"}` {
		t.Fatalf("allowed sender through nginx: %d %s", first.code, first.body)
	}
	if again := deliver(t, from, hook, lead("one")); again.body != `{"event_id":"1","status":"duplicate"}` {
		t.Fatalf("the same delivery again: %d %s", again.code, again.body)
	}
	forbidden := `{"error":"Forbidden","status":"rejected"}`
	for name, r := range map[string]reply{
		"a sender outside allow_ips":               deliver(t, stranger, hook, lead("two")),
		"one forging X-Forwarded-For":              deliver(t, stranger, hook, lead("two"), "X-Forwarded-For", proxySender),
		"one forging a chain of X-Forwarded-For":   deliver(t, stranger, hook, lead("two"), "X-Forwarded-For", "127.0.0.1, "+proxySender),
		"one forging X-Forwarded-For around nginx": deliver(t, stranger, d.url+"/hooks/lokalebasen/"+e2eLBToken, lead("two"), "X-Forwarded-For", proxySender),
	} {
		if r.code != 403 || r.body != forbidden {
			t.Errorf("%s: %d %s, want 403 %s", name, r.code, r.body, forbidden)
		}
	}
	if !strings.Contains(d.log(), `"client":"`+proxyStranger+`"`) {
		t.Errorf("the warning does not name the sender %s:\n%s", proxyStranger, d.log())
	}
	if r := deliver(t, from, "http://"+nx+"/hooks/lokalebasen/wrong-token-0123456789", lead("three")); r.code != 401 || r.body != `{"error":"Unauthorized","status":"rejected"}` {
		t.Errorf("wrong token through nginx: %d %s", r.code, r.body)
	}
	for range 3 { // refused unread: syncd used to reset the connection, which nginx answered 502
		if r := deliver(t, from, "http://"+nx+"/hooks/lokalebasen/wrong-token-0123456789", paddedLead(1<<20)); r.code != 401 {
			t.Errorf("wrong token with a body of 1 MiB through nginx: %d %s", r.code, r.body)
		}
		if r := deliver(t, stranger, hook, paddedLead(1<<20)); r.code != 403 {
			t.Errorf("a sender outside allow_ips with a body of 1 MiB through nginx: %d %s", r.code, r.body)
		}
	}
	if r := deliver(t, from, hook, paddedLead(1<<20)); r.code != 200 {
		t.Errorf("a body of http.max_body_bytes (1 MiB) through nginx: %d %s", r.code, r.body)
	}
	if r := deliver(t, from, hook, paddedLead(1<<20+1)); r.code != 413 {
		t.Errorf("a body one byte over 1 MiB through nginx: %d %s", r.code, r.body)
	}
	events := syncdJSON(t, "events", "list", "-json", "-config", filepath.Join(dir, "syncd.yaml"))
	for _, ev := range events {
		if ev["remote_addr"] != proxySender {
			t.Errorf("event %v recorded remote_addr %v, want the sender's %s", ev["id"], ev["remote_addr"], proxySender)
		}
	}

	for _, path := range []string{"/metrics", "/readyz"} {
		if resp, err := http.Get("http://" + nx + path); err != nil || resp.StatusCode != 404 {
			t.Errorf("GET %s through nginx: %v %v, want 404 (not exposed)", path, resp, err)
		} else {
			resp.Body.Close()
		}
	}

	// The store failing: the sender gets syncd's 503 and Retry-After.
	db := filepath.Join(dir, "data", "syncd.db")
	if err := os.Rename(db, db+".moved"); err != nil {
		t.Fatal(err)
	}
	direct := deliver(t, from, d.url+"/hooks/lokalebasen/"+e2eLBToken, lead("four"))
	proxied := deliver(t, from, hook, lead("four"))
	if direct.code != 503 || proxied.code != direct.code || proxied.body != direct.body ||
		proxied.header.Get("Retry-After") != "30" || proxied.header.Get("Content-Type") != "application/json" {
		t.Fatalf("store failing: through nginx %d %q %v, syncd itself %d %q %v", proxied.code, proxied.body, proxied.header,
			direct.code, direct.body, direct.header)
	}
}
