package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCRMErasesSentTellsErasuresApart: export finds each erasure's CRM
// erase operations by the event the erasure made at its time, on both
// stores: one person's erasure, still to be sent, is pending; another's,
// which the CRM confirmed, is done, with when.
func TestCRMErasesSentTellsErasuresApart(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(*testing.T) *purgeFixture{"sqlite": newSQLitePurgeFixture, "postgres": newPostgresPurgeFixture} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := open(t)
			ctx := context.Background()
			var ers []exportErasure
			for i, email := range []string{"jane@example.com", "bob@example.org"} {
				r, err := f.in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: syncd.TypeEnquiryCreated,
					Key: email, Body: fmt.Appendf(nil, `{"event_type":"enquiry_created","client":{"email":%q}}`, email),
					Parse: syncd.ParseStrict, ReceivedAt: f.now()})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.b.RecordMapping(ctx, r.ID, syncd.MapMapped, "", []syncd.Op{{EventID: r.ID, Target: "hubspot",
					Kind: syncd.RecordContact, Key: email, KeyKind: syncd.KeyEmail, Properties: map[string]string{"email": email},
					MappingFile: "lb.yaml", MappingHash: "h1"}}); err != nil {
					t.Fatal(err)
				}
				ops, err := f.b.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
				if err != nil || len(ops) != 1 {
					t.Fatalf("claim: %+v, %v", ops, err)
				}
				ops[0].State, ops[0].CRMID = syncd.OpDone, fmt.Sprint(100+i)
				if err := f.b.FinishOps(ctx, ops); err != nil {
					t.Fatal(err)
				}
				f.setNow(f.now().Add(time.Minute))
				s := syncd.Subject{ID: email, Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: email}}, Patterns: []string{email}}
				pd, err := f.b.PersonData(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				if er, err := f.b.Erase(ctx, s, pd, "hubspot"); err != nil || er.CRMOps != 1 {
					t.Fatalf("erase %s: %+v, %v", email, er, err)
				}
				if pd, err = f.b.PersonData(ctx, s); err != nil || len(pd.Erasures) != 1 {
					t.Fatalf("erasures of %s: %+v, %v", email, pd.Erasures, err)
				}
				ers = append(ers, newPersonExport(email, f.now(), time.UTC, pd).Erasures...)
			}
			// The CRM confirms bob's erasure; jane's is still to be sent.
			ops, err := f.b.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordErase, 10, time.Minute)
			if err != nil || len(ops) != 2 {
				t.Fatalf("claim the erasures: %+v, %v", ops, err)
			}
			f.setNow(f.now().Add(time.Minute))
			bobs := ops[1:]
			if c, _ := bobs[0].EraseTargets(); c != "101" {
				bobs = ops[:1]
			}
			bobs[0].State = syncd.OpDone
			if err := f.b.FinishOps(ctx, bobs); err != nil {
				t.Fatal(err)
			}
			if err := crmErasesSent(ctx, f.b, ers, time.UTC, 90*24*time.Hour, f.now()); err != nil {
				t.Fatal(err)
			}
			if s := ers[0].CRMSent; s == nil || s.Pending != 1 || s.Done != 0 || s.NotHeld != 0 {
				t.Errorf("jane's erasure, not sent: %+v; want 1 pending", s)
			}
			if s := ers[1].CRMSent; s == nil || s.Done != 1 || s.Pending != 0 || s.DoneAt == nil || s.NotHeld != 0 {
				t.Errorf("bob's erasure, confirmed: %+v; want 1 done, with when", s)
			}
			// Erasures whose operations the outbox no longer holds: one older
			// than retention.outbox_days (the retention may have dropped them
			// after done or given up), one younger (it cannot have: they were
			// removed unsent, outbox drop -erasures); export said the first of
			// both.
			keep := 90 * 24 * time.Hour
			gone := []exportErasure{{At: f.now().Add(-keep - time.Hour), CRMErase: 1}, {At: f.now().Add(-time.Hour), CRMErase: 2}}
			if err := crmErasesSent(ctx, f.b, gone, time.UTC, keep, f.now()); err != nil {
				t.Fatal(err)
			}
			if s := gone[0].CRMSent; s == nil || s.NotHeld != 1 || s.NotHeldWhy != notHeldRetention {
				t.Errorf("an erasure older than outbox_days, its operation gone: %+v; want 1 no longer held, by the retention", s)
			}
			if s := gone[1].CRMSent; s == nil || s.NotHeld != 2 || s.NotHeldWhy != notHeldUnsent {
				t.Errorf("an erasure an hour old, its operations gone: %+v; want 2 no longer held, removed unsent", s)
			}
		})
	}
}

// TestExportTextSaysTheCRMWasNotAsked: the text for the person of an
// erasure run without -crm, which left the records syncd had linked in
// the CRM, says the CRM was not asked and the agency erases them there;
// it said "0 CRM erase operations queued" alone.
func TestExportTextSaysTheCRMWasNotAsked(t *testing.T) {
	t.Parallel()
	if got := crmSentToPerson(exportErasure{Links: 2}, "hubspot", clock{loc: time.UTC}); got !=
		"syncd did not ask the agency's CRM (hubspot) to erase you: the agency erases you there itself" {
		t.Errorf("erasure without -crm, 2 links: %q", got)
	}
	if got := crmSentToPerson(exportErasure{}, "hubspot", clock{loc: time.UTC}); got != "" {
		t.Errorf("erasure that found no CRM record: %q; want nothing said", got)
	}
}

// TestExportTextSaysOneFailedCRMEraseInTheSingular: the text for the
// person of an erasure whose one CRM erase operation was given up said
// "syncd's numbers for them: 7".
func TestExportTextSaysOneFailedCRMEraseInTheSingular(t *testing.T) {
	t.Parallel()
	er := exportErasure{CRMErase: 1, CRMSent: &crmEraseSent{Target: "hubspot", Dead: 1, DeadOps: []int64{7}}}
	want := "the agency's CRM (hubspot) was asked to erase you too, in 1 request: failed (syncd's number for it: 7): " +
		"the agency erases you there itself"
	if got := crmSentToPerson(er, "hubspot", clock{loc: time.UTC}); got != want {
		t.Errorf("one failed CRM erase:\n got %q\nwant %q", got, want)
	}
}
