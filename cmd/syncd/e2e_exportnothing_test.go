package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestExportByNameOrEventSaysWhatItDidNotFind: a DPO exporting a client
// known by name alone is told plainly when syncd holds no lead of that
// name (a name typed without its accents, a surname alone), how names are
// matched and what to try, in the JSON's notice, on stderr and in the
// text. It said "0 leads have that contact name", then to check "each
// lead below", of which there were none. export -event of an id the
// database does not hold says nothing was exported (it said "nothing
// erased"), and export given no person names -name and -event beside
// -email and -phone. A name only a quarantined body holds is not "nothing
// found": export says to check that body.
func TestExportByNameOrEventSaysWhatItDidNotFind(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"s1","email_source":"rightmove",`+
		`"contact_name":"Søren Åberg","contact_message_flat":"Call me"}`))
	if err != nil || a.Code != 200 {
		t.Fatalf("post: %+v, %v", a, err)
	}
	// A body that did not parse, naming a client no lead names.
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","contact_name":"Ole Hansen","contact_message_flat":"Cut`)); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v, %v", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// Found, case aside: the notice to check each lead.
	out, stderr, code := syncdRun(t, "export", "-config", config, "-name", "SØREN åberg")
	if code != 0 || !strings.Contains(stderr, "1 lead has that contact name") || !strings.Contains(out, "Check each lead below") {
		t.Fatalf("export -name of a stored name: exit %d\n%s%s", code, out, stderr)
	}
	for _, name := range []string{"Soren Aberg", "Åberg"} {
		out, stderr, code := syncdRun(t, "export", "-config", config, "-name", name)
		if code != 0 || !strings.Contains(stderr, "Nothing found: no stored lead has that contact name") ||
			!strings.Contains(stderr, "Søren is not Soren") || !strings.Contains(out, `"notice": "Nothing found`) ||
			strings.Contains(stderr+out, "below") || strings.Contains(stderr, "0 leads") {
			t.Errorf("export -name %q, no such lead: exit %d; want it to say nothing was found, and how names are matched:\n%s%s",
				name, code, out, stderr)
		}
		out, stderr, code = syncdRun(t, "export", "-config", config, "-name", name, "-format", "text")
		if code != 0 || !strings.Contains(out, "Nothing found: no stored lead has that contact name") || strings.Contains(out, "below") {
			t.Errorf("export -name %q -format text, no such lead: exit %d; want it to say nothing was found:\n%s%s", name, code, out, stderr)
		}
	}

	// No lead, but a quarantined body names it: not "nothing found".
	out, stderr, code = syncdRun(t, "export", "-config", config, "-name", "ole hansen", "-format", "text")
	if code != 0 || !strings.Contains(out, "No stored lead has that contact name") || strings.Contains(out, "Nothing found") ||
		!strings.Contains(out, "1 quarantined body mentions the name (listed): check whether it is the client's") {
		t.Errorf("export -name of a name only a quarantined body holds: exit %d; want it to say to check that body:\n%s%s", code, out, stderr)
	}
	_, stderr, code = syncdRun(t, "export", "-config", config, "-event", "999")
	if code != 2 || !strings.Contains(stderr, "no event 999 in this database, nothing exported") || strings.Contains(stderr, "erased") {
		t.Errorf("export -event 999: exit %d, %s; want it refused (2), saying nothing was exported", code, stderr)
	}
	_, stderr, code = syncdRun(t, "erase", "-config", config, "-event", "999")
	if code != 2 || !strings.Contains(stderr, "no event 999 in this database, nothing erased") {
		t.Errorf("erase -event 999: exit %d, %s; want it refused (2), saying nothing was erased", code, stderr)
	}
	_, stderr, code = syncdRun(t, "export", "-config", config)
	if code != 2 || !strings.Contains(stderr, "-name NAME") || !strings.Contains(stderr, "-event ID") {
		t.Errorf("export with no person: exit %d, %s; want it refused (2), naming -name and -event too", code, stderr)
	}
}
