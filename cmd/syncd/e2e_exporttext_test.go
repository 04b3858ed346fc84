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
		"enquiries: until they are sent to the CRM, then 30 days after", "Not included here:",
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

// TestExportTextSaysHowLongARefusedEnquiryIsKept: the text export told the
// person each enquiry and what went to the CRM were kept "90 days after
// they were sent to the CRM", beside an enquiry the CRM refused (never
// sent) or one still waiting to be sent, and said nothing of the record
// of an erasure of their data, whose keyed hash of their email or phone
// is kept retention.erasure_days. It now says each as the retention
// applies it.
func TestExportTextSaysHowLongARefusedEnquiryIsKept(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, config, _ := startWithADeadLead(t, dir)
	out := syncdOK(t, "export", "-config", config, "-email", "support@estateagentfeeds.com", "-format", "text")
	for _, want := range []string{
		"a contact for support@estateagentfeeds.com, not sent (the CRM refused it)",
		"  - enquiries: until they are sent to the CRM, then 90 days after they were sent or the CRM refused them " +
			"(90 days after they were received when syncd sends them nowhere)",
		"  - what was sent to the CRM: until it is sent, then 90 days after it was sent or the CRM refused it",
		"  - a record of each erasure of your data: its time and counts for ever, " +
			"with a keyed hash of the email or phone it erased for 365 days",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the text export lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "after they were sent to the CRM\n") {
		t.Errorf("the text export still says a refused enquiry is kept from when it was sent:\n%s", out)
	}
}
