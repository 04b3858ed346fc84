package main_test

import (
	"bufio"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFakeCRMSaysToBracketAnIPv6Listen: `syncd fakecrm -listen ::1:PORT`,
// as an IPv6-only operator writes it, said Go's "listen tcp: address
// ::1:PORT: too many colons in address", exit 1. It is a usage mistake
// (exit 2) told with the flag to write, and that flag, pasted into sh,
// serves the stand-in CRM at http://[::1]:PORT.
func TestFakeCRMSaysToBracketAnIPv6Listen(t *testing.T) {
	t.Parallel()
	probe, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	port := probe.Addr().(*net.TCPAddr).Port
	probe.Close()
	bare := "::1:" + strconv.Itoa(port)
	_, out, code := syncdRun(t, "fakecrm", "-listen", bare)
	m := regexp.MustCompile(`-listen (\S+) is an IPv6 address without its brackets: write (-listen \S+)`).FindStringSubmatch(out)
	if code != 2 || m == nil || m[1] != bare {
		t.Fatalf("fakecrm -listen %s: exit %d\n%s\nwant exit 2 saying to write it in brackets", bare, code, out)
	}
	words := pasted(t, m[2])
	fake := syncdCmd(append([]string{"fakecrm"}, words...)...)
	stderr, err := fake.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { fake.Process.Kill(); fake.Wait() }()
	want := "base_url http://[::1]:" + strconv.Itoa(port)
	said := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), want) {
				said <- sc.Text()
				return
			}
		}
		close(said)
	}()
	select {
	case _, ok := <-said:
		if !ok {
			t.Errorf("fakecrm %s (the flag said, pasted) ended without saying %s", strings.Join(words, " "), want)
		}
	case <-time.After(time.Minute):
		t.Errorf("fakecrm %s (the flag said, pasted) did not say %s within a minute", strings.Join(words, " "), want)
	}
}
