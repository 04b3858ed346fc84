package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestReloadedPinKeepsToTheAccountTheIDsWereMadeIn: syncd's CRM ids were
// made in hub id 7654321, the pinned account. The agency moved; the
// operator put the new account's token and pin (2222222) in the
// configuration and reloaded the daemon, instead of stopping it and
// running forget-links first. The reload's pin took the place of the
// account the ids were made in, and the writes went into the new account
// with the old one's ids (an erasure deletes, an update overwrites, the
// records of those ids there: strangers). Nothing is sent there until
// forget-links records it, as after a restart.
func TestReloadedPinKeepsToTheAccountTheIDsWereMadeIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, AccountID: 2222222})
	url := fake.Start()
	t.Cleanup(func() { fake.Close() })
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetStateValue(ctx, accountStateName(hubspot.Name), "7654321"); err != nil {
		t.Fatal(err)
	}
	a := hubspot.New(hubspot.Options{BaseURL: url, Token: "old", Pin: &crm.Pin{Want: "7654321", Fix: pinFix(hubspot.Name, ""), Address: "crm.hubspot.base_url"}})
	pinRecorded(ctx, db, a)
	a.SetToken("new") // the reload
	a.Pin().SetWant("2222222")
	err = a.Pin().Verify(ctx)
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Code != crm.CodeWrongAccount || !strings.Contains(ce.Message, "not to hub id 7654321, the account the CRM ids syncd holds were made in") ||
		!strings.Contains(ce.Message, "forget-links") {
		t.Fatalf("a reload pinning the new account before forget-links: %v, want nothing sent, naming the account the ids were made in and forget-links", err)
	}
}
