package main_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMFieldRenamedInPipedrive: a salesperson renames in Pipedrive a
// field `syncd crm setup` made. The check names the rename and the two ways
// out instead of "run `syncd crm setup`", and setup makes no second field
// of the old name (the data would split between the two); once the
// mapping writes the new name, the check passes again.
func TestCRMFieldRenamedInPipedrive(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, fakeURL, config := setUpPipedrive(t, dir)
	key := fieldKey(t, fake, "syncd comment")
	renameField(t, fakeURL+"/dealFields/"+key, "Comment from the portal")

	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check (after the rename), exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Fatalf("check: exit %d, want 2", code)
	}
	mustContain(t, "check", out, `deal field "syncd comment" was renamed to "Comment from the portal" in Pipedrive (key `+key+`)`,
		`rename it back in Pipedrive, or write "Comment from the portal" in every place that names it (2 places: pipedrive/lokalebasen.yaml:23, pipedrive/lokalebasen.yaml:50)`)
	out, stderr, code = syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup (after the rename), exit %d:\n%s%s", code, out, stderr)
	mustContain(t, "setup", out, "cannot create", `was renamed to "Comment from the portal"`)
	for _, f := range fake.Fields("deal") {
		if f.Name == "syncd comment" {
			t.Fatalf("setup made a second field %q (%s) beside the renamed %s", f.Name, f.Code, key)
		}
	}

	// The operator takes the new name into the mapping: the check passes.
	maps := filepath.Join(dir, "mappings")
	os.CopyFS(maps, os.DirFS("../../mappings/pipedrive"))
	for _, name := range []string{"lokalebasen.yaml", "eaf.yaml"} {
		b, _ := os.ReadFile(filepath.Join(maps, name))
		os.WriteFile(filepath.Join(maps, name), []byte(strings.ReplaceAll(string(b), "syncd comment", "Comment from the portal")), 0o600)
	}
	abs, _ := filepath.Abs("../../mappings/pipedrive")
	cfg, _ := os.ReadFile(config)
	os.WriteFile(config, []byte(strings.Replace(string(cfg), abs, maps, 1)), 0o600)
	if out, stderr, code := syncdRun(t, "crm", "check", "-config", config); code != 0 {
		t.Fatalf("check with the new name: exit %d\n%s%s", code, out, stderr)
	}
}

// fieldKey is the key of the stand-in's deal field called name.
func fieldKey(t *testing.T, fake *crmfake.Server, name string) string {
	t.Helper()
	for _, f := range fake.Fields("deal") {
		if f.Name == name {
			return f.Code
		}
	}
	t.Fatalf("no deal field %q", name)
	return ""
}

// renameField renames a field as Pipedrive's Fields API v2 does (PATCH
// /dealFields/{field_code}): what a salesperson's rename in the app does.
func renameField(t *testing.T, url, name string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPatch, url, strings.NewReader(`{"field_name":"`+name+`"}`))
	req.Header.Set("x-api-token", "fake-pipedrive-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rename: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestSetupThatCannotCreateAFieldIsNotDone: `syncd crm setup` that could
// not create a field the mappings need (renamed in Pipedrive: it may not
// make a second of the old name) printed its "cannot create" row, then
// "done: run `syncd crm check` …" and exited 0, so that `crm setup &&
// systemctl start syncd` went on to a daemon whose adapter pauses at its
// first lead. It now ends saying what is not done and exits 2, as crm
// check does of an account not ready; -dry-run, which changes nothing,
// says so and exits 0.
func TestSetupThatCannotCreateAFieldIsNotDone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, fakeURL, config := setUpPipedrive(t, dir)
	renameField(t, fakeURL+"/dealFields/"+fieldKey(t, fake, "syncd comment"), "Comment from the portal")
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"crm", "setup", "-config", config}, 2, "not done: 1 row above syncd cannot create or fix: do what each DETAIL says, then run `syncd crm check`"},
		{[]string{"crm", "setup", "-dry-run", "-config", config}, 0, "dry run: nothing was changed; 1 row above syncd cannot create or fix"},
	} {
		out, stderr, code := syncdRun(t, tc.args...)
		t.Logf("syncd %s (after the rename), exit %d:\n%s%s", strings.Join(tc.args[:len(tc.args)-2], " "), code, out, stderr)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d", tc.args, code, tc.code)
		}
		mustContain(t, "setup", out, "cannot create", tc.says)
		if strings.Contains(out, "done: run") {
			t.Errorf("%v says it is done", tc.args)
		}
	}
}

// TestRenameAdviceNamesEveryPlace: the lead-id field renamed in Pipedrive.
// The check's advice named only the first mapping line that writes it
// ("write … in pipedrive/eaf.yaml:23"), though both mapping files name it,
// in their fields and rules, and so does crm.pipedrive.lead_id_field:
// following it left the adapter paused. It now names every place, each
// file:line, and the configuration key with the line of the file that sets it.
func TestRenameAdviceNamesEveryPlace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, fakeURL, config := setUpPipedrive(t, dir)
	renameField(t, fakeURL+"/dealFields/"+fieldKey(t, fake, "syncd lead id"), "Lead number")
	check := func(configPlace string) {
		t.Helper()
		out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
		t.Logf("syncd crm check (after the rename), exit %d:\n%s%s", code, out, stderr)
		if code != 2 {
			t.Fatalf("check: exit %d, want 2", code)
		}
		flat := strings.Join(strings.Fields(out), " ")
		mustContain(t, "check", flat, `deal field "syncd lead id" was renamed to "Lead number"`,
			`write "Lead number" in every place that names it (5 places: `,
			"pipedrive/eaf.yaml:23", "pipedrive/eaf.yaml:40", "pipedrive/lokalebasen.yaml:21", "pipedrive/lokalebasen.yaml:42",
			configPlace)
	}
	// The default name applies: where to set it.
	check("crm.pipedrive.lead_id_field (not set: add it under crm.pipedrive in " + config + ")")

	// The configuration sets it: its line.
	cfg, _ := os.ReadFile(config)
	cfgText := strings.Replace(string(cfg), "token: fake-pipedrive-token", "token: fake-pipedrive-token\n    lead_id_field: syncd lead id", 1)
	os.WriteFile(config, []byte(cfgText), 0o600)
	cfgLine := 0
	for i, l := range strings.Split(cfgText, "\n") {
		if strings.Contains(l, "lead_id_field:") {
			cfgLine = i + 1
		}
	}
	check(fmt.Sprintf("crm.pipedrive.lead_id_field in %s:%d", config, cfgLine))
}
