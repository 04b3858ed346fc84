package mapping

import (
	"path/filepath"
	"testing"
)

// TestWarningsNameUndocumentedEventTypes: a rule whose event type its
// sender does not document loads (a sender may add types) but is warned
// of at the line of its event, with the documented types and the one
// probably meant; the shipped files give no warning.
func TestWarningsNameUndocumentedEventTypes(t *testing.T) {
	data := []byte(`rules:
  - name: lead
    source: eaf
    event: email_leads
    contact:
      email: contact_email
  - name: new-type
    source: lokalebasen
    event: enquiry_updated
    contact:
      email: payload.client.email
  - name: known
    source: eaf
    event: Email_Lead
    contact:
      email: contact_email
`)
	rules, err := Parse("hubspot/x.yaml", data, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`hubspot/x.yaml:4: rule "lead": event "email_leads" is not among the eaf event types syncd knows (email_lead, portal_submission, feed_import): ` +
			`the rule matches only events of exactly that type, and its paths and fields are not checked; did you mean "email_lead"?`,
		`hubspot/x.yaml:9: rule "new-type": event "enquiry_updated" is not among the lokalebasen event types syncd knows (enquiry_created): ` +
			`the rule matches only events of exactly that type, and its paths and fields are not checked`,
		`hubspot/x.yaml:14: rule "known": event "Email_Lead" is not among the eaf event types syncd knows (email_lead, portal_submission, feed_import): ` +
			`the rule matches only events of exactly that type, and its paths and fields are not checked; did you mean "email_lead"?`,
	}
	ws := rules.Warnings()
	if len(ws) != len(want) {
		t.Fatalf("got %d warnings:\n%v", len(ws), ws)
	}
	for i, w := range ws {
		if w.Error() != want[i] {
			t.Errorf("warning %d:\n got %s\nwant %s", i, w, want[i])
		}
	}
	for _, target := range []string{"hubspot", "pipedrive"} {
		shipped, err := Load(filepath.Join("..", "..", "mappings", target), target)
		if err != nil {
			t.Fatal(err)
		}
		if ws := shipped.Warnings(); len(ws) != 0 {
			t.Errorf("shipped %s mappings: %v", target, ws)
		}
	}
}

// TestWarningsNameShadowedRules: a rule after one without `when:` for the
// same events never applies (the first rule that holds does), and is
// warned of; a catch-all after conditional rules is not.
func TestWarningsNameShadowedRules(t *testing.T) {
	data := []byte(`rules:
  - name: direct
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "client"'
    contact:
      email: payload.client.email
  - name: any
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
  - name: extra
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "extra"'
    contact:
      email: payload.client.email
  - name: lead
    source: eaf
    event: email_lead
    contact:
      email: contact_email
`)
	rules, err := Parse("hubspot/x.yaml", data, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	want := `hubspot/x.yaml:13: rule "extra": never applies: rule "any" (hubspot/x.yaml:8) takes every lokalebasen enquiry_created before it, having no when:`
	if ws := rules.Warnings(); len(ws) != 1 || ws[0].Error() != want {
		t.Fatalf("got %v\nwant %s", ws, want)
	}
}
