package mapping

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestShippedWriteModes: the shipped mappings keep what salespeople edit
// (stages, pipelines, lifecycle stage, names) to the create, and add
// Pipedrive emails and phones to the person's lists.
func TestShippedWriteModes(t *testing.T) {
	want := map[string]map[syncd.RecordKind]map[string]syncd.WriteMode{
		"hubspot": {
			syncd.RecordContact: {"firstname": syncd.WriteCreate, "lastname": syncd.WriteCreate, "lifecyclestage": syncd.WriteCreate},
			syncd.RecordDeal:    {"dealname": syncd.WriteCreate, "pipeline": syncd.WriteCreate, "dealstage": syncd.WriteCreate},
		},
		"pipedrive": {
			syncd.RecordContact: {"name": syncd.WriteCreate, "email": syncd.WriteAdd, "phone": syncd.WriteAdd},
			syncd.RecordDeal:    {"title": syncd.WriteCreate, "pipeline": syncd.WriteCreate, "stage": syncd.WriteCreate},
		},
	}
	for target, kinds := range want {
		rules, err := Load(filepath.Join("..", "..", "mappings", target), target)
		if err != nil {
			t.Fatal(err)
		}
		for kind, props := range kinds {
			for p, m := range props {
				if got := rules.Modes().Of(kind, p); got != m {
					t.Errorf("%s %s.%s: write %q, want %q", target, kind, p, got, m)
				}
			}
		}
	}
}

// TestWriteModeErrors: an unknown mode, add on a one-value field (with
// the modes to write instead), and two rules writing one field
// differently are load errors with file:line.
func TestWriteModeErrors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testdataRoot, "bad", "write.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("write.yaml", data, "hubspot")
	if err == nil {
		t.Fatal("loaded")
	}
	for _, want := range []string{
		`write.yaml:6: rule "modes": contact.email: write: add is only for fields that hold a list (HubSpot has none): ` +
			`write create (only as the record is made) or always (every time, the default) instead`,
		`write.yaml:24: rule "bad-mode": contact.firstname.write: "sometimes" is not always, create or add`,
		`write.yaml:18: rule "other": deal.dealstage: write: always, but write.yaml:9 writes it create`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

// TestExplainShowsUpdate: an explanation carries each property's write
// mode, so that syncd map can mark create-only and added properties.
func TestExplainShowsUpdate(t *testing.T) {
	rules, err := Load(filepath.Join("..", "..", "mappings", "pipedrive"), "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"event_type":"enquiry_created","payload":{"client":{"email":"a@example.com","name":"Ann Lee","phone":"+4512345678"},"location":{"id":"7"},"enquiry":{"type":"client"}}}`)
	e, err := ExplainBody(rules, syncd.KindLokalebasen, "lb", "", body)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind syncd.RecordKind
		prop string
		want syncd.WriteMode
	}{{syncd.RecordContact, "name", syncd.WriteCreate}, {syncd.RecordContact, "email", syncd.WriteAdd},
		{syncd.RecordContact, "phone", syncd.WriteAdd}, {syncd.RecordDeal, "stage", syncd.WriteCreate}} {
		if got := e.Modes.Of(c.kind, c.prop); got != c.want {
			t.Errorf("%s %s: mode %v, want %v", c.kind, c.prop, got, c.want)
		}
	}
}
