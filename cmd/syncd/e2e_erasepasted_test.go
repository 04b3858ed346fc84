package main_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestEraseTakesTheAddressAsPastedFromARequest: an officer pastes the
// person's address from their request as it is written there: a mailto:
// link with its subject, quoted in a letter typed in Word, in brackets,
// as Outlook's plain text writes a link. A mailto: link's query and the
// quotes read as part of an address no lead holds: export said "nothing
// found" and erase said so too, exit 0, recorded the erasure and left the
// person's leads. Each now finds the person, and erase by the link erases
// their leads and nothing of another person's; two different addresses
// in one are still refused. A number quoted is the number.
func TestEraseTakesTheAddressAsPastedFromARequest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now().Add(-time.Hour))
	storeOldLeads(t, dir, e2eBob, time.Now().Add(-time.Hour))
	jane := strings.ToLower(e2eJane.email)
	for _, pasted := range []string{
		"mailto:" + e2eJane.email + "?subject=Slet%20mine%20oplysninger&body=Hej",
		"MAILTO:" + strings.Replace(e2eJane.email, "@", "%40", 1),
		"“" + e2eJane.email + "”",
		"'" + e2eJane.email + "'",
		"[" + e2eJane.email + "]",
		e2eJane.email + "<mailto:" + e2eJane.email + ">",
		"Jane Erasmus <mailto:" + e2eJane.email + "?subject=GDPR>",
	} {
		out, stderr, code := syncdRun(t, "export", "-config", config, "-email", pasted)
		var ex struct {
			Subject     string
			Events      []any
			Quarantined []any `json:"quarantined_bodies"`
		}
		if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
			t.Errorf("export -email %q: exit %d, %v\n%s", pasted, code, err, stderr)
			continue
		}
		if ex.Subject != jane || len(ex.Events) != 1 || len(ex.Quarantined) != 1 {
			t.Errorf("export -email %q: subject %q, %d events, %d quarantined bodies, want %s's 1 and 1\n%s",
				pasted, ex.Subject, len(ex.Events), len(ex.Quarantined), jane, stderr)
		}
	}
	// A number quoted in a letter was refused as no number in any
	// configured country.
	for _, pasted := range []string{`"+45 ` + e2eJane.phone + `"`, "“+45 " + e2eJane.phone + "”"} {
		out, stderr, code := syncdRun(t, "export", "-config", config, "-phone", pasted)
		var ex struct{ Events []any }
		if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil || len(ex.Events) != 1 {
			t.Errorf("export -phone %q: exit %d, %v, %d events, want the person's 1\n%s", pasted, code, err, len(ex.Events), stderr)
		}
	}
	if _, stderr, code := syncdRun(t, "export", "-config", config, "-email",
		e2eBob.email+" <mailto:"+e2eJane.email+">"); code != 2 || !strings.Contains(stderr, "not an email address") {
		t.Errorf("export of two addresses in one: exit %d, want 2 saying it is not an address\n%s", code, stderr)
	}

	out := syncdOK(t, "erase", "-config", config, "-email", "mailto:"+e2eJane.email+"?subject=Slet%20mine%20oplysninger")
	if !strings.Contains(out, "erased: 1 event, 1 quarantined body") || strings.Contains(out, "nothing found") {
		t.Errorf("erase by the mailto: link did not erase the person's lead and body:\n%s", out)
	}
	if hits := e2eHits(t, dir+"/data", []string{e2eJane.name, jane}); len(hits) > 0 {
		t.Errorf("after the erase the data directory still holds the person: %v", hits)
	}
	if hits := e2eHits(t, dir+"/data", []string{e2eBob.name, e2eBob.email}); len(hits) == 0 {
		t.Errorf("the erase took the other person's lead too")
	}
}
