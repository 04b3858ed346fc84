package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExportForThePersonToRead: syncd export wrote JSON only, a
// developer's format, while Art. 15 asks for the person's data in a form
// they can read: a DPO had to write a covering letter by hand from it.
// -format text writes, to a file only its owner reads, what syncd holds
// about the person in plain words: each enquiry with its fields, the
// unreadable ones as received, how long each kind is kept, and what the
// export lacks.
func TestExportForThePersonToRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  event_days: 30\n")
	storeOldLeads(t, dir, e2eJane, time.Now().AddDate(0, 0, -1))
	file := filepath.Join(dir, "jane.txt")
	if out := syncdOK(t, "export", "-config", config, "-email", e2eJane.email, "-format", "text", "-out", file); strings.TrimSpace(out) != file {
		t.Errorf("export printed %q, want the file's name", out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{
		"What syncd holds about " + strings.ToLower(e2eJane.email),
		"Enquiries received: 1", "from Estate Agent Feeds (email_lead",
		"contact_name: " + e2eJane.name, "contact_email: " + e2eJane.email, "contact_phone: +45 " + e2eJane.phone,
		"contact_message_flat: This is an enquiry message.",
		"Enquiries syncd could not read (kept as received): 1", `"contact_name": "` + e2eJane.name + `"`,
		"enquiries: 30 days after", "Not included here:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text export lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, `"events"`) {
		t.Errorf("the text export is JSON:\n%s", text)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the text export's mode: %v %v, want 0600", st.Mode(), err)
	}
}
