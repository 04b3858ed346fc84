package dryrun_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func TestRecordsAndAnswersStableIDs(t *testing.T) {
	var buf bytes.Buffer
	a := dryrun.New(zerolog.New(&buf).Level(zerolog.DebugLevel), 0)
	ctx := context.Background()
	c := syncd.Contact{Key: "jane@example.com", Email: "jane@example.com", Properties: map[string]string{"email": "jane@example.com"}}
	r1 := a.UpsertContacts(ctx, []syncd.Contact{c, {Key: "bob@example.com"}, {}})
	r2 := a.UpsertContacts(ctx, []syncd.Contact{c})
	if r1[0].Err != nil || r1[0].ID == "" || r1[0] != r2[0] || r1[0].ID == r1[1].ID {
		t.Fatalf("ids %+v %+v", r1, r2)
	}
	if r1[2].Err == nil {
		t.Fatal("contact without key accepted")
	}
	d := a.UpsertDeals(ctx, []syncd.Deal{{LeadID: "L-1", ContactID: r1[0].ID}})[0]
	if d.Err != nil || d.ID != dryrun.FakeID(syncd.RecordDeal, "L-1") || d.ID == dryrun.FakeID(syncd.RecordContact, "L-1") {
		t.Fatalf("deal %+v", d)
	}
	sent := a.Sent()
	if len(sent) != 4 || sent[3].Kind != syncd.RecordDeal || sent[3].ContactID != r1[0].ID || sent[0].Properties["email"] != c.Email {
		t.Fatalf("sent %+v", sent)
	}
	if !strings.Contains(buf.String(), `"level":"debug"`) || strings.Count(buf.String(), "would upsert") != 4 {
		t.Fatalf("log %s", buf.String())
	}
	// At info level nothing personal is logged.
	buf.Reset()
	quiet := dryrun.New(zerolog.New(&buf).Level(zerolog.InfoLevel), 0)
	quiet.UpsertContacts(ctx, []syncd.Contact{c})
	if buf.Len() != 0 {
		t.Fatalf("logged at info: %s", buf.String())
	}
}
