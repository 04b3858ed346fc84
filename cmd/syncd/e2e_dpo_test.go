package main_test

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// A data-protection officer's requests, end to end: what `syncd export`
// gives a person asking what syncd holds about them.

// exportOf runs syncd export for email and returns its JSON.
func exportOf(t *testing.T, config, email string) map[string]any {
	t.Helper()
	out, stderr, code := syncdRun(t, "export", "-config", config, "-email", email)
	var ex map[string]any
	if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
		t.Fatalf("export: exit %d, %v\n%s%s", code, err, out, stderr)
	}
	return ex
}

// TestExportShowsWhatTheCRMSaidOfADeadOperation: the CRM refused the
// person's contact with an error naming their phone and email, which
// syncd keeps with the dead operation (and the report's Needs attention
// sheet shows). The export carries it: it is what syncd holds about them.
func TestExportShowsWhatTheCRMSaidOfADeadOperation(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	said := `+4552250559 is not a valid phone number for angela7913@hotmail.com`
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActError, Status: 400,
		Body: `{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"` +
			said + `\",\"error\":\"INVALID_PHONE\",\"name\":\"phone\"}]"}`})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the contact's operation to die", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)) > 0
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ops, _ := exportOf(t, config, "angela7913@hotmail.com")["crm_operations"].([]any)
	var errs []string
	for _, o := range ops {
		op := o.(map[string]any)
		if op["kind"] == "contact" && op["state"] == "dead" {
			e, _ := op["last_error"].(string)
			errs = append(errs, e)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0], said) {
		t.Errorf("export's dead contact operation says %q, want the CRM's error %q", errs, said)
	}
}
