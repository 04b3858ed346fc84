package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestValidateNamesAnExampleLeadNoRuleMaps: a when: written with "Client"
// for the "client" Lokalebasen sends passed syncd validate with "5
// examples ... map cleanly", exit 0, and the daemon then ignored every
// such lead without a word. validate now says the example lead is one no
// rule maps, with the rule and the line of its when:, exit 0 (a when: may
// leave out leads on purpose).
func TestValidateNamesAnExampleLeadNoRuleMaps(t *testing.T) {
	t.Parallel()
	config, maps := editedMappings(t, t.TempDir())
	lb := filepath.Join(maps, "lokalebasen.yaml")
	data, _ := os.ReadFile(lb)
	edited := strings.Replace(string(data), "    event: enquiry_created\n",
		"    event: enquiry_created\n    when: 'payload.enquiry.type == \"Client\"'\n", 1)
	os.WriteFile(lb, []byte(edited), 0o644)
	line := 1 + strings.Count(edited[:strings.Index(edited, "    when:")], "\n")

	out, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "../../testdata/webhooks")
	if code != 0 || strings.Contains(out, "map cleanly") {
		t.Fatalf("validate of a when: that holds for no example: exit %d\n%s\nstderr:\n%s", code, out, stderr)
	}
	mustContain(t, "validate's summary", out,
		"5 examples in ../../testdata/webhooks checked: 4 eaf, 1 lokalebasen; 1 lead among them no rule maps (warning below)")
	mustContain(t, "validate's warning", stderr, "warning: ../../testdata/webhooks/lokalebasen/enquiry_created.json: "+
		`a lead no rule maps: no rule's when: holds for it (rule "lokalebasen-enquiry" at maps/lokalebasen.yaml:`+
		strconv.Itoa(line)+"); leads like it are ignored, never sent to the CRM")
}
