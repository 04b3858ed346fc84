package pipedrive_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// failingLinks is MemLinks whose first writes of an id fail, as a
// database busy or cut off for a moment.
type failingLinks struct {
	*crm.MemLinks
	fail atomic.Int32
}

func (l *failingLinks) SetLink(ctx context.Context, target string, kind syncd.RecordKind, key, id string) error {
	if id != "" && l.fail.Add(-1) >= 0 {
		return errors.New("database is locked")
	}
	return l.MemLinks.SetLink(ctx, target, kind, key, id)
}

// TestUnrecordedLinkKeepsTheCreatesIntent: a person created while its id
// could not be recorded (the link's write failed) kept no guard: the intent
// was cleared all the same, and the contact's next write, before
// Pipedrive's search showed the person, created a second one. The intent
// now stays until the id is recorded, so the next write waits for the
// lists and finds the person instead.
func TestUnrecordedLinkKeepsTheCreatesIntent(t *testing.T) {
	t.Parallel()
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive, Token: token, SearchLag: time.Minute})
	srv.AddField("person", crmfake.Field{Name: "firstname", Type: "varchar"})
	srv.AddField("deal", crmfake.Field{Name: "dealname", Type: "varchar"})
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	links := &failingLinks{MemLinks: &crm.MemLinks{}}
	links.fail.Store(1)
	a := pipedrive.New(pipedrive.Options{BaseURL: base, Token: token, LeadIDField: crmfake.DefaultPipedriveLeadField, Links: links,
		Settle: 100 * time.Millisecond, ClockSkew: time.Millisecond,
		HTTP: crm.Options{Timeout: 2 * time.Second, RetryWaitMin: 2 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond, RateLimit: -1}})
	cs, _ := crmtest.Leads(1)
	ctx := context.Background()
	if r := a.UpsertContacts(ctx, cs)[0]; r.Err != nil || r.ID == "" {
		t.Fatalf("first write: %+v", r)
	}
	if id, _ := links.Link(ctx, pipedrive.Name, syncd.RecordContact, cs[0].Key); id != "" {
		t.Fatalf("the link's write failed, yet %q is recorded", id)
	}
	var r syncd.Result
	for range 20 {
		if r = a.UpsertContacts(ctx, cs)[0]; r.Err == nil {
			break
		}
		time.Sleep(40 * time.Millisecond)
	}
	if n := len(srv.State().Contacts); n != 1 || r.Err != nil {
		t.Fatalf("%d persons after the contact's second write (%+v); want the one", n, r)
	}
	if id, _ := links.Link(ctx, pipedrive.Name, syncd.RecordContact, cs[0].Key); id != r.ID {
		t.Fatalf("link %q, want %q", id, r.ID)
	}
}
