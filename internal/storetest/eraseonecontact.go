package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testEraseQueuesOneErasurePerContact: a person whose first lead keyed
// their contact by phone and whose second by email (the CRM answered the
// same contact to both) has two CRM links to one contact; erase -crm
// queues one erasure of it, with both deals. It queued one per link, the
// second erasing a contact the first had deleted, and erase said
// "contacts 1008 1008".
func testEraseQueuesOneErasurePerContact(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "a", jane, false)
	const phone = "+4520123456"
	inc := incoming("b")
	inc.Body = fmt.Appendf(nil, `{"event_type":"enquiry_created","id":"b","client":{"name":%q,"phone":%q}}`, jane.name, phone)
	rec, err := in.Store(e.ctx, inc)
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("store b: %+v, %v", rec, err)
	}
	if _, err := e.Store.RecordMapping(e.ctx, rec.ID, syncd.MapMapped, "", []syncd.Op{
		{EventID: rec.ID, Target: "hubspot", Kind: syncd.RecordContact, Key: phone, KeyKind: syncd.KeyPhone,
			Properties: map[string]string{"phone": phone}, MappingFile: "lb.yaml", MappingHash: "h1"},
		{EventID: rec.ID, Target: "hubspot", Kind: syncd.RecordDeal, Key: "deal-b", ContactKey: phone,
			Properties: map[string]string{"dealname": "Lead of " + jane.name}, MappingFile: "lb.yaml", MappingHash: "h1"},
	}); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
		for ops := e.claim(e.Store, kind, 100); len(ops) > 0; ops = e.claim(e.Store, kind, 100) {
			for i := range ops {
				ops[i].State, ops[i].CRMID = syncd.OpDone, "crm-"+ops[i].Key
				if kind == syncd.RecordContact {
					ops[i].CRMID = "crm-jane" // the CRM's one contact, found by email or phone
				}
			}
			if err := e.Store.FinishOps(e.ctx, ops); err != nil {
				t.Fatal(err)
			}
		}
	}
	her := subjectOf(jane)
	her.AddKeys(syncd.KeyPhone, phone)
	her.Patterns = append(her.Patterns, phone)
	er, err := e.erase(her, "hubspot")
	if err != nil || er.Links != 4 || er.CRMOps != 1 {
		t.Fatalf("erase: %+v, %v; want 4 links gone (2 to the one contact) and 1 CRM erasure", er, err)
	}
	ops, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{})
	var erasures []syncd.Op
	for _, op := range ops {
		if op.Kind == syncd.RecordErase {
			erasures = append(erasures, op)
		}
	}
	if len(erasures) != 1 {
		t.Fatalf("%d CRM erasures queued: %+v; want 1, of contact crm-jane", len(erasures), erasures)
	}
	contact, deals := erasures[0].EraseTargets()
	slices.Sort(deals)
	if contact != "crm-jane" || !slices.Equal(deals, []string{"crm-deal-a", "crm-deal-b"}) {
		t.Errorf("CRM erasure of contact %q, deals %v; want crm-jane, [crm-deal-a crm-deal-b]", contact, deals)
	}
}
