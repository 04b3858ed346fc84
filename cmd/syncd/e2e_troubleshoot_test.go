package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// troubleshootingRow is the row of docs/troubleshooting.md whose "what you
// see" cell starts with symptom, and the code spans of its other cells in
// the order written: the commands the operator runs.
func troubleshootingRow(t *testing.T, symptom string) []string {
	t.Helper()
	b, err := os.ReadFile("../../docs/troubleshooting.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "| "+symptom) {
			continue
		}
		var spans []string
		for i, s := range strings.Split(line[strings.Index(line[1:], "|")+1:], "`") {
			if i%2 == 1 {
				spans = append(spans, s)
			}
		}
		return spans
	}
	t.Fatalf("docs/troubleshooting.md: no row for %q", symptom)
	return nil
}

// TestTroubleshootingStepsForALeadMappedWrongly follows docs/troubleshooting.md
// for a lead mapped wrongly, command by command, on a real daemon: the
// mapping fixed on disk, its steps run as written. They said `syncd map`,
// `syncd replay -dry-run`, then `syncd replay`: the stored leads went
// again, but the daemon, never told, mapped every lead that came after with
// the files it had loaded, so the CRM went on getting them wrong. The row
// says to reload the daemon first.
func TestTroubleshootingStepsForALeadMappedWrongly(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	maps := filepath.Join(dir, "maps")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, err := os.ReadFile(filepath.Join("../../mappings/hubspot", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(maps, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := writeCRMConfigOnPort(t, dir, fakeURL, false)
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	b, _ := os.ReadFile(config)
	if err := os.WriteFile(config, []byte(strings.Replace(string(b), "dir: "+shipped, "dir: "+maps, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s", code, out)
	}
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	description := func(lead string) string {
		for _, deal := range fake.State().Deals {
			if deal.LeadID == lead {
				return deal.Properties["description"]
			}
		}
		return ""
	}
	first := "eaf:eaf:77722226661727188822717"
	waitFor(t, "the first lead's deal in the CRM", func() bool { return description(first) != "" })

	// The operator fixes the mapping: the deal's description, say.
	file := filepath.Join(maps, "eaf.yaml")
	b, _ = os.ReadFile(file)
	const was = "description: {expr: 'default(htmlToText(contact_message_html), contact_message_flat)'}"
	if !strings.Contains(string(b), was) {
		t.Fatalf("mappings/hubspot/eaf.yaml no longer maps the description as %s", was)
	}
	fixed := strings.Replace(string(b), was,
		`description: {expr: '"Fixed: " + default(htmlToText(contact_message_html), contact_message_flat)'}`, 1)
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}

	lead := filepath.Join("../../testdata/webhooks/eaf/email_lead.json")
	ran := 0
	for _, span := range troubleshootingRow(t, "a lead mapped wrongly") {
		var args []string
		switch {
		case span == "systemctl reload syncd":
			args = []string{"reload"}
		case strings.HasPrefix(span, "syncd map ") || strings.HasPrefix(span, "syncd replay"):
			for _, a := range strings.Fields(strings.TrimPrefix(span, "syncd ")) {
				args = append(args, strings.NewReplacer("FILE.json", lead, "S", "eaf").Replace(a))
			}
		default:
			continue
		}
		out, stderr, code := syncdRun(t, append(args, "-config", config)...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", span, code, out, stderr)
		}
		ran++
	}
	if ran < 3 {
		t.Fatalf("only %d commands found in the row: is it still written so?", ran)
	}
	waitFor(t, "the stored lead's deal mapped again", func() bool {
		return strings.HasPrefix(description(first), "Fixed: ")
	})

	// The next lead, after the steps: mapped as the files now say.
	body, _ := os.ReadFile(lead)
	body = []byte(strings.Replace(string(body), "77722226661727188822717", "after-the-fix-1", 1))
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, body); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v, %v", a, err)
	}
	next := "eaf:eaf:after-the-fix-1"
	waitFor(t, "the next lead's deal in the CRM", func() bool { return description(next) != "" })
	if got := description(next); !strings.HasPrefix(got, "Fixed: ") {
		t.Errorf("a lead received after the row's steps went to the CRM as the old mapping had it (description %q): "+
			"the steps leave the daemon on the files it loaded", got)
	}
}
