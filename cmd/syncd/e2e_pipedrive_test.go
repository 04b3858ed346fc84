package main_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// editedPipedriveMappings copies the shipped Pipedrive mappings into dir
// with edit applied to each file, and returns the directory.
func editedPipedriveMappings(t *testing.T, dir string, edit func(string) string) string {
	t.Helper()
	src, _ := filepath.Abs("../../mappings/pipedrive")
	out := filepath.Join(dir, "pipedrive")
	os.MkdirAll(out, 0o755)
	for _, f := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(out, f), []byte(edit(string(b))), 0o644)
	}
	return out
}

// TestValidateRefusesPlaceholders: a mapping still naming a Pipedrive field
// by a CF_* placeholder would have every record refused; validate names it
// with its file and line and exits 2.
func TestValidateRefusesPlaceholders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	maps := editedPipedriveMappings(t, dir, func(s string) string {
		return strings.Replace(s, "syncd company: payload.client.company", "CF_PERSON_COMPANY: payload.client.company", 1)
	})
	shipped, _ := filepath.Abs("../../mappings/pipedrive")
	cfg := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(cfg, []byte(strings.Replace(pipedriveConfig(dir, "https://acme.pipedrive.com/api/v2"), shipped, maps, 1)), 0o600)
	cmd := syncdCmd("validate", "-config", cfg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	placeholder := regexp.MustCompile(`pipedrive/lokalebasen\.yaml:\d+: rule "lokalebasen-enquiry": contact\.CF_PERSON_COMPANY: placeholder key`)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !placeholder.MatchString(stderr.String()) {
		t.Fatalf("exit %v\n%s", err, stderr.String())
	}
	// The daemon agrees with validate: it does not map with them (it used
	// to, and its adapter paused on the unknown field) but holds its
	// mapping, taking deliveries, until a reload loads fixed ones; a
	// reload is refused by the same load.
	d := start(t, cfg)
	if log := d.log(); !regexp.MustCompile(`pipedrive/lokalebasen\.yaml:\d+: rule .*contact\.CF_PERSON_COMPANY: placeholder key`).MatchString(log) ||
		!strings.Contains(log, "start: "+heldLog) {
		t.Fatalf("serve on a placeholder:\n%s", log)
	}
}

// TestPipedriveEditsSurviveSecondLeadAndReplay runs the real binary with
// the shipped Pipedrive mappings against the stand-in: a salesperson edits
// the person (name, a second email and phone) and moves the deal on; a
// second lead from the same client, and a replay after a mapping change,
// keep every edit and only add the new phone.
func TestPipedriveEditsSurviveSecondLeadAndReplay(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	dir := t.TempDir()
	shipped, _ := filepath.Abs("../../mappings/pipedrive")
	maps := editedPipedriveMappings(t, dir, func(s string) string { return s })
	cfg := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(cfg, []byte(strings.Replace(pipedriveConfig(dir, fakeURL), shipped, maps, 1)), 0o600)
	if out, err := syncdCmd("crm", "setup", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("crm setup: %v\n%s", err, out)
	}
	d := start(t, cfg)

	enquiry, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, enquiry); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitFor(t, "the person and the deal", func() bool { s := fake.State(); return len(s.Contacts) == 1 && len(s.Deals) == 1 })
	st := fake.State()
	person, deal := st.Contacts[0], st.Deals[0]
	if err := fake.EditContact(person.ID, crmfake.Edit{Properties: map[string]string{"name": "Angela Baker-Holm"},
		Emails: []string{"angela7913@hotmail.com", "angela@bakers.example"}, Phones: append(person.Phones, "+4540404040")}); err != nil {
		t.Fatal(err)
	}
	if err := fake.EditDeal(deal.ID, crmfake.Edit{Properties: map[string]string{"stage_id": "99"}}); err != nil {
		t.Fatal(err)
	}

	second := strings.NewReplacer(`"id": "20064"`, `"id": "30000"`, `"52 25 05 59"`, `"61 61 61 61"`).Replace(string(enquiry))
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(second)); err != nil || a.Code != 200 {
		t.Fatalf("second post: %+v %v", a, err)
	}
	waitFor(t, "the second deal", func() bool { return len(fake.State().Deals) == 2 })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	checkEdits(t, fake, deal.ID, 2)

	// A mapping change and a replay: every lead's records are written again.
	editedPipedriveMappings(t, dir, func(s string) string {
		return strings.Replace(s, `joinNonEmpty(" ", "Lokalebasen"`, `joinNonEmpty(" ", "LB"`, 1)
	})
	dry, err := syncdCmd("replay", "-dry-run", "-config", cfg).CombinedOutput()
	if err != nil || !strings.Contains(string(dry), "stage: Qualified  (on create only)") ||
		!strings.Contains(string(dry), "an update of an existing deal writes only: ") {
		t.Fatalf("replay -dry-run does not show what an update writes: %v\n%s", err, dry)
	}
	if out, err := syncdCmd("replay", "-config", cfg).CombinedOutput(); err != nil || !strings.Contains(string(out), "enqueued") {
		t.Fatalf("replay: %v\n%s", err, out)
	}
	before := len(fake.Requests())
	out, err := syncdCmd("sync", "-config", cfg).CombinedOutput()
	if err != nil || !regexp.MustCompile(`[1-9]\d* done`).Match(out) {
		t.Fatalf("sync: %v\n%s", err, out)
	}
	// It counts the requests Pipedrive's rate limits count (a search and a
	// write per record; before, the two batches it handed the adapter).
	if want := fmt.Sprintf(" %d CRM requests\n", len(fake.Requests())-before); !strings.Contains(string(out), want) {
		t.Errorf("sync says %q, crmfake saw%s", out, want)
	}
	checkEdits(t, fake, deal.ID, 2)
}

// checkEdits fails t unless the salesperson's edits are all still there
// and the second lead's phone was added.
func checkEdits(t *testing.T, fake *crmfake.Server, dealID string, deals int) {
	t.Helper()
	st := fake.State()
	if len(st.Contacts) != 1 || len(st.Deals) != deals || len(st.Duplicates()) > 0 {
		t.Fatalf("%d persons, %d deals, duplicates %v", len(st.Contacts), len(st.Deals), st.Duplicates())
	}
	p := st.Contacts[0]
	if p.Properties["name"] != "Angela Baker-Holm" {
		t.Errorf("name %q: the salesperson's edit was overwritten", p.Properties["name"])
	}
	if !slices.Equal(p.Emails, []string{"angela7913@hotmail.com", "angela@bakers.example"}) {
		t.Errorf("emails %v", p.Emails)
	}
	if len(p.Phones) != 3 || p.Phones[1] != "+4540404040" {
		t.Errorf("phones %v: want the edited two and the second lead's", p.Phones)
	}
	for _, d := range st.Deals {
		if d.ID == dealID && d.Properties["stage_id"] != "99" {
			t.Errorf("deal moved back to stage %s", d.Properties["stage_id"])
		}
	}
}

// shippedMappingsEdited copies the shipped mappings of kind (hubspot,
// pipedrive) into dir/maps, each file through edit, and returns that
// folder and the shipped one, which the tests' configurations name. Called
// again, it writes them again (a test trying one edit, then another).
func shippedMappingsEdited(t *testing.T, dir, kind string, edit func(name, s string) string) (maps, shipped string) {
	t.Helper()
	maps = filepath.Join(dir, "maps")
	if err := os.MkdirAll(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	shipped, _ = filepath.Abs("../../mappings/" + kind)
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		data, err := os.ReadFile(filepath.Join(shipped, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(maps, name), []byte(edit(name, string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return maps, shipped
}

// writeListeningConfig writes dir/syncd.yaml, yaml with its mappings
// folder shipped replaced by maps, listening at a free address (where
// syncd status asks the daemon), and returns its path.
func writeListeningConfig(t *testing.T, dir, yaml, shipped, maps string) string {
	t.Helper()
	config := filepath.Join(dir, "syncd.yaml")
	yaml = strings.Replace(yaml, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(strings.Replace(yaml, shipped, maps, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}
