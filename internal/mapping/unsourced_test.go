package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestARuleForASourceTheConfigurationLacksIsWarnedOf: an agency that
// takes leads from Lokalebasen alone keeps the shipped eaf.yaml, or an
// operator writes a rule for a sender whose source they have not added:
// `syncd validate` said "ok" and nothing else, while the rule maps
// nothing (no event of its kind ever arrives). It is now a warning with
// the rule's file and line, the sources there are, and what to do; none
// when every rule's kind has a source, or when the caller names none.
func TestARuleForASourceTheConfigurationLacksIsWarnedOf(t *testing.T) {
	r, err := mapping.Load("../../mappings/hubspot", "hubspot", mapping.WithSourceKinds(syncd.KindLokalebasen))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range r.Warnings() {
		got = append(got, w.Error())
	}
	want := `hubspot/eaf.yaml:36: rule "eaf-email-lead": source: eaf, but the configuration has no source of that kind ` +
		`(its sources are of kind lokalebasen), so this rule maps nothing: add a source of kind eaf to the configuration's sources:, ` +
		`or, if the agency does not use that sender, move the file out of the mapping folder`
	if len(got) != 1 || got[0] != want {
		t.Fatalf("warnings:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	for _, opts := range [][]mapping.Option{{mapping.WithSourceKinds(syncd.KindLokalebasen, syncd.KindEAF)}, nil} {
		r, err := mapping.Load("../../mappings/hubspot", "hubspot", opts...)
		if err != nil {
			t.Fatal(err)
		}
		if ws := r.Warnings(); len(ws) != 0 {
			t.Errorf("%d source kinds named: warnings %v", len(opts), ws)
		}
	}
}
