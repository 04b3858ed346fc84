package main_test

import (
	"encoding/json"
	"testing"
	"time"
)

// TestExportTextListsTheCreatesSentForThePerson: Pipedrive applied a
// person's create but its answer was lost, so syncd keeps the create's
// intent (the person's email, when it was sent) until it sees the person
// there. The JSON export listed it under crm_create_intents; the text
// export, the letter for the person, said nothing of it, nor of the
// operations' and links' keys (the person's email), nor, after an erase,
// of the create intents it removed or the keyed hash the erasure is kept
// under. The text now says each of them.
func TestExportTextListsTheCreatesSentForThePerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	_, config := lostCreateAnswer(t, dir)
	const email = "support@estateagentfeeds.com"

	var js struct {
		Intents []struct {
			Kind, Key, Target string
			SentAt            time.Time `json:"sent_at"`
		} `json:"crm_create_intents"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-email", email)), &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Intents) != 1 || js.Intents[0].Key != email || js.Intents[0].Target != "pipedrive" {
		t.Fatalf("the JSON export's create intents: %+v, want the person's create in pipedrive", js.Intents)
	}
	sent := js.Intents[0].SentAt.Format("2006-01-02 15:04:05 -07:00")
	text := syncdOK(t, "export", "-config", config, "-email", email, "-format", "text")
	mustContain(t, "the text export", text,
		"Records syncd asked the CRM (pipedrive) to create for you: 1",
		"  - a contact for "+email+" in pipedrive, asked at "+sent,
		"a contact for "+email+", waiting to be sent",
		"  - a note of each record syncd asked the CRM to create for you: 90 days after it asked")

	syncdOK(t, "erase", "-config", config, "-email", email)
	var after struct {
		Erasures []struct {
			Hash    string `json:"subject_hash"`
			Intents int    `json:"crm_create_intents"`
		} `json:"erasures"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-email", email)), &after); err != nil {
		t.Fatal(err)
	}
	if len(after.Erasures) != 1 || after.Erasures[0].Intents != 1 {
		t.Fatalf("the JSON export's erasures: %+v, want one that removed the create intent", after.Erasures)
	}
	text = syncdOK(t, "export", "-config", config, "-email", email, "-format", "text")
	mustContain(t, "the text export after the erase", text,
		"and 1 note of a record syncd asked the CRM to create\n",
		"its record names you only by a keyed hash of the email or phone erased: "+after.Erasures[0].Hash)
}
