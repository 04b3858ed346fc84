package main_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestNameOnlyClientIsExportedAndErasedByEvent: a client known to syncd by
// name alone (an Estate Agent Feeds email_lead with a contact name, no
// email, no phone: unmappable, never sent to a CRM) asks a DPO for her data
// and for its erasure. export -name lists the leads of her name, ignoring
// case and spacing, saying a name is not an identity, and the quarantined
// body that mentions it; export -event gives
// the two that are hers alone, to hand over; erase -name is
// refused with their ids; erase -event erases the one given beside the
// running daemon and, the daemon stopped, the other, and refuses a lead of
// the same name holding an email; export -name then finds none of hers,
// nor on a backup taken before, restored: its first start erases them again.
func TestNameOnlyClientIsExportedAndErasedByEvent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	eaf := d.url + "/hooks/eaf/" + e2eEAFToken
	var ids []string
	for i, msg := range []string{"Please call me about the flat on Vesterbro", "Is the garden south facing?"} {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"n%d","email_source":"rightmove","contact_name":"Anna Jensen",`+
			`"contact_message_flat":%q,"eaf_reference":"8765432%d"}`, i, msg, i)
		a, err := post(eaf, []byte(body))
		if err != nil || a.Code != 200 {
			t.Fatalf("post: %+v, %v", a, err)
		}
		ids = append(ids, a.ID)
	}
	a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event_type":"enquiry_created","payload":{"client":`+
		`{"name":"anna  JENSEN","email":"anna.j@example.dk"},"comment":"Office for ten?"}}`))
	if err != nil || a.Code != 200 {
		t.Fatalf("post: %+v, %v", a, err)
	}
	withEmail := a.ID
	// A body that did not parse (quarantined): no field says whose it is.
	if a, err := post(eaf, []byte(`{"eaf_type":"email_lead","eaf_id":"nq","contact_name":"Anna Jensen","contact_message_flat":"Cut`)); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v, %v", a, err)
	}
	backup := backUp(t, config) // holds her leads: a restore of it must not bring them back

	out, stderr, code := syncdRun(t, "export", "-config", config, "-name", "ANNA   jensen", "-format", "text")
	for _, want := range []string{"A name is not an identity", "Event " + ids[0] + ":", "Event " + ids[1] + ":", "Event " + withEmail + ":",
		"Vesterbro", "south facing", "Holds an email or a phone", "syncd erase -event " + ids[0] + "," + ids[1] + " ",
		"Quarantined bodies that mention the name (they did not parse: no field says whose they are): 1"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("export -name: exit %d, want %q in its output:\n%s%s", code, want, out, stderr)
		}
	}
	// Hers alone, to hand over: not the other Anna's lead.
	out, stderr, code = syncdRun(t, "export", "-config", config, "-event", ids[0]+","+ids[1], "-name", "Anna Jensen", "-format", "text")
	if code != 0 || !strings.Contains(out, "What syncd holds about Anna Jensen") || !strings.Contains(out, "Vesterbro") ||
		!strings.Contains(out, "south facing") || strings.Contains(out, "Office for ten") {
		t.Fatalf("export -event %s,%s: exit %d, want her two leads alone:\n%s%s", ids[0], ids[1], code, out, stderr)
	}
	_, stderr, code = syncdRun(t, "erase", "-config", config, "-name", "Anna Jensen")
	if code != 2 || !strings.Contains(stderr, "a name is not an identity") || !strings.Contains(stderr, ids[0]+" (") {
		t.Fatalf("erase -name: exit %d, %s; want it refused (2), listing the ids", code, stderr)
	}
	_, stderr, code = syncdRun(t, "erase", "-config", config, "-event", withEmail)
	if code != 2 || !strings.Contains(stderr, "holds an email or a phone") {
		t.Fatalf("erase -event of a lead with an email: exit %d, %s; want it refused (2)", code, stderr)
	}
	out, stderr, code = syncdRun(t, "erase", "-config", config, "-event", ids[0])
	if code != 0 || !strings.Contains(out, "erased: 1 event") {
		t.Fatalf("erase -event %s beside the daemon: exit %d\n%s%s", ids[0], code, out, stderr)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "erase", "-config", config, "-event", ids[1])
	if code != 0 || !strings.Contains(out, "erased: 1 event") || !strings.Contains(out, "erasure log:") {
		t.Fatalf("erase -event %s, no daemon: exit %d\n%s%s", ids[1], code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "export", "-config", config, "-name", "Anna Jensen", "-format", "text")
	if code != 0 || strings.Contains(out, "Vesterbro") || strings.Contains(out, "south facing") || strings.Contains(out, "Event "+ids[0]+":") ||
		!strings.Contains(out, "Event "+withEmail+":") {
		t.Fatalf("export -name after the erase: exit %d, want only the lead with an email, not hers:\n%s%s", code, out, stderr)
	}

	// The README's restore of a backup taken before: the first start on it
	// erases her leads again, by the event ids the erasure log keeps.
	restore(t, backup, filepath.Join(dir, "data", "syncd.db"))
	d = start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "export", "-config", config, "-name", "Anna Jensen", "-format", "text")
	if code != 0 || strings.Contains(out, "Vesterbro") || strings.Contains(out, "south facing") ||
		!strings.Contains(d.log(), "applied again") {
		t.Fatalf("export -name on the restored backup: exit %d, want none of her leads, erased again at the start:\n%s%s\n%s", code, out, stderr, d.log())
	}
}
