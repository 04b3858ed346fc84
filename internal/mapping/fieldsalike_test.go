package mapping

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAFieldDeclaredUnalikeSaysHow: a field declared in two files must be
// declared alike. The error named the other file's line alone, leaving
// the operator to find what differs (an option added in one file, a
// label) and not saying what to do; it names what differs, with both
// values, and to declare it alike.
func TestAFieldDeclaredUnalikeSaysHow(t *testing.T) {
	rule := func(name string) string {
		return "rules:\n  - name: " + name + "\n    source: lokalebasen\n    event: enquiry_created\n" +
			"    contact:\n      email: payload.client.email\n    deal:\n      dealname: payload.location.id\n"
	}
	for _, c := range []struct {
		a, b, want string
	}{
		{"{type: string, unique: true, label: syncd lead id}", "{type: string, unique: true, label: lead id}",
			`label "syncd lead id" there, "lead id" here`},
		{"{type: enumeration, options: [Rightmove, Zoopla]}", "{type: enumeration, options: [Rightmove, Zoopla, OnTheMarket]}",
			`options [Rightmove, Zoopla] there, [Rightmove, Zoopla, OnTheMarket] here`},
		{"{type: string}", "{type: number}", `type string there, number here`},
		{"{type: string, unique: true}", "{type: string}", `unique true there, false here`},
	} {
		dir := t.TempDir()
		for i, decl := range []string{c.a, c.b} {
			body := "fields:\n  deal:\n    syncd_x: " + decl + "\n" + rule(string(rune('a'+i)))
			if err := os.WriteFile(filepath.Join(dir, string(rune('a'+i))+".yaml"), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Load(dir, "hubspot")
		if err == nil {
			t.Errorf("%s and %s: loaded", c.a, c.b)
			continue
		}
		want := "b.yaml:3: fields.deal.syncd_x: declared differently at " + filepath.Base(dir) + "/a.yaml:3 (" + c.want +
			"): declare it alike in every file that declares it"
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s and %s:\n got %v\nwant %s", c.a, c.b, err, want)
		}
	}
}
