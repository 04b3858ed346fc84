package main_test

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startFakeCRMCmd runs `syncd fakecrm` with args on a free loopback
// address, stopped when the test ends, and returns the address once it
// listens.
func startFakeCRMCmd(t *testing.T, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	fake := syncdCmd(append([]string{"fakecrm", "-listen", addr}, args...)...)
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Process.Kill(); fake.Wait() })
	waitFor(t, "fakecrm to listen", func() bool {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
		}
		return err == nil
	})
	return addr
}

// TestFakeCRMPlaysAnAccountThatLetsTheTokenLess: `syncd fakecrm` had no
// way to play a Pipedrive token of a regular user, a pipeline that user
// may not see, or a HubSpot private app missing a scope, so an operator
// could not try what syncd says of them. -regular-user, -hidden-pipeline
// and -scopes play them, and `syncd crm check` against the fake says so;
// without them it says none of it.
func TestFakeCRMPlaysAnAccountThatLetsTheTokenLess(t *testing.T) {
	t.Parallel()
	notAdmin := "the token's user is not an admin"
	hidden := `no pipeline named or numbered "Pipeline"; the token's user is not an admin, and Pipedrive does not show it a pipeline its visibility group may not see`
	lacks := "the token lacks scope crm.objects.deals.write"
	for _, c := range []struct {
		args        []string
		say, sayNot []string
		pipedrive   bool
	}{
		{args: []string{"-kind", "pipedrive"}, pipedrive: true, sayNot: []string{notAdmin, "visibility group may not see"}},
		{args: []string{"-kind", "pipedrive", "-regular-user"}, pipedrive: true, say: []string{notAdmin}, sayNot: []string{"visibility group may not see"}},
		{args: []string{"-kind", "pipedrive", "-regular-user", "-hidden-pipeline", "Pipeline"}, pipedrive: true, say: []string{notAdmin, hidden}},
		{args: []string{"-kind", "hubspot"}, sayNot: []string{"lacks scope"}},
		{args: []string{"-kind", "hubspot", "-scopes", "crm.objects.contacts.read,crm.objects.contacts.write,crm.objects.deals.read," +
			"crm.schemas.contacts.read,crm.schemas.contacts.write,crm.schemas.deals.read,crm.schemas.deals.write,crm.objects.owners.read"},
			say: []string{lacks}},
	} {
		out, stderr, code := crmCheckOfStandIn(t, c.args, c.pipedrive)
		t.Logf("syncd fakecrm %s; syncd crm check, exit %d:\n%s%s", strings.Join(c.args, " "), code, out, stderr)
		for _, w := range c.say {
			if !strings.Contains(out, w) {
				t.Errorf("fakecrm %v: crm check does not say %q", c.args, w)
			}
		}
		for _, w := range c.sayNot {
			if strings.Contains(out, w) {
				t.Errorf("fakecrm %v: crm check says %q", c.args, w)
			}
		}
	}
}

// TestFakeCRMRefusesAnAccountFlagOfTheOtherCRM: -scopes are a HubSpot
// private app's, -pipeline and -deactivated-owner a HubSpot account's, -regular-user and -hidden-pipeline a Pipedrive account's,
// and a scope syncd does not use is a typo: each is a usage error naming
// the way out, not a fake that silently plays another account.
func TestFakeCRMRefusesAnAccountFlagOfTheOtherCRM(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		say  string
	}{
		{[]string{"-kind", "pipedrive", "-scopes", "crm.objects.contacts.read"}, "add -kind hubspot"},
		{[]string{"-regular-user"}, "add -kind pipedrive"},
		{[]string{"-hidden-pipeline", "Lettings"}, "add -kind pipedrive"},
		{[]string{"-kind", "pipedrive", "-pipeline", "Lettings"}, "add -kind hubspot"},
		{[]string{"-kind", "pipedrive", "-deactivated-owner", "102"}, "add -kind hubspot"},
		{[]string{"-deactivated-owner", "999"}, `-deactivated-owner: "999" is none of the fake's owners: write one of 101, 102`},
		{[]string{"-scopes", "crm.objects.contact.read"}, `"crm.objects.contact.read" is not a scope syncd uses; write some of: crm.objects.contacts.read,`},
		{[]string{"-account", "-3"}, "-account -3: an account's id is a number above 0"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a fake that took them would serve on
		out, err := syncdCmdContext(ctx, append([]string{"fakecrm", "-listen", freeAddr(t)}, c.args...)...).CombinedOutput()
		cancel()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), c.say) {
			t.Errorf("fakecrm %v: %v, %s; want exit 2 saying %q", c.args, err, out, c.say)
		}
	}
}

// TestFakeCRMPlaysAnotherAccount: every `syncd fakecrm` played the one
// account, hub id or company 1234567, so an operator could not try by hand
// what syncd says of a move to another HubSpot portal or Pipedrive company
// (the token of a second account): `crm check` against a second fake said
// the same account. -account plays another, named so by crm check.
func TestFakeCRMPlaysAnotherAccount(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kind, say string
	}{{"hubspot", "hubspot account: hub id 7777777 "}, {"pipedrive", `pipedrive account: company 5353 "Fake 5353"`}} {
		addr := startFakeCRMCmd(t, "-kind", c.kind, "-account", map[string]string{"hubspot": "7777777", "pipedrive": "5353"}[c.kind])
		dir := t.TempDir()
		config := filepath.Join(dir, "syncd.yaml")
		yaml := crmConfig(dir, "http://"+addr, e2eLBToken)
		if c.kind == "pipedrive" {
			yaml = pipedriveConfig(dir, "http://"+addr+"/api/v2")
		}
		if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
		if !strings.Contains(out, c.say) {
			t.Errorf("syncd fakecrm -kind %s -account; syncd crm check, exit %d:\n%s%s\nwant %q", c.kind, code, out, stderr, c.say)
		}
	}
}

// TestDocsCRMSetupAccountLinesAreTheStandIns: docs/crm-setup.md quotes
// `syncd crm check` against the stand-in CRM it names, for HubSpot and for
// Pipedrive. Its Pipedrive transcript began with a company, "Acme ApS" in
// Europe/Copenhagen, that no `syncd fakecrm` plays, so an operator trying
// it saw another first line; and -time-zone, which the Pipedrive stand-in
// takes too, was said to be HubSpot's alone. Each transcript's first line
// is now what crm check prints against the stand-in started as the page
// says, the page naming that command.
func TestDocsCRMSetupAccountLinesAreTheStandIns(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/crm-setup.md")
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Join(strings.Fields(string(doc)), " ")
	for _, c := range []struct {
		args      []string
		pipedrive bool
	}{
		{args: []string{"-kind", "hubspot", "-time-zone", "Europe/Copenhagen"}},
		{args: []string{"-kind", "pipedrive", "-account", "4242", "-time-zone", "Europe/Copenhagen"}, pipedrive: true},
	} {
		named := "`syncd fakecrm " + strings.Join(c.args, " ") + "`"
		if !strings.Contains(page, named) {
			t.Errorf("docs/crm-setup.md does not name the stand-in %s", named)
		}
		out, stderr, code := crmCheckOfStandIn(t, c.args, c.pipedrive)
		first, _, _ := strings.Cut(out, "\n")
		if code != 2 || !strings.Contains(string(doc), "\n"+first+"\n") {
			t.Errorf("%s; syncd crm check, exit %d (want 2, a fresh account):\n%s%s\ndocs/crm-setup.md does not quote its first line", named, code, out, stderr)
		}
	}
}

// TestPinFixNamesTheTokensKey: a token of another account than the pinned
// one was told to be replaced in crm.hubspot.token_file (crm.pipedrive's
// likewise), a key the configuration need not have: one that writes the
// token in the file (token:, as the trial's) was sent looking for a
// token_file. The fix names the key the configuration gives the token by.
func TestPinFixNamesTheTokensKey(t *testing.T) {
	t.Parallel()
	addr := startFakeCRMCmd(t, "-kind", "hubspot", "-account", "7654321")
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, "http://"+addr, e2eLBToken), "    token: fake-private-app-token\n",
		"    token: fake-private-app-token\n    hub_id: 1234567\n", 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	if code != 2 || !strings.Contains(out, "put the private app token of the account the leads belong in into crm.hubspot.token (then") {
		t.Errorf("crm check of a token of another account than the pinned one, given by token:, exit %d:\n%s%s\nwant exit 2 naming crm.hubspot.token", code, out, stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "hubspot-token"), []byte("fake-private-app-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, []byte(strings.Replace(yaml, "    token: fake-private-app-token\n", "    token_file: hubspot-token\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "crm", "check", "-config", config)
	if code != 2 || !strings.Contains(out, "into crm.hubspot.token_file (then") {
		t.Errorf("crm check of a token of another account than the pinned one, given by token_file:, exit %d:\n%s%s\nwant exit 2 naming crm.hubspot.token_file", code, out, stderr)
	}
}

// crmCheckOfStandIn runs syncd crm check against a syncd fakecrm started
// with args, the configuration HubSpot's, or Pipedrive's when pipedrive.
func crmCheckOfStandIn(t *testing.T, args []string, pipedrive bool) (string, string, int) {
	t.Helper()
	addr := startFakeCRMCmd(t, args...)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := crmConfig(dir, "http://"+addr, e2eLBToken)
	if pipedrive {
		yaml = pipedriveConfig(dir, "http://"+addr+"/api/v2")
	}
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return syncdRun(t, "crm", "check", "-config", config)
}
