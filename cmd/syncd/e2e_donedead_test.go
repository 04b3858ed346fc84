package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEventsDoneOfALeadTheCRMRefusedNamesItsDeadLetters: an operator whose
// lead the CRM refused (its contact and deal operations dead letters) ran
// `syncd events done ID` on it and read "event 1 is mapped, not an
// unmappable lead: nothing waits to be dealt with", as of a lead in the
// CRM. It names the dead operations and the outbox show, retry and give-up
// of them (exit 2 still: events done is for leads no rule could map).
func TestEventsDoneOfALeadTheCRMRefusedNamesItsDeadLetters(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActError, Status: 400,
		Body: `{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: [{\"isValid\":false,` +
			`\"message\":\"Email address is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]"}`})
	config := writeCRMConfigOnPort(t, t.TempDir(), fakeURL, true)
	d := start(t, config)
	ev := postTestdata(t, d, "eaf/email_lead.json").ID
	var dead []string
	waitFor(t, "the lead's operations to be dead letters", func() bool {
		dead = dead[:0]
		for _, op := range syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config) {
			dead = append(dead, fmt.Sprint(op["id"]))
		}
		return len(dead) == 2
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := syncdRun(t, "events", "done", "-config", config, ev)
	if code != 2 || strings.Contains(stderr, "nothing waits") || !strings.Contains(stderr, "are dead letters: not in the CRM") ||
		!strings.Contains(stderr, "syncd outbox give-up "+dead[1]+" "+dead[0]) {
		t.Errorf("events done of a lead whose operations %v are dead: exit %d\n%s", dead, code, stderr)
	}
}
