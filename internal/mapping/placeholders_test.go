package mapping

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPlaceholdersRefused: the shipped Pipedrive mappings name custom
// fields by CF_* placeholders; each is reported with its file and line.
func TestPlaceholdersRefused(t *testing.T) {
	rules, err := Load(filepath.Join("..", "..", "mappings", "pipedrive"), "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	errs := rules.Placeholders()
	if len(errs) < 10 {
		t.Fatalf("%d placeholders found:\n%v", len(errs), errs)
	}
	if !strings.Contains(errs.Error(), "pipedrive/lokalebasen.yaml:") || !strings.Contains(errs.Error(), "contact.CF_PERSON_COMPANY: placeholder key") {
		t.Fatalf("got:\n%v", errs)
	}
	for _, e := range errs {
		if e.Line == 0 {
			t.Fatalf("no line: %v", e)
		}
	}
	hub, err := Load(filepath.Join("..", "..", "mappings", "hubspot"), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	if errs := hub.Placeholders(); len(errs) != 0 {
		t.Fatalf("hubspot mappings: %v", errs)
	}
}
