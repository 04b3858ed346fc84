package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
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

// mappingCopySetUp is the stand-in HubSpot CRM, set up by syncd crm setup,
// and a configuration for it whose mappings are a copy of the shipped
// HubSpot ones in the folder maps, for a test to edit.
func mappingCopySetUp(t *testing.T) (fake *crmfake.Server, config, maps string) {
	t.Helper()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	maps = filepath.Join(dir, "maps")
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
	config = writeCRMConfigOnPort(t, dir, fakeURL, false)
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	b, _ := os.ReadFile(config)
	if err := os.WriteFile(config, []byte(strings.Replace(string(b), "dir: "+shipped, "dir: "+maps, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s", code, out)
	}
	return fake, config, maps
}

// fixEAFDescription edits eaf.yaml in maps as an operator fixing a mapping
// would: each deal's description then starts "Fixed: ".
func fixEAFDescription(t *testing.T, maps string) {
	t.Helper()
	file := filepath.Join(maps, "eaf.yaml")
	b, _ := os.ReadFile(file)
	const was = "description: {expr: 'default(htmlToText(contact_message_html), htmlToText(contact_message_flat))'}"
	if !strings.Contains(string(b), was) {
		t.Fatalf("mappings/hubspot/eaf.yaml no longer maps the description as %s", was)
	}
	fixed := strings.Replace(string(b), was,
		`description: {expr: '"Fixed: " + default(htmlToText(contact_message_html), htmlToText(contact_message_flat))'}`, 1)
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
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
	fake, config, maps := mappingCopySetUp(t)
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
	fixEAFDescription(t, maps)

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

// TestRaisedLimitsSayARestartTakesThem: docs/troubleshooting.md, for
// deliveries held up by the connection cap, and the log line it quotes
// said to raise http.max_connections; docs/intake.md and the log's fix of
// a body refused as too large said to raise http.max_body_bytes. An
// operator does so and, as for every other setting, reloads: the daemon
// reads both only at start, so the deliveries went on waiting or being
// refused (the reload said so, in a line of its own). Each now says that a
// restart takes it.
func TestRaisedLimitsSayARestartTakesThem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "http:\n  max_body_bytes: 1024\n  max_connections: 16\n"),
		"listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	hook := d.url + "/hooks/eaf/" + e2eEAFToken
	if a, err := post(hook, []byte(`{"eaf_type":"email_lead","eaf_id":"big-1","note":"`+strings.Repeat("x", 2048)+`"}`)); err != nil || a.Code != 413 {
		t.Fatalf("a body over max_body_bytes: %+v, %v; want 413", a, err)
	}
	// Clients holding every connection the cap allows in a request: each
	// sends its headers and a byte of the body it announced. One the daemon
	// has not read yet is not in a request yet, and is kept (its request is
	// waiting to be read): more come until every one is.
	host := strings.TrimPrefix(d.url, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	said := map[string]string{}
	waitFor(t, "the too_large refusal and the connection cap's warning", func() bool {
		for _, l := range strings.Split(d.log(), "\n") {
			var line struct{ Message, Reason, Fix string }
			if json.Unmarshal([]byte(l), &line) != nil {
				continue
			}
			switch {
			case line.Reason == "too_large":
				said["http.max_body_bytes"] = line.Fix
			case strings.HasPrefix(line.Message, "every connection http.max_connections allows"):
				said["http.max_connections"] = line.Message
			}
		}
		if said["http.max_connections"] == "" {
			c, err := net.Dial("tcp", host)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			fmt.Fprintf(c, "POST /hooks/eaf/%s HTTP/1.1\r\nHost: %s\r\nContent-Length: 100\r\n\r\n{", e2eEAFToken, host)
		}
		return len(said) == 2
	})
	for _, c := range conns {
		c.Close()
	}
	conns = nil

	// The premise: a reload does not take them.
	raised := strings.NewReplacer("max_body_bytes: 1024", "max_body_bytes: 4096", "max_connections: 16", "max_connections: 64").Replace(yaml)
	if err := os.WriteFile(config, []byte(raised), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "reload", "-config", config)
	if code != 0 || !strings.Contains(out, "read only at start: http.max_body_bytes, http.max_connections") {
		t.Fatalf("reload of raised limits: exit %d\n%s%s", code, out, stderr)
	}

	intake, err := os.ReadFile("../../docs/intake.md")
	if err != nil {
		t.Fatal(err)
	}
	var tooLargeRow string
	for _, l := range strings.Split(string(intake), "\n") {
		if strings.HasPrefix(l, "| body over `http.max_body_bytes`") {
			tooLargeRow = l
		}
	}
	capRow := strings.Join(troubleshootingRow(t, "a sender's deliveries time out"), " ")
	for what, text := range map[string]string{
		"the log's fix of a body too large":                       said["http.max_body_bytes"],
		"the connection cap's warning":                            said["http.max_connections"],
		"docs/intake.md's row of a body over http.max_body_bytes": tooLargeRow,
		"docs/troubleshooting.md's row of deliveries timing out":  capRow,
	} {
		if !strings.Contains(text, "restart syncd") {
			t.Errorf("%s says to raise the limit, not that a restart takes it (a reload does not):\n%s", what, text)
		}
	}
}

// TestMisroutedLeadsReachTheCRMAsTheTroubleshootingRowSays: a sender given
// another source's URL has its leads stored as unrecognised, never mapped.
// docs/troubleshooting.md said why and no more: an operator who gave the
// sender its right URL still had the leads stored before out of the CRM,
// with nothing saying how to get them there (no replay maps them). The row
// now names the log line that gives each event and says to post its body
// again to the right URL; this follows it on a real daemon.
func TestMisroutedLeadsReachTheCRMAsTheTroubleshootingRowSays(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), fakeURL, true)
	d := start(t, config)
	body, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	// Its eaf_id a number past 2^53, which jq 1.6 (Debian 12's), in the
	// row's pipeline, rounded to another: 77722226661727180000000.
	const bigID = "77722226661727188822717"
	body = bytes.Replace(body, []byte(`"eaf_id": "`+bigID+`"`), []byte(`"eaf_id": `+bigID), 1)
	if !bytes.Contains(body, []byte(`"eaf_id": `+bigID)) {
		t.Fatalf("no eaf_id %s in testdata/webhooks/eaf/email_lead.json", bigID)
	}
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 200 {
		t.Fatalf("an eaf lead posted to the lokalebasen URL: %+v, %v", a, err)
	}

	row := strings.Join(troubleshootingRow(t, "a sender's leads are stored but never mapped"), "\n")
	var id string
	waitFor(t, "the log line the row names", func() bool {
		for _, l := range strings.Split(d.log(), "\n") {
			var line struct {
				Message string
				EventID json.Number `json:"event_id"`
			}
			if json.Unmarshal([]byte(l), &line) == nil && strings.HasPrefix(line.Message, "delivery unrecognised") {
				id = line.EventID.String()
			}
		}
		return id != ""
	})
	if !strings.Contains(row, "delivery unrecognised") || !strings.Contains(row, "syncd events show ID") {
		t.Fatalf("docs/troubleshooting.md's row of unrecognised leads says nothing of getting those stored into the CRM:\n%s", row)
	}
	// Its step, the row's pipeline as written, run by sh with this syncd
	// first on PATH: the event's payload, posted again to the URL of a
	// source of its kind.
	var pipeline string
	for _, span := range strings.Split(row, "\n") {
		if strings.HasPrefix(span, "syncd events show ID ") && strings.Contains(span, "curl ") {
			pipeline = strings.ReplaceAll(span, `\|`, "|")
		}
	}
	if pipeline == "" {
		t.Fatalf("docs/troubleshooting.md's row of unrecognised leads has no pipeline from syncd events show ID to curl:\n%s", row)
	}
	pipeline = strings.Replace(pipeline, "syncd events show ID", "syncd events show "+id+" -config "+sq(config), 1)
	pipeline = strings.Replace(pipeline, " URL", " "+d.url+"/hooks/eaf/"+e2eEAFToken, 1)
	sh := exec.Command("sh", "-c", pipeline)
	sh.Env = append(os.Environ(), "PATH="+filepath.Dir(syncdBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	var shErr bytes.Buffer
	sh.Stderr = &shErr // curl's progress
	out, err := sh.Output()
	var a struct {
		EventID string `json:"event_id"`
		Status  string
	}
	if err != nil || json.Unmarshal(out, &a) != nil || a.Status != "accepted" {
		t.Fatalf("the row's pipeline, %s: %v\n%s%s", pipeline, err, out, shErr.String())
	}
	shown, stderr, code := syncdRun(t, "events", "show", a.EventID, "-config", config)
	if code != 0 || !strings.Contains(shown, `"eaf_id": `+bigID+",") || !strings.Contains(shown, `"source": "eaf"`) {
		t.Fatalf("the event the row's pipeline posted, with eaf_id %s: exit %d\n%s%s", bigID, code, shown, stderr)
	}
	waitForRecords(t, fake, d, 1, 1, "the misrouted lead posted again to its source's URL")
}
