package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEraseSaysThePersonsPhoneIsOnLeadsItLeft: a person enquired from
// their work address, from a private one and once leaving their phone
// alone; a colleague's message names their number. The officer erases
// (and exports) by the address the request came from: erase said
// "erased: 1 event" and nothing more, exit 0, though the person's name
// and phone stayed in syncd under the other address and the lead without
// one. Now erase and export name those leads, by the phone the person's
// contact was sent with and what to run for them, written as it is typed
// ("run syncd erase -email ADDR", not "run erase -email ADDR"); not the colleague's lead
// that only names the number, nor anything for a person whose phone is on
// no one else's lead. Run again with the phone too, as it says, the
// colleague's lead naming the number is one to erase with -others, not a
// number several people share.
func TestEraseSaysThePersonsPhoneIsOnLeadsItLeft(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	ids := map[string]string{}
	for _, l := range [][4]string{
		{"work", "jane@firma.dk", "+45 20 12 34 56", "Vi skal bruge 200 m2"},
		{"private", "jane.privat@mail.dk", "20 12 34 56", "Også til mig selv"},
		{"no email", "", "2012 3456", "Ring mig op"},
		{"colleague", "bob@firma.dk", "31 98 76 54", "Min kollega har nummer 20123456"},
		{"other", "carl@andet.dk", "40 40 40 40", "Intet"},
	} {
		body := `{"event_type":"enquiry_created","payload":{"location":{"id":"20064","external_key":"EJ-1"},` +
			`"enquiry":{"type":"extra"},"client":{"email":"` + l[1] + `","name":"Jane Firma","phone":"` + l[2] +
			`"},"comment":"` + l[3] + `"}}`
		a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body))
		if err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", l[0], a, err)
		}
		ids[l[0]] = a.ID
	}
	waitMapped(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	private := fmt.Sprintf("jane.privat@mail.dk: event %s", ids["private"])
	noEmail := fmt.Sprintf("leads without an email: event %s", ids["no email"])

	_, stderr, code := syncdRun(t, "export", "-config", config, "-email", "jane@firma.dk")
	if code != 0 || !strings.Contains(stderr, "not exported: the person's phone +4520123456 is the phone of other leads too") ||
		!strings.Contains(stderr, private) || !strings.Contains(stderr, noEmail) || strings.Contains(stderr, "bob@firma.dk") ||
		!strings.Contains(stderr, "run syncd export -email ADDR for it") {
		t.Errorf("export by the work address: exit %d, want 0 naming %q and %q and what to run, not the colleague's\n%s", code, private, noEmail, stderr)
	}
	// The lead without an email: -phone is refused while the private
	// address's leads carry the number, so export said to run again with
	// -phone, which did nothing, exit 2. It says to export it by id, which
	// does.
	byID := "export them with syncd export -event " + ids["no email"] + " (-phone is refused"
	if strings.Contains(stderr, "again with -phone") || !strings.Contains(stderr, byID) {
		t.Errorf("export by the work address: want %q for the lead without an email, not -phone\n%s", byID, stderr)
	}
	if out, stderr, code := syncdRun(t, "export", "-config", config, "-event", ids["no email"]); code != 0 ||
		!strings.Contains(out, "Ring mig op") {
		t.Errorf("export -event %s, as export said: exit %d\n%s\n%s", ids["no email"], code, out, stderr)
	}
	if _, stderr, _ := syncdRun(t, "export", "-config", config, "-email", "carl@andet.dk"); strings.Contains(stderr, "not exported") {
		t.Errorf("export of a person whose phone is on no other lead says some are left:\n%s", stderr)
	}

	out := syncdOK(t, "erase", "-config", config, "-email", "jane@firma.dk")
	if !strings.Contains(out, "erased: 1 event") || !strings.Contains(out, "not erased: the person's phone +4520123456") ||
		!strings.Contains(out, private) || !strings.Contains(out, noEmail) ||
		!strings.Contains(out, "run syncd erase -email ADDR for it, with -phone +4520123456 too if the leads without an email are the person's") ||
		strings.Contains(out, "again with -phone") || strings.Contains(out, "bob@firma.dk") {
		t.Errorf("erase by the work address does not name the leads it left under the person's phone, and how to erase them:\n%s", out)
	}
	out = syncdOK(t, "erase", "-config", config, "-email", "jane.privat@mail.dk")
	if !strings.Contains(out, "not erased: the person's phone +4520123456") || !strings.Contains(out, noEmail) ||
		!strings.Contains(out, "run syncd erase again with -phone +4520123456 too") || strings.Contains(out, "jane@firma.dk") {
		t.Errorf("erase by the private address does not name the lead without an email alone:\n%s", out)
	}
	// Run as it says: the lead without an email is the person's by their
	// number; the colleague's lead naming the number in its message is a
	// lead naming the person (erased with -others), not a number shared,
	// which was refused saying to give -email alone, as erase had.
	_, stderr, code = syncdRun(t, "erase", "-config", config, "-email", "jane.privat@mail.dk", "-phone", "+45 20 12 34 56")
	if code != 2 || !strings.Contains(stderr, "other contacts' leads name the person in their message (bob@firma.dk: event "+ids["colleague"]+")") ||
		!strings.Contains(stderr, "-others") {
		t.Errorf("erase with the person's phone too: exit %d, want 2 naming the colleague's lead and -others\n%s", code, stderr)
	}
	out = syncdOK(t, "erase", "-config", config, "-email", "jane.privat@mail.dk", "-phone", "+45 20 12 34 56", "-others")
	if !strings.Contains(out, "erased: 2 events") || strings.Contains(out, "not erased") {
		t.Errorf("erase with the person's phone and -others does not erase the lead without an email and the colleague's:\n%s", out)
	}
	out = syncdOK(t, "erase", "-config", config, "-email", "carl@andet.dk")
	if strings.Contains(out, "not erased") {
		t.Errorf("erase of a person whose phone is on no other lead says some are left:\n%s", out)
	}
}
