package postgres_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestLinkStoredUnderAnOlderEmailFormIsFound: before session 35 a contact
// key kept an internationalised domain as the portal wrote it (xn-- or
// Unicode); now it is one form per CRM. A person linked before the upgrade
// under the other form, sending a lead after it, is the same CRM person
// (Pipedrive does not dedupe: a miss was a second person), by Link and by
// LinksFor alike, for the link and for an intent.
func TestLinkStoredUnderAnOlderEmailFormIsFound(t *testing.T) {
	t.Parallel()
	db := openDSN(t, pgtest.DSN(t))
	ctx := context.Background()
	old := map[string]string{"kim@xn--mller-vua.dk": "7", "ann@møller.dk": "8"}
	for k, id := range old {
		if err := db.SetLink(ctx, "pipedrive", syncd.RecordContact, k, id); err != nil {
			t.Fatal(err)
		}
	}
	now := map[string]string{"kim@møller.dk": "7", "ann@xn--mller-vua.dk": "8"}
	for k, want := range now {
		if got, err := db.Link(ctx, "pipedrive", syncd.RecordContact, k); err != nil || got != want {
			t.Errorf("Link(%q) = %q, %v; want %q", k, got, err, want)
		}
	}
	got, err := db.LinksFor(ctx, "pipedrive", syncd.RecordContact, []string{"kim@møller.dk", "ann@xn--mller-vua.dk", "x@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["kim@møller.dk"] != "7" || got["ann@xn--mller-vua.dk"] != "8" {
		t.Errorf("LinksFor = %v; want kim's 7 and ann's 8 under today's keys", got)
	}
	// The key as written today wins over an older form's link.
	if err := db.SetLink(ctx, "pipedrive", syncd.RecordContact, "kim@møller.dk", "9"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Link(ctx, "pipedrive", syncd.RecordContact, "kim@møller.dk"); got != "9" {
		t.Errorf("Link after a new link = %q; want 9", got)
	}
	if got, _ := db.LinksFor(ctx, "pipedrive", syncd.RecordContact, []string{"kim@møller.dk"}); got["kim@møller.dk"] != "9" {
		t.Errorf("LinksFor after a new link = %v; want 9", got)
	}
}
