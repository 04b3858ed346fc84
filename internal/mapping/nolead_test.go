package mapping_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestASourceWhoseLeadsNoRuleTakesIsWarnedOf: eaf.yaml deleted (or moved
// away as a backup) while the configuration keeps its Estate Agent Feeds
// source: validate said ok and the daemon reloaded without a word, and
// every lead that sender posted from then on was stored and ignored,
// never sent to the CRM. It is a warning naming the sender kind, its lead
// events and what to do; none while a rule takes them.
func TestASourceWhoseLeadsNoRuleTakesIsWarnedOf(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hubspot")
	os.Mkdir(dir, 0o755)
	data, err := os.ReadFile("../../mappings/hubspot/lokalebasen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "lokalebasen.yaml"), data, 0o644)
	r, err := mapping.Load(dir, "hubspot", mapping.WithSourceKinds(syncd.KindLokalebasen, syncd.KindEAF))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range r.Warnings() {
		got = append(got, w.Error())
	}
	want := `hubspot: no rule in the folder takes eaf email_lead events, and the configuration has a source of kind eaf: ` +
		`each such lead is stored and ignored, never sent to the CRM: add a rule for them (mappings/README.md), ` +
		`or, if the agency takes no leads from that sender, remove its source`
	if len(got) != 1 || got[0] != want {
		t.Fatalf("warnings:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	r, err = mapping.Load(dir, "hubspot", mapping.WithSourceKinds(syncd.KindLokalebasen))
	if err != nil {
		t.Fatal(err)
	}
	if ws := r.Warnings(); len(ws) != 0 {
		t.Errorf("every source's leads taken: warnings %v", ws)
	}
}
