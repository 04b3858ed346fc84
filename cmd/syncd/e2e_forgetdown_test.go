package main_test

import (
	"strings"
	"testing"
)

// TestForgetLinksWithTheCRMDownSaysWhatToDo: `syncd crm forget-links`
// with the CRM not answering said only that the account "cannot be read
// (…): nothing forgotten", exit 1. It still exits 1, as crm check and
// setup do when the CRM cannot be reached (the README's 4 is the database
// busy or unavailable), and now says what to look at and to run it again.
func TestForgetLinksWithTheCRMDownSaysWhatToDo(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config := leadWithTheCRMDown(t) // the database forget-links works on
	out, stderr, code := syncdRun(t, "crm", "forget-links", "-config", config)
	t.Logf("crm forget-links, the CRM refusing connections: exit %d\n%s%s", code, out, stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	mustContain(t, "what it says", stderr, "nothing forgotten", "connection refused",
		"crm.hubspot.base_url, DNS, a firewall or proxy", "syncd crm check says which", "then run it again")
	if strings.Contains(out, "forgot") {
		t.Errorf("it says it forgot something:\n%s", out)
	}
}
