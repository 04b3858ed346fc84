package sender

import (
	"encoding/json"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEAFLeadIsComposed: an Estate Agent Feeds lead written on a Mac
// (decomposed: "e" and a combining acute for "é") is read composed, as
// mapping sends it to the CRM, so that a search of the report for "Zoë"
// finds it. Only Lokalebasen's leads were.
func TestEAFLeadIsComposed(t *testing.T) {
	nfd := norm.NFD.String
	body, err := json.Marshal(map[string]any{
		"eaf_webhook_type": "email_lead", "email_source": "rightmove",
		"contact_name": nfd("Zoë Brontë"), "contact_email": nfd("zoë@café.co.uk"), "contact_phone": "020 3870 4550",
		"contact_message_flat": nfd("Is the Café flat still free?"), "contact_message_html": nfd("Is the <b>Café</b> flat still free?"),
		"eaf_reference": nfd("Résidence 12"),
	})
	if err != nil {
		t.Fatal(err)
	}
	l := For(syncd.KindEAF).Lead(body)
	want := Lead{Portal: "rightmove", Name: "Zoë Brontë", Email: "zoë@café.co.uk", Phone: "020 3870 4550",
		Message: "Is the Café flat still free?", MessageHTML: "Is the <b>Café</b> flat still free?", Property: "Résidence 12"}
	if l != want {
		t.Errorf("lead\n got %+q\nwant %+q", l, want)
	}
}
