package main_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupAfterAFieldOfAnotherTypeIsRenamedAside: the rename trap as an
// operator meets it. The deal field "syncd enquiry at", which the mappings
// declare a date, is made again by hand in Pipedrive as a number. `syncd
// crm setup` says it cannot fix it (exit 2), but kept its key as the
// field the mappings mean. The operator, not wanting to delete what
// records hold in it, renamed it aside and ran setup to make the date
// field: setup answered `cannot create ... was renamed to "syncd enquiry
// at (number)"`, told them to rename it back or write that name in the
// mappings (the number field again), and exited 2; crm check said the
// same. Now setup makes the date field and the check passes; setup's
// advice names the rename aside as a way out.
func TestCRMSetupAfterAFieldOfAnotherTypeIsRenamedAside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, fakeURL, config := setUpPipedrive(t, dir)
	req, _ := http.NewRequest(http.MethodDelete, fakeURL+"/dealFields/"+fieldKey(t, fake, "syncd enquiry at"), nil)
	req.Header.Set("x-api-token", "fake-pipedrive-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete the field: %v %v", resp, err)
	}
	resp.Body.Close()
	number := fake.AddField("deal", crmfake.Field{Name: "syncd enquiry at", Type: "double"})
	out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup (the field a number), exit %d:\n%s%s", code, out, stderr)
	if code != 2 || !strings.Contains(out, "cannot fix") {
		t.Fatalf("setup: exit %d, want 2 and cannot fix", code)
	}
	mustContain(t, "setup", strings.Join(strings.Fields(out), " "), "or rename it there to keep that, and run `syncd crm setup`, which makes it a date field")

	renameField(t, fakeURL+"/dealFields/"+number, "syncd enquiry at (number)")
	out, stderr, code = syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup (the number field renamed aside), exit %d:\n%s%s", code, out, stderr)
	if code != 0 || !strings.Contains(strings.Join(strings.Fields(out), " "), "syncd enquiry at created date") || strings.Contains(out, "renamed") {
		t.Errorf("setup: exit %d, want 0 and the date field made", code)
	}
	made := fieldKey(t, fake, "syncd enquiry at")
	if made == number {
		t.Fatalf("no new field")
	}
	out, stderr, code = syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 0 {
		t.Errorf("check after setup made the date field: exit %d, want 0", code)
	}
}
