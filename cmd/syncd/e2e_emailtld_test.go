package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestLeadWhoseEmailEndsInNoTopLevelDomainReachesHubSpotByItsPhone: HubSpot
// refuses an email whose domain does not end in a top-level domain
// (INVALID_EMAIL). A lead whose client typed kim@hotmail.con, with a
// phone, was sent keyed by that email: its contact went dead, and its deal
// with it. The real binary now sends the contact keyed by its phone, the
// email left out, and its deal associated with it, nothing dead; syncd map
// says beforehand which email is left out and why.
func TestLeadWhoseEmailEndsInNoTopLevelDomainReachesHubSpotByItsPhone(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	example, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	lead := strings.Replace(string(example), "support@estateagentfeeds.com", "kim@hotmail.con", 1)
	// syncd map says beforehand what the lead becomes, and, without its
	// phone, why it cannot be mapped.
	for _, c := range []struct {
		lead, want string
		code       int
	}{
		{lead, `reason: rule "eaf-email-lead": contact's email "kim@hotmail.con" left out, not an address (.con is no top-level domain); the contact goes by its phone` +
			"\n\ncontact +442038704550 ", 0},
		{strings.Replace(lead, "+44(0)20 3870 4550", "", 1),
			`reason: rule "eaf-email-lead": contact has no valid email ("kim@hotmail.con" is not one: .con is no top-level domain) and no phone`, 5},
	} {
		file := filepath.Join(dir, "lead.json")
		if err := os.WriteFile(file, []byte(c.lead), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, stderr, code := syncdRun(t, "map", "-config", config, "-source", "eaf", file); code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("syncd map: exit %d, want %d and %q\n%s%s", code, c.code, c.want, out, stderr)
		}
	}

	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(lead)); err != nil || a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("post the lead: %+v %v", a, err)
	}
	var s crmfake.State
	waitFor(t, "the lead's contact, by its phone, and its deal associated with it", func() bool {
		s = fake.State()
		return len(s.ContactsByPhone["+442038704550"]) == 1 && len(s.Deals) == 1 && len(s.Deals[0].ContactIDs) == 1
	})
	contact := s.ContactsByPhone["+442038704550"][0]
	if len(s.Contacts) != 1 || contact.Properties["email"] != "" || s.Deals[0].ContactIDs[0] != contact.ID {
		t.Fatalf("the CRM holds %+v", s)
	}
	if dead := syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config); len(dead) != 0 {
		t.Fatalf("dead letters: %v", dead)
	}
}
