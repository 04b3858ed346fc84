package main_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// TestFakeCRMOnAPortChosenAtStartSaysWhichPort: `syncd fakecrm -listen
// 127.0.0.1:0` (a free port, as a script sharing a machine asks) said
// "base_url http://127.0.0.1:0", an address nothing can reach; it names
// the port it was given, and the base URL it prints answers.
func TestFakeCRMOnAPortChosenAtStartSaysWhichPort(t *testing.T) {
	t.Parallel()
	fake := syncdCmd("fakecrm", "-listen", "127.0.0.1:0", "-kind", "hubspot")
	stderr, err := fake.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Process.Kill(); fake.Wait() })
	line, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(line, "base_url ")
	base, _, _ := strings.Cut(rest, " ")
	if !ok || strings.HasSuffix(base, ":0") {
		t.Fatalf("fakecrm -listen 127.0.0.1:0 said: %s", line)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/crm/v3/owners", nil)
	req.Header.Set("Authorization", "Bearer any-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("the base_url fakecrm printed (%s) does not answer: %v", base, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s/crm/v3/owners: %s", base, resp.Status)
	}
}
