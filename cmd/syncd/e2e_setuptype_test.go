package main_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupOfAPipedriveFieldOfAnotherTypeIsNotDone: the deal field "syncd enquiry
// at", which the mappings declare a date, made by hand in Pipedrive as a
// number. `syncd crm setup` listed it `exists double …`, then said `done`
// and exited 0, while `syncd crm check` flagged it and the adapter paused
// at the first lead. Setup now says it cannot fix it, naming both types,
// the mapping's line and what to do, and ends not done, exit 2, as crm
// check does.
func TestCRMSetupOfAPipedriveFieldOfAnotherTypeIsNotDone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, fakeURL, config := setUpPipedrive(t, dir)
	deleteField := func() { // as an admin does in Pipedrive's Settings > Data fields
		t.Helper()
		req, _ := http.NewRequest(http.MethodDelete, fakeURL+"/dealFields/"+fieldKey(t, fake, "syncd enquiry at"), nil)
		req.Header.Set("x-api-token", "fake-pipedrive-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("delete the field: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	deleteField()
	fake.AddField("deal", crmfake.Field{Name: "syncd enquiry at", Type: "double"})

	out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup (the field a number), exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Errorf("setup: exit %d, want 2", code)
	}
	flat := strings.Join(strings.Fields(out), " ")
	mustContain(t, "setup", flat, "syncd enquiry at cannot fix exists as double",
		"the mappings declare date (pipedrive/eaf.yaml:24)",
		"Pipedrive cannot change a field's type: delete the field in Pipedrive", "run `syncd crm setup`, which makes it a date field",
		"or declare it double in pipedrive/eaf.yaml:24",
		"not done: 1 row above syncd cannot create or fix")
	if strings.Contains(out, "done: run") {
		t.Errorf("setup says it is done:\n%s", out)
	}
	out, stderr, code = syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	if code != 2 || !strings.Contains(out, "syncd enquiry at") {
		t.Errorf("check: exit %d, want 2 naming the field", code)
	}

	// The way out it gives: the field deleted in Pipedrive, setup again.
	deleteField()
	out, stderr, code = syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup (the field deleted), exit %d:\n%s%s", code, out, stderr)
	if code != 0 || !strings.Contains(strings.Join(strings.Fields(out), " "), "syncd enquiry at created date") {
		t.Errorf("setup after the field was deleted: exit %d, want 0 and the field made a date", code)
	}
	if out, stderr, code := syncdRun(t, "crm", "check", "-config", config); code != 0 {
		t.Errorf("check after setup made the field again: exit %d\n%s%s", code, out, stderr)
	}
}
