package syncer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestRejectedPipedriveTokenIsToldToReload: Pipedrive rejects the token,
// the adapter pauses, and the way out (the report's alarm, syncd status)
// said "A new token: restart the daemon (HubSpot: or reload it)", as if a
// Pipedrive token needed a restart; the daemon takes either CRM's token on
// a reload. It now says the same plain thing for both: reload, restart for
// a token file systemd hands over, and -resume once the token is fixed.
func TestRejectedPipedriveTokenIsToldToReload(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{})
	wrong := pipedrive.New(pipedrive.Options{BaseURL: r.srv.BaseURL(), Token: "revoked", LeadIDField: crmfake.DefaultPipedriveLeadField,
		Links: r.db, HTTP: crm.Options{Timeout: time.Second, RateLimit: -1}})
	r.s = newSyncer(t, r.db, wrong, r.clk, nil)
	enqueueLeads(t, r.db, pipedrive.Name, 0, 1)
	if sum, err := r.s.RunOnce(context.Background()); err != nil || sum.PausedUntil.IsZero() {
		t.Fatalf("run = %+v, %v", sum, err)
	}
	p, err := r.db.AdapterPause(context.Background(), pipedrive.Name)
	if err != nil || !strings.HasPrefix(p.Reason, "authentication rejected: ") || p.Kind != syncd.PauseToken {
		t.Fatalf("AdapterPause = %+v, %v", p, err)
	}
	hint := syncer.ResumeHint(p.Kind)
	for _, want := range []string{
		"once fixed, run: syncd sync -resume",
		"A new token: reload the daemon (systemctl reload syncd), HubSpot and Pipedrive alike",
		"(LoadCredential=): systemctl restart syncd",
		"It then resumes by itself",
	} {
		if !strings.Contains(hint, want) {
			t.Errorf("the way out of a rejected Pipedrive token lacks %q:\n%s", want, hint)
		}
	}
	if strings.Contains(hint, "HubSpot:") {
		t.Errorf("the way out of a rejected Pipedrive token is HubSpot's:\n%s", hint)
	}
	account := syncer.ResumeHint(syncd.PauseAccount)
	if !strings.Contains(account, "With the right token or the pin corrected: reload the daemon (systemctl reload syncd), HubSpot and Pipedrive alike") ||
		strings.Contains(account, "HubSpot token") {
		t.Errorf("the way out of another account's token:\n%s", account)
	}
}

// TestPipedrivePermissionRefusedIsToldAsSuch: the token's user loses the
// permission to add deals in Pipedrive (an admin changed its permission
// set); Pipedrive takes the token and answers 403. The pause said
// "authentication rejected" with the way out of a rejected token (a new
// one, which changes nothing for the same user). It now says the
// permission was refused and where to grant it.
func TestPipedrivePermissionRefusedIsToldAsSuch(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{})
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActError, Status: 403,
		Body: `{"success":false,"error":"You do not have permission to add deals.","error_info":"","data":null}`})
	enqueueLeads(t, r.db, pipedrive.Name, 0, 1)
	var sum syncer.Summary
	for range 3 {
		var err error
		if sum, err = r.s.RunOnce(context.Background()); err != nil || !sum.PausedUntil.IsZero() {
			break
		}
	}
	p, err := r.db.AdapterPause(context.Background(), pipedrive.Name)
	if err != nil || sum.PausedUntil.IsZero() || !strings.HasPrefix(p.Reason, "permission refused: crm 403") ||
		!strings.Contains(p.Reason, "You do not have permission to add deals.") || p.Kind != syncd.PausePermission {
		t.Fatalf("AdapterPause = %+v, %v (paused until %v)", p, err, sum.PausedUntil)
	}
	hint := syncer.ResumeHint(p.Kind)
	for _, want := range []string{"Pipedrive: the permission set of the token's user", "an admin user's token", "then run: syncd sync -resume"} {
		if !strings.Contains(hint, want) {
			t.Errorf("the way out of a refused permission lacks %q:\n%s", want, hint)
		}
	}
}
