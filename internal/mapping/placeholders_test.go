package mapping

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlaceholdersRefused: a mapping still naming fields by CF_*
// placeholders (as the shipped Pipedrive files once did) does not load,
// each reported with file and line; the shipped files have none.
func TestPlaceholdersRefused(t *testing.T) {
	data := []byte(`rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
      CF_PERSON_COMPANY: payload.client.company
    deal:
      title: payload.location.id
      CF_DEAL_LEAD_ID: {expr: 'syncd.lead_id'}
`)
	_, err := Parse("pipedrive/lb.yaml", data, "pipedrive")
	var errs LoadErrors
	if !errors.As(err, &errs) || len(errs) != 2 ||
		!strings.Contains(errs.Error(), `pipedrive/lb.yaml:7: rule "lb": contact.CF_PERSON_COMPANY: placeholder key`) ||
		!strings.Contains(errs.Error(), "pipedrive/lb.yaml:10:") {
		t.Fatalf("got:\n%v", err)
	}
	for _, target := range []string{"hubspot", "pipedrive"} {
		shipped, err := Load(filepath.Join("..", "..", "mappings", target), target)
		if err != nil {
			t.Fatal(err)
		}
		if errs := shipped.placeholders(); len(errs) != 0 {
			t.Fatalf("shipped %s mappings: %v", target, errs)
		}
	}
}
