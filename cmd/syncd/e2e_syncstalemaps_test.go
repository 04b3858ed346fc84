package main_test

import (
	"os"
	"strings"
	"testing"
)

// TestSyncBesideADaemonOnOldMappingsLeavesMappingToIt: an operator edits a
// mapping and, without reloading, runs syncd sync. It mapped the leads
// waiting with the files on disk while the daemon maps every other lead of
// the day with the files it loaded: two leads of one day went to the CRM two
// ways, and nothing said so. It leaves them to the daemon, saying so, with
// the file changed and the reload; once the daemon runs on the files on
// disk, it maps as before and says nothing of it.
func TestSyncBesideADaemonOnOldMappingsLeavesMappingToIt(t *testing.T) {
	t.Parallel()
	fake, config, maps := mappingCopySetUp(t)
	d := start(t, config)
	description := func(lead string) string {
		for _, deal := range fake.State().Deals {
			if deal.LeadID == lead {
				return deal.Properties["description"]
			}
		}
		return ""
	}
	sync := func(what string) string {
		t.Helper()
		out, stderr, code := syncdRun(t, "sync", "-config", config)
		if code != 0 && code != 6 {
			t.Fatalf("sync %s: exit %d, want 0 or 6\n%s%s", what, code, out, stderr)
		}
		return out
	}
	if out := sync("beside a daemon on the files on disk"); strings.Contains(out, "left to the daemon") {
		t.Fatalf("sync beside a daemon on the files on disk left mapping to it:\n%s", out)
	}

	fixEAFDescription(t, maps)
	body, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	lead := func(id string) string {
		t.Helper()
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(strings.Replace(string(body), "77722226661727188822717", id, 1))); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v, %v", id, a, err)
		}
		return "eaf:eaf:" + id
	}
	edited := lead("edited-not-reloaded")
	out := sync("right after a lead, the mapping edited and not reloaded")
	mustContain(t, "sync beside a daemon on the files it loaded", out, "waiting to be mapped left to the daemon (pid ",
		"eaf.yaml changed on disk since", "systemctl reload syncd (or syncd reload -config "+sq(config)+")")
	waitFor(t, "the lead's deal in the CRM", func() bool { return description(edited) != "" })
	if got := description(edited); strings.HasPrefix(got, "Fixed: ") {
		t.Errorf("the lead went to the CRM as the files on disk map it (%q), the day's others as the daemon's do", got)
	}

	if out, stderr, code := syncdRun(t, "reload", "-config", config); code != 0 {
		t.Fatalf("reload: exit %d\n%s%s", code, out, stderr)
	}
	reloaded := lead("edited-and-reloaded")
	if out := sync("once reloaded"); strings.Contains(out, "left to the daemon") {
		t.Errorf("sync once the daemon runs on the files on disk left mapping to it:\n%s", out)
	}
	waitFor(t, "the next lead's deal in the CRM", func() bool { return description(reloaded) != "" })
	if got := description(reloaded); !strings.HasPrefix(got, "Fixed: ") {
		t.Errorf("a lead after the reload: description %q, want the edited mapping's", got)
	}
}
