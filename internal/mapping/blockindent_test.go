package mapping

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestABlockIndentedUnderTheOtherIsSaidSo: an operator indented deal: as
// far as the contact's properties. YAML reads it as a contact property
// with no value and the deal's properties as the contact's: validate said
// only `contact.deal: want a path, a constant or {path|const|expr: ...},
// got nothing`, nothing of the rule having lost its deal. It now says so,
// and how to mend it.
func TestABlockIndentedUnderTheOtherIsSaidSo(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(mappingsDir, "hubspot", "lokalebasen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Replace(string(data), "    deal:\n      dealname", "      deal:\n      dealname", 1)
	if in == string(data) {
		t.Fatal("the shipped lokalebasen.yaml has no deal: before dealname")
	}
	_, err = Parse("hubspot/lokalebasen.yaml", []byte(in), "hubspot")
	want := `rule "lokalebasen-enquiry": contact.deal: deal: is indented under contact:, so this rule has no deal and the properties ` +
		`below it are read as the contact's: move deal: out to the column of contact:`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("deal: indented under contact:: %v\nwant %s", err, want)
	}
}
