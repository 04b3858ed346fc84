package sender

import (
	"encoding/json"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestLokalebasenLeadIsComposed: the report's Leads sheet shows the
// client and the comment as a Mac may send them, decomposed ("A" and a
// combining ring for "Å"); a search of the workbook for "Århus" would not
// find them. The lead is read composed (NFC), as mapping sends it to the
// CRM.
func TestLokalebasenLeadIsComposed(t *testing.T) {
	nfd := norm.NFD.String
	body, err := json.Marshal(map[string]any{
		"event_type": "enquiry_created",
		"payload": map[string]any{
			"location": map[string]any{"id": "20064", "href": "https://www.lokalebasen.dk/leje/kontorlokaler/8000-aarhus-c/ab-20064"},
			"enquiry":  map[string]any{"type": "client"},
			"client": map[string]any{"name": nfd("Åse Østergård"), "email": nfd("åse@åbo.dk"),
				"company": nfd("Østergård & Søn A/S"), "phone": "12 34 56 78"},
			"comment": nfd("Vi søger 250 m² i Århus"),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := For(syncd.KindLokalebasen).Lead(body)
	want := Lead{Portal: "lokalebasen", EnquiryType: "client", Name: "Åse Østergård", Email: "åse@åbo.dk",
		Phone: "12 34 56 78", Company: "Østergård & Søn A/S", Property: "20064",
		PropertyURL: "https://www.lokalebasen.dk/leje/kontorlokaler/8000-aarhus-c/ab-20064",
		MessageHTML: "Vi søger 250 m² i Århus"}
	if l != want {
		t.Errorf("lead\n got %+q\nwant %+q", l, want)
	}
}
