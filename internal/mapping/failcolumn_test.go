package mapping_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAFailingExpressionNamesItsLineAndColumn: an expression that failed
// for a lead was said at the line of its key and "(at character 32 of
// the expression)", or, written over several lines, "(at line 2,
// character 10 of the expression)": the operator counted characters in
// the value, where a mistake found at load is said at its line and column
// in the file. The reason (and the lead's line, which the daemon's
// warning carries) now names the line the failing part is on, and its
// column.
func TestAFailingExpressionNamesItsLineAndColumn(t *testing.T) {
	const rules = "rules:\n" + // 1
		"  - name: r\n" + // 2
		"    source: lokalebasen\n" + // 3
		"    event: enquiry_created\n" + // 4
		"    when: |\n" + // 5
		"      payload.enquiry.type != \"extra\"\n" + // 6
		"        or split(payload.client.name, \" \")[1] != \"\"\n" + // 7
		"    contact:\n" + // 8
		"      email: payload.client.email\n" + // 9
		"      company: {expr: 'split(payload.client.name, \" \")[1]'}\n" + // 10
		"      jobtitle:\n" + // 11
		"        expr: >-\n" + // 12
		"          trim(\n" + // 13
		"          split(payload.client.name, \" \")[2])\n" // 14
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lb.yaml"), []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := mapping.Load(dir, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(dir) + "/lb.yaml"
	lead := func(typ, client string) syncd.Event {
		body := `{"event_type":"enquiry_created","payload":{"enquiry":{"type":"` + typ + `"},` +
			`"client":{"email":"kim@example.dk","name":"` + client + `"}}}`
		ev, err := mapping.EventFromBody(syncd.KindLokalebasen, "lokalebasen", "", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	const oor = "its expression failed for this lead: index out of range: %d (array length is %d) (at column %d)"
	for _, c := range []struct {
		typ, name, reason string
		line              int
	}{
		{"extra", "Kim", `rule "r": when (%s:7): ` + fmt.Sprintf(oor, 1, 1, 43), 7},
		{"client", "Kim", `rule "r": contact.company (%s:10): ` + fmt.Sprintf(oor, 1, 1, 55), 10},
		{"client", "Kim Ravn", `rule "r": contact.jobtitle (%s:14): ` + fmt.Sprintf(oor, 2, 2, 42), 14},
	} {
		res := r.Map(lead(c.typ, c.name))
		if want := fmt.Sprintf(c.reason, name); res.State != syncd.MapUnmappable || res.Reason != want || res.File != name || res.Line != c.line {
			t.Errorf("%s %q: %s %q at %s:%d\nwant unmappable %q at line %d", c.typ, c.name, res.State, res.Reason, res.File, res.Line, want, c.line)
		}
	}
}
