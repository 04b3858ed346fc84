package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestAFileOfTheWrongShapeSaysHowOneIsWritten: a new file holding a rule
// copied without the rules: line above it (a list, or the rule's keys at
// the margin), a rule under rules: without its "-", or Rules: capitalised
// were refused as "want a mapping with rules, got a list", one "unknown
// key" per rule key, "rules: want a list, got a mapping" and "unknown key
// "Rules" (want rules or fields)"; each now says how the file is written.
func TestAFileOfTheWrongShapeSaysHowOneIsWritten(t *testing.T) {
	const rule = "name: x\nsource: lokalebasen\nevent: enquiry_created\ncontact:\n  email: payload.client.email\n"
	indent := func(s, by string) string {
		out := ""
		for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			out += by + l + "\n"
		}
		return out
	}
	const how = `a file holds "rules:" on a line of its own, and under it the rules, each starting with "- " (- name: ...), indented alike`
	for _, c := range []struct{ doc, want string }{
		{"- " + indent(rule, "  ")[2:], "t.yaml:1: the file is a list, with no rules: above it: " + how},
		{rule, `t.yaml:1: a rule's keys (name, source, event, contact) at the margin, with no rules: and "- " above them: ` + how},
		{"rules:\n" + indent(rule, "  "), `t.yaml:2: rules: holds a rule without its "-": ` + how},
		// a stray rule key beside rules: is that key's own mistake, not the file's shape
		{"rules:\n" + indent("- "+indent(rule, "  ")[2:], "  ") + "event: x\n", `t.yaml:7: unknown key "event" (want rules or fields)`},
		{"Rules:\n" + indent("- "+indent(rule, "  ")[2:], "  "), `t.yaml:1: unknown key "Rules" (did you mean rules?)`},
	} {
		_, err := mapping.Parse("t.yaml", []byte(c.doc), "hubspot")
		if err == nil || err.Error() != c.want {
			t.Errorf("%q:\ngot  %v\nwant %s", c.doc, err, c.want)
		}
	}
}
