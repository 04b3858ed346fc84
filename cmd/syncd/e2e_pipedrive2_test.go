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
