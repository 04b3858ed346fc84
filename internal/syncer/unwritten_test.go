package syncer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestPropertyTheMappingsNoLongerWriteSaysReplay: an operator mistyped a
// property in a mapping (compnay:), and a lead went to the outbox with it.
// HubSpot refused it, the adapter paused, and syncd crm check said to
// create it or stop writing it. The operator fixed the mapping and
// reloaded: the check passed, the pause was lifted, and the lead, still
// as it was mapped, was refused again and dead-lettered as "crm refused
// the record's own value", its fix "this lead's compnay is a value the
// CRM does not take", whose retry sends the same again. A property the
// CRM does not have is never a lead's own value: the line now says that
// the mappings as checked no longer write it, that the operation was
// mapped before they changed, and that syncd replay maps its event again.
func TestPropertyTheMappingsNoLongerWriteSaysReplay(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	fixed := false
	r := hubspotRig(t, crmfake.Options{StrictSchema: true}, hubspot.Options{}, func(o *syncer.Options) {
		o.Check = func(context.Context) error {
			if fixed {
				return nil
			}
			return errors.New("contacts compnay: property compnay does not exist on contacts")
		}
		o.Log = zerolog.New(&logs).Level(zerolog.InfoLevel)
	})
	r.srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "syncd lead id", Type: "string", FieldType: "text", HasUniqueValue: true})
	enqueueLeadsWith(t, r.db, hubspot.Name, 0, 1, func(_ int, c, _ *syncd.Op) { c.Properties["compnay"] = "Bakers Inc." })
	ctx := context.Background()
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.PausedUntil.IsZero() || sum.Dead != 0 {
		t.Fatalf("a property the account lacks, while the check fails: %+v %v; want a pause", sum, err)
	}
	fixed = true // the mapping fixed and reloaded: the check passes
	if err := r.s.Recheck(ctx); err != nil {
		t.Fatal(err)
	}
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.Dead == 0 {
		t.Fatalf("after the reload: %+v %v", sum, err)
	}
	var contact syncd.Op
	for _, op := range allOps(t, r.db) {
		if op.Kind == syncd.RecordContact {
			contact = op
		}
	}
	var line map[string]any
	for _, b := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("log line %q: %v", b, err)
		}
		if fmt.Sprint(m["op"]) == fmt.Sprint(contact.ID) && strings.Contains(fmt.Sprint(m["message"]), "dead letter") {
			line = m
		}
	}
	if line == nil {
		t.Fatalf("no dead letter line for op %d in:\n%s", contact.ID, logs.String())
	}
	msg, fix := fmt.Sprint(line["message"]), fmt.Sprint(line["fix"])
	if strings.Contains(msg, "own value") || strings.Contains(fix, "value the CRM does not take") {
		t.Errorf("a property the CRM does not have is said to be the lead's own value: %q, fix %q", msg, fix)
	}
	for _, want := range []string{"compnay", "no longer write", "syncd replay", fmt.Sprintf("syncd events show %d", contact.EventID), "eaf.yaml"} {
		if !strings.Contains(msg+" "+fix, want) {
			t.Errorf("the dead letter line does not say %q: %q, fix %q", want, msg, fix)
		}
	}
	if strings.Contains(logs.String(), "Bakers") {
		t.Errorf("the lead's value is logged above debug:\n%s", logs.String())
	}
}
