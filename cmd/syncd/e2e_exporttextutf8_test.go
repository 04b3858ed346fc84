package main_test

import (
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// TestExportTextOfALatin1BodyIsUTF8: a sender wrote the person's lead in
// ISO-8859-1, so it was quarantined as not UTF-8. The text export for the
// person said its bytes that are not text "show as \uFFFD here", and wrote
// them as received: "Bent J" then the byte 0xF8, a file that is no UTF-8
// (an editor opened it in another charset, every other "ø" and "…" in it
// garbled; grep called it binary), and so did syncd export -name -format
// text of a body mentioning the name. Both now show each such byte as
// U+FFFD, as they say; the JSON export keeps the exact bytes
// (body_base64).
func TestExportTextOfALatin1BodyIsUTF8(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	body := []byte("{\"event_type\":\"enquiry_created\",\"payload\":{\"client\":{\"email\":\"bent@latin1.dk\",\"name\":\"Bent J\xf8rgensen\"}," +
		"\"comment\":\"Anna Jensen kommer med\"}}")
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 200 || a.Status != "quarantined" {
		t.Fatalf("post: %+v %v", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-email", "bent@latin1.dk"}, {"-name", "Anna Jensen"}} {
		out := syncdOK(t, append([]string{"export", "-config", config, "-format", "text"}, args...)...)
		if !strings.Contains(out, "Bent J\uFFFDrgensen") {
			t.Errorf("export %v -format text does not show the body with U+FFFD for the byte not text:\n%q", args, out)
		}
		if !utf8.ValidString(out) {
			t.Errorf("export %v -format text is not UTF-8:\n%q", args, out)
		}
	}
}

// TestExportOfOneEventSaysItInTheSingular: syncd export -event 1 headed
// the person's text "What syncd holds about the enquiries of events 1",
// and gave it as the JSON's subject, where counts and names say one thing
// in the singular throughout export, erase and purge. One event is now
// "the enquiry of event 1"; several stay "the enquiries of events 1, 2".
func TestExportOfOneEventSaysItInTheSingular(t *testing.T) {
	t.Parallel()
	_, config := storedAngela(t)
	out := syncdOK(t, "export", "-config", config, "-event", "1", "-format", "text")
	mustContain(t, "export -event 1 -format text", out, "What syncd holds about the enquiry of event 1\n")
}
