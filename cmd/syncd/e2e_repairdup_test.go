package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepairOfADeliveryStoredSinceSaysSo: Estate Agent Feeds sent a body
// that did not parse, then the same submission (its eaf_id) as valid JSON,
// stored as an event. The operator, working through the quarantine,
// repairs the first with a copy of their own. The repair is the event
// already stored, and the command says so, and that their copy, which says
// something else, was not stored; it printed "is now event N (duplicate)",
// as if their copy were the event.
func TestRepairOfADeliveryStoredSinceSaysSo(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	lead := `{"eaf_type":"email_lead","eaf_id":"880001","contact_name":"Ann Lee","contact_message_flat":%s}`
	if a, err := post(url, []byte(fmt.Sprintf(lead, `"a "view""`))); err != nil || a.Status != "quarantined" {
		t.Fatalf("broken body: %+v, %v", a, err)
	}
	stored, err := post(url, []byte(fmt.Sprintf(lead, `"a \"view\""`)))
	if err != nil || stored.Status != "accepted" {
		t.Fatalf("the sender's valid body: %+v, %v", stored, err)
	}
	if a, err := post(url, []byte(fmt.Sprintf(lead, `"a "view"" `))); err != nil || a.Status != "quarantined" {
		t.Fatalf("broken body sent again with a space more: %+v, %v", a, err)
	}
	qs := syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config) // newest first
	said := "is event " + stored.ID + ", stored already from another delivery of the same eaf_id"
	for i, c := range []struct{ copy, want string }{
		{fmt.Sprintf(lead, `"a 'view'"`), said + "; your copy says something else: the event keeps its body"},
		{fmt.Sprintf(lead, `"a \u0022view\u0022"`), said + "\n"},
	} {
		q := fmt.Sprint(qs[i]["id"])
		fixed := filepath.Join(dir, "fixed.json")
		if err := os.WriteFile(fixed, []byte(c.copy), 0o600); err != nil {
			t.Fatal(err)
		}
		out, stderr, code := syncdRun(t, "events", "repair", "-config", config, q, fixed)
		if code != 0 || !strings.Contains(out+stderr, c.want) {
			t.Fatalf("events repair: exit %d\n%s%s\nwant %q", code, out, stderr, c.want)
		}
	}
}

// TestRepairRefusesACopyOfAnotherShape: the operator's corrected copy has
// a typo in its type field (or is another sender's body). It was stored as
// an unrecognised event, never mapped, the quarantined body marked repaired
// (a second repair refused) and the command said "(accepted)", exit 0: the
// lead was stuck. It is refused, exit 2, saying why, and nothing changes,
// so that the operator corrects the copy and repairs again. Once repaired,
// events show -quarantined says as which event.
func TestRepairRefusesACopyOfAnotherShape(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"880002",}x`)); err != nil || a.Status != "quarantined" {
		t.Fatalf("broken body: %+v, %v", a, err)
	}
	q := fmt.Sprint(syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[0]["id"])
	fixed := filepath.Join(dir, "fixed.json")
	if err := os.WriteFile(fixed, []byte(`{"eaf_typ":"email_lead","eaf_id":"880002"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "events", "repair", "-config", config, q, fixed)
	if code != 2 || !strings.Contains(stderr, "does not fit source eaf: no eaf_type: not a body of kind eaf; nothing stored") {
		t.Fatalf("repair with a copy of another shape: exit %d\n%s%s", code, out, stderr)
	}
	if evs := syncdJSON(t, "events", "list", "-json", "-config", config); len(evs) != 0 {
		t.Fatalf("events after the refused repair: %v", evs)
	}
	if err := os.WriteFile(fixed, []byte(`{"eaf_type":"email_lead","eaf_id":"880002"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := syncdOK(t, "events", "repair", "-config", config, q, fixed); !strings.Contains(out, "is now event 1 ") {
		t.Fatalf("repair with the copy corrected: %s", out)
	}
	// events show -quarantined of the repaired body says so, as the list
	// does (REPAIRED AS): its heading read as a body still waiting.
	if out := syncdOK(t, "events", "show", "-quarantined", "-config", config, q); !strings.Contains(strings.SplitN(out, "\n", 2)[0],
		"; repaired as event 1 (syncd events show 1)") {
		t.Fatalf("events show -quarantined of a repaired body:\n%s", out)
	}
}

// TestRepairOfABodyWithoutAnIDStoredSinceSaysTheSameBody: an Estate
// Agent Feeds body without an eaf_id is keyed by its body, as a
// Lokalebasen one is. Quarantined, then sent again as valid JSON, its
// repair is the event stored since; the command said it was "another
// delivery of the same eaf_id", of a body that has none, sending the
// operator to look for an id. It says the same body.
func TestRepairOfABodyWithoutAnIDStoredSinceSaysTheSameBody(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	lead := `{"eaf_type":"email_lead","contact_name":"Ann Lee","contact_message_flat":%s}`
	if a, err := post(url, []byte(fmt.Sprintf(lead, `"a "view""`))); err != nil || a.Status != "quarantined" {
		t.Fatalf("broken body: %+v, %v", a, err)
	}
	stored, err := post(url, []byte(fmt.Sprintf(lead, `"a \"view\""`)))
	if err != nil || stored.Status != "accepted" {
		t.Fatalf("the sender's valid body: %+v, %v", stored, err)
	}
	q := fmt.Sprint(syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)[0]["id"])
	fixed := filepath.Join(dir, "fixed.json")
	if err := os.WriteFile(fixed, []byte(fmt.Sprintf(lead, `"a \"view\""`)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "events", "repair", "-config", config, q, fixed)
	want := "is event " + stored.ID + ", stored already from another delivery of the same body\n"
	if code != 0 || !strings.Contains(out+stderr, want) {
		t.Fatalf("events repair: exit %d\n%s%s\nwant %q", code, out, stderr, want)
	}
}
