package main_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMOptionRenamedInPipedrive: after `syncd crm setup`, a salesperson
// renames an option of the enum field the shipped Lokalebasen mapping
// declares ("client" -> "Direct enquiry"). syncd crm check passed, while
// every "client" lead would pause the adapter, then be dead-lettered once
// the (passing) check had lifted the pause; now the check fails naming the
// option, the field's options and the mapping to change.
func TestCRMOptionRenamedInPipedrive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, fakeURL, config := setUpPipedrive(t, dir)
	key, id := optionOf(t, fake, "syncd enquiry type", "client")
	renameOption(t, fmt.Sprintf("%s/dealFields/%s/options", fakeURL, key), id, "Direct enquiry")

	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check (after the rename), exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Fatalf("check: exit %d, want 2", code)
	}
	mustContain(t, "check", out, `"client", an option the mappings declare, is not an option of deal field "syncd enquiry type"`,
		`"Direct enquiry", "extra"`, "pipedrive/lokalebasen.yaml:")
}

// optionOf is the key of the stand-in's deal field called name and the id
// of its option label.
func optionOf(t *testing.T, fake *crmfake.Server, name, label string) (string, int64) {
	t.Helper()
	for _, f := range fake.Fields("deal") {
		for _, o := range f.Options {
			if f.Name == name && o.Label == label {
				return f.Code, o.ID
			}
		}
	}
	t.Fatalf("no deal field %q with option %q", name, label)
	return "", 0
}

// renameOption renames an option as Pipedrive's Fields API v2 does (PATCH
// /dealFields/{field_code}/options): its id stays.
func renameOption(t *testing.T, url string, id int64, label string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPatch, url, strings.NewReader(fmt.Sprintf(`[{"id":%d,"label":%q}]`, id, label)))
	req.Header.Set("x-api-token", "fake-pipedrive-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rename option: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestDeclaredOptionRenamedInPipedriveKeepsTheLeadsWaiting: an admin renames
// the "extra" option the shipped Lokalebasen mapping declares, then an extra
// enquiry comes. The daemon's check failed naming the option and said the
// leads would wait, yet the lead was dead-lettered as its own ("make the CRM
// take it … and syncd outbox retry"). The adapter now pauses naming it, the
// lead waits in the outbox, and goes once the option is renamed back.
func TestDeclaredOptionRenamedInPipedriveKeepsTheLeadsWaiting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, fakeURL, config := setUpPipedrive(t, dir)
	key, id := optionOf(t, fake, "syncd enquiry type", "extra")
	options := fmt.Sprintf("%s/dealFields/%s/options", fakeURL, key)
	renameOption(t, options, id, "Extra (matched)")
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	var out string
	waitFor(t, "the adapter paused for the renamed option, or the lead dead", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "PAUSED") || !strings.Contains(out, "dead letters  0")
	})
	t.Logf("syncd status (the option renamed):\n%s", out)
	mustContain(t, "status", out, "dead letters  0", `"extra" is not an option of field "syncd enquiry type"`, "syncd crm check")
	renameOption(t, options, id, "extra")
	if out, stderr, code := syncdRun(t, "sync", "-resume", "-config", config); code != 0 {
		t.Fatalf("sync -resume: exit %d\n%s%s", code, out, stderr)
	}
	waitFor(t, "the deal", func() bool { return len(fake.State().Deals) == 1 })
	if deal := fake.State().Deals[0]; deal.Properties["custom_fields."+key] != fmt.Sprint(id) {
		t.Fatalf("deal %v, want option %d", deal.Properties, id)
	}
}
