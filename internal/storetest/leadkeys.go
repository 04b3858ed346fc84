package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// OldLead is an event as an older syncd stored it, keyed by its body's
// hash, with what the CRM may know of it (a deal operation queued, a CRM
// link of its lead id) and the key the upgrade leaves it (Want).
type OldLead struct {
	Name      string
	Kind      syncd.Kind
	Type, Key string
	Body      []byte
	MapState  string // "ignored" or "mapped"
	Deal      bool   // a deal operation of its lead id is in the outbox
	Linked    bool   // a CRM link holds its lead id
	Want      string // its key after the upgrade
	// Resent is the body the sender sends it with again, its type spelt
	// as documented; nil for none.
	Resent []byte
	// Requeued: ignored for its type's case alone, the upgrade hands it
	// back to the mapper (pending), which maps it as a lead spelt as
	// documented is (CheckIgnoredForTheirCaseMapped).
	Requeued bool
}

// LeadKey is the lead id of an event of source "eaf" keyed key: its
// deal's key in the outbox and in CRM links.
func LeadKey(key string) string { return "eaf:" + key }

// LeadKeysBeforeUpgrade are EAF events an older syncd stored with a
// documented type written in another case or with white space around it,
// keyed by their body's hash as that syncd keyed a type it did not know,
// of which only those the CRM cannot know (never mapped, no operation, no
// CRM link of their lead id) and whose new key no other event holds take
// the key intake gives them now ("eaf:<eaf_id>"); Other is an event that
// holds one such key already, stored first (the sender sent the lead
// again after an upgrade, before this one).
func LeadKeysBeforeUpgrade() (cases []OldLead, other OldLead) {
	lead := func(typ, id string) []byte {
		return []byte(fmt.Sprintf(`{"eaf_type":%q,"eaf_id":%q,"contact_email":"lead%s@example.com"}`, typ, id, id))
	}
	hash := func(b []byte) string {
		sum := sha256.Sum256(b)
		return "sha256:" + hex.EncodeToString(sum[:])
	}
	add := func(name, typ, id, state string, deal, linked bool, want string) {
		b := lead(typ, id)
		if want == "" {
			want = hash(b)
		}
		cases = append(cases, OldLead{Name: name, Kind: syncd.KindEAF, Type: typ, Key: hash(b), Body: b,
			MapState: state, Deal: deal, Linked: linked, Want: want})
	}
	add("never sent", "Email_Lead", "901", "ignored", false, false, "eaf:901")
	cases[0].Resent = lead(syncd.TypeEmailLead, "901")
	add("spaces around it", " email_lead\u00a0", "902", "ignored", false, false, "eaf:902")
	add("a portal submission", "Portal_Submission", "903", "ignored", false, false, "eaf.portal_submission:903")
	add("mapped, its deal queued", "Email_Lead", "904", "mapped", true, false, "")
	add("its lead id linked in the CRM", "EMAIL_LEAD", "905", "ignored", false, true, "")
	add("its new key held by another event", "Email_Lead", "906", "ignored", false, false, "")
	add("two of one id, first", "Email_Lead", "907", "ignored", false, false, "")
	cases[0].Requeued, cases[1].Requeued, cases[2].Requeued, cases[len(cases)-1].Requeued = true, true, true, true
	add("two of one id, second", "email_lead ", "907", "ignored", false, false, "")
	add("spelt otherwise", "email-lead", "908", "ignored", false, false, "")
	add("written as documented", syncd.TypeEmailLead, "909", "ignored", false, false, "")
	ob := lead(syncd.TypeEmailLead, "906")
	other = OldLead{Name: "the lead sent again", Kind: syncd.KindEAF, Type: syncd.TypeEmailLead, Key: "eaf:906", Body: ob,
		MapState: "ignored", Want: "eaf:906"}
	return cases, other
}

// WantLeadsUpgraded is what a store's LeadsUpgraded says after an Open
// migrated a database holding cases and more leads of eaf_type
// "Email_Lead", ignored, never sent (each rekeyed and handed back):
// rekeying, the database was older than the rekeying migration, so that
// the cases whose Want is not their Key were rekeyed by it, and more.
func WantLeadsUpgraded(cases []OldLead, rekeying bool, more int) storesql.LeadsUpgraded {
	want := storesql.LeadsUpgraded{Requeued: more}
	if rekeying {
		want.Rekeyed = more
	}
	for _, c := range cases {
		if rekeying && c.Want != c.Key {
			want.Rekeyed++
		}
		if c.Requeued {
			want.Requeued++
		}
	}
	return want
}

// CheckLeadKeysUpgraded checks, on a store opened on a database in which
// an older syncd stored cases (ids, in order) and other, which this
// syncd's Open migrated, that each event has its documented type and its
// Want key, and that the sender sending a lead rekeyed again (Resent,
// keyed as intake keys it now) through newIntake is a duplicate of it.
func CheckLeadKeysUpgraded(t *testing.T, s Store, newIntake func(window time.Duration) Intake, cases []OldLead, ids []int64) {
	t.Helper()
	ctx := context.Background()
	for i, c := range cases {
		ev, err := s.Event(ctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		if want := sender.DocumentedType(c.Kind, c.Type); ev.Type != want || ev.Key != c.Want {
			t.Errorf("%s (%q) after the upgrade: type %q, key %s; want %q, key %s", c.Name, c.Type, ev.Type, ev.Key, want, c.Want)
		}
	}
	in := newIntake(window)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { in.Run(rctx); close(done) }()
	defer func() { cancel(); <-done }()
	for i, c := range cases {
		if c.Resent == nil {
			continue
		}
		dec := sender.Decode(c.Kind, c.Resent, 0)
		inc := syncd.Incoming{Source: "eaf", Kind: c.Kind, Type: dec.Type, Key: dec.Key, Body: c.Resent,
			Parse: syncd.ParseStrict, RemoteAddr: "192.0.2.3", ReceivedAt: time.Now()}
		rec, err := in.Store(ctx, inc)
		if err != nil || rec.Outcome != syncd.Duplicate || rec.ID != ids[i] {
			t.Errorf("%s: the lead sent again as documented (key %s) after the upgrade: %+v, %v; want a duplicate of event %d",
				c.Name, dec.Key, rec, err, ids[i])
		}
	}
}

// CheckIgnoredForTheirCaseMapped checks, on a store opened on a database
// in which an older syncd stored cases (ids, in order) and other, which
// this syncd's Open migrated, that the events ignored for their type's
// case alone (Requeued) are pending again and the others as they were,
// and that the mapper, with the shipped HubSpot rules (dir), then makes a
// deal of each lead among them: one deal per lead, none for a lead the
// CRM may know already or sent again since.
func CheckIgnoredForTheirCaseMapped(t *testing.T, s Store, dir string, cases []OldLead, ids []int64, otherID int64) {
	t.Helper()
	ctx := context.Background()
	state := func(id int64) syncd.MapState {
		ev, err := s.Event(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return ev.MapState
	}
	for i, c := range cases {
		want := syncd.MapState(c.MapState)
		if c.Requeued {
			want = syncd.MapPending
		}
		if got := state(ids[i]); got != want {
			t.Errorf("%s (%q, %s) after the upgrade: %s, want %s", c.Name, c.Type, c.MapState, got, want)
		}
	}
	if got := state(otherID); got != syncd.MapIgnored {
		t.Errorf("the lead sent again as documented, ignored, after the upgrade: %s, want ignored still", got)
	}
	rules, err := mapping.Load(dir, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mapping.NewWorker(mapping.WorkerOptions{Store: s, Rules: rules, Log: zerolog.Nop()}).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	ops, err := s.ListOps(ctx, syncd.OpFilter{Kind: syncd.RecordDeal, Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	deals := map[int64]int{}
	for _, op := range ops {
		deals[op.EventID]++
	}
	for i, c := range cases {
		lead := c.Requeued && sender.IsLead(c.Kind, c.Type)
		want := 0
		if lead || c.Deal {
			want = 1
		}
		if deals[ids[i]] != want {
			t.Errorf("%s (%q, %s) mapped after the upgrade: %d deals, want %d", c.Name, c.Type, c.MapState, deals[ids[i]], want)
		}
		if lead && state(ids[i]) != syncd.MapMapped {
			t.Errorf("%s (%q) after the mapper's pass: %s, want mapped", c.Name, c.Type, state(ids[i]))
		}
	}
	if deals[otherID] != 0 {
		t.Errorf("the lead sent again as documented, ignored: %d deals, want none", deals[otherID])
	}
}
