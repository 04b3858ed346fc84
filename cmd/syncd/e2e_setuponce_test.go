package main_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupReadsTheAccountOnce: with the account pinned in the
// configuration and the account of the CRM ids recorded in the database,
// `syncd crm setup` read the account the token belongs to twice per run
// (once to say whether it is the account of the CRM ids, once for the pin
// before creating anything), as crm check did before it read it once: a
// CRM slow to answer made the operator wait as long again. It reads it
// once now, in the account of the CRM ids and in another.
func TestCRMSetupReadsTheAccountOnce(t *testing.T) {
	t.Parallel()
	m := leadInTheOldPortal(t)
	pinned := func(url, hub string) {
		t.Helper()
		yaml := strings.Replace(crmConfig(m.dir, url, e2eLBToken), "    token: fake-private-app-token\n",
			"    token: fake-private-app-token\n    hub_id: \""+hub+"\"\n", 1)
		if err := os.WriteFile(m.config, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		what, url, hub string
		fake           *crmfake.Server
	}{
		{"the account of the CRM ids", m.oldURL, "1111111", m.oldFake},
		{"another account", m.newURL, "2222222", m.newFake},
	} {
		pinned(c.url, c.hub)
		before := c.fake.CountRequests(http.MethodGet, "/account-info/v3/details", 0)
		out, stderr, code := syncdRun(t, "crm", "setup", "-config", m.config)
		if code != 0 {
			t.Fatalf("setup in %s: exit %d\n%s%s", c.what, code, out, stderr)
		}
		if n := c.fake.CountRequests(http.MethodGet, "/account-info/v3/details", 0) - before; n != 1 {
			t.Errorf("setup in %s read the account %d times, want once\n%s%s", c.what, n, out, stderr)
		}
	}
}
