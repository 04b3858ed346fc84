package mapping

import (
	"strings"
	"testing"
)

// TestWarningsNamePipedriveListsReplaced: a Pipedrive person holds lists
// of emails and phones. A mapping that writes email or phone without a
// write mode sets the whole list to the lead's one value on every update,
// so the emails and phones a salesperson added to the person vanish with
// the next lead, and nothing said so. Such a property is warned of at its
// line, with write: add as the way out; add and create are not, nor
// HubSpot's email, which holds one value.
func TestWarningsNamePipedriveListsReplaced(t *testing.T) {
	src := `rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
      phone: {expr: 'phone(payload.client.phone)'}
    deal:
      title: {const: T}
  - name: eaf
    source: eaf
    event: email_lead
    contact:
      email: {path: contact_email}
      phone: {expr: 'phone(contact_phone)'}
    deal:
      title: {const: T}
`
	rules, err := Parse("x.yaml", []byte(src), "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"x.yaml:6: rule \"lb\": contact.email:", "x.yaml:7: rule \"lb\": contact.phone:",
		"x.yaml:14: rule \"eaf\": contact.email:", "x.yaml:15: rule \"eaf\": contact.phone:"}
	ws := rules.Warnings()
	if len(ws) != len(want) {
		t.Fatalf("got %d warnings, want %d:\n%v", len(ws), len(want), ws)
	}
	for i, w := range ws {
		if !strings.HasPrefix(w.Error(), want[i]) || !strings.Contains(w.Error(), "write: add") || !strings.Contains(w.Error(), "salesperson") {
			t.Errorf("warning %d: %s", i, w)
		}
	}
	for _, mode := range []string{"add", "create"} {
		ok := strings.NewReplacer("email: payload.client.email", "email: {path: payload.client.email, write: "+mode+"}",
			"phone: {expr: 'phone(payload.client.phone)'}", "phone: {expr: 'phone(payload.client.phone)', write: "+mode+"}",
			"email: {path: contact_email}", "email: {path: contact_email, write: "+mode+"}",
			"phone: {expr: 'phone(contact_phone)'}", "phone: {expr: 'phone(contact_phone)', write: "+mode+"}").Replace(src)
		rules, err := Parse("x.yaml", []byte(ok), "pipedrive")
		if err != nil {
			t.Fatal(err)
		}
		if ws := rules.Warnings(); len(ws) != 0 {
			t.Errorf("write: %s: %v", mode, ws)
		}
	}
	hs, err := Parse("x.yaml", []byte(strings.ReplaceAll(src, "title: {const: T}", "dealname: {const: T}")), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	if ws := hs.Warnings(); len(ws) != 0 {
		t.Errorf("hubspot: %v", ws)
	}
}
