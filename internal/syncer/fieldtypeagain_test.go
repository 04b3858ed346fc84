package syncer_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPipedriveFieldTypeAfterACheckPassedPausesAgain: the mappings declare
// the deal field "syncd enquiry at" a date; it was made by hand as a
// number. The adapter paused on it (FIELD_TYPE, the account's), the admin
// made it a date field, the check passed and the leads went out. Minutes
// later it was a number again (made so again by hand): the next lead's
// date was refused alike, and, the check having passed for that field
// within the pause, the syncer took it for the lead's own value and
// dead-lettered it ("crm refused the record's own value", its fix to
// correct a date that was right), for every lead until the pause's time
// was out. FIELD_TYPE is the account's whatever check passed before (the
// adapter found the field's type in the account, and the value one the
// declared type takes): the adapter pauses again, the lead waits, and
// nothing is dead-lettered.
func TestPipedriveFieldTypeAfterACheckPassedPausesAgain(t *testing.T) {
	t.Parallel()
	clk := newClock()
	db := openDB(t, clk)
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive, Token: fakeToken, Seed: 3, StrictSchema: true})
	srv.AddField("person", crmfake.Field{Name: "firstname", Type: "varchar"})
	srv.AddField("deal", crmfake.Field{Name: "dealname", Type: "varchar"})
	key := srv.AddField("deal", crmfake.Field{Name: "syncd enquiry at", Type: "double"})
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "syncd enquiry at", Type: "date", Where: "eaf.yaml:24"}}
	a, s := checkedPipedrive(t, db, clk, base, fields, nil)
	ctx := context.Background()
	remake := func(typ string) { // the field deleted and made again by hand, of type typ
		t.Helper()
		req, _ := http.NewRequest(http.MethodDelete, base+"/dealFields/"+key, nil)
		req.Header.Set("x-api-token", fakeToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("delete the field: %v, %v", resp, err)
		}
		resp.Body.Close()
		key = srv.AddField("deal", crmfake.Field{Name: "syncd enquiry at", Type: typ})
		if err := a.Resolve(ctx); err != nil { // as a reload reads them
			t.Fatal(err)
		}
	}
	withDate := func(i int, c, d *syncd.Op) {
		c.Properties["name"] = c.Properties["firstname"]
		d.Properties = map[string]string{"title": d.Properties["dealname"], "syncd enquiry at": "2026-12-04"}
	}

	enqueueLeadsWith(t, db, pipedrive.Name, 0, 1, withDate)
	if sum, err := s.RunOnce(ctx); err != nil || sum.PausedUntil.IsZero() || sum.Dead != 0 {
		t.Fatalf("a number field the mappings declare a date: %+v %v; want a pause", sum, err)
	}
	remake("date")
	if err := s.Recheck(ctx); err != nil {
		t.Fatalf("the check with the field a date: %v", err)
	}
	if sum, err := s.RunOnce(ctx); err != nil || sum.Dead != 0 || !sum.PausedUntil.IsZero() {
		t.Fatalf("after the check passed: %+v %v", sum, err)
	}

	clk.Advance(time.Minute) // within ConfigPause of the check that passed
	remake("double")
	enqueueLeadsWith(t, db, pipedrive.Name, 1, 2, withDate)
	sum, err := s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noneDead(t, db)
	if sum.Dead != 0 || sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, `deal field "syncd enquiry at" in Pipedrive is of type double, the mappings declare date`) {
		t.Fatalf("the field a number again: %+v; want a pause naming it", sum)
	}
}
