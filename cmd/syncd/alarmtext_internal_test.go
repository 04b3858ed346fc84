package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPauseAlarmSaysItsReasonOnce: HubSpot's answer to a rejected token
// ends in a full stop ("... supports OAuth 2.0 authentication."), and the
// report's red banner, printed at the top of the Summary and in the mail,
// read "authentication.. Leads wait in the outbox". One full stop.
func TestPauseAlarmSaysItsReasonOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reason := "authentication rejected: crm 401 INVALID_AUTHENTICATION: Authentication credentials not found. " +
		"This API supports OAuth 2.0 authentication."
	if err := db.SetAdapterPause(ctx, "hubspot", syncd.Pause{Until: time.Now().Add(time.Hour), Kind: syncd.PauseToken, Reason: reason}); err != nil {
		t.Fatal(err)
	}
	got, err := alarms(ctx, &config.Config{CRM: config.CRM{Kind: "hubspot"}}, db)
	if err != nil || len(got) != 1 {
		t.Fatalf("alarms = %q, %v; want the pause", got, err)
	}
	if !strings.Contains(got[0].Text, "OAuth 2.0 authentication. Leads wait") || strings.Contains(got[0].Text, "..") {
		t.Errorf("the pause's alarm: %q; want its reason ending in one full stop", got[0].Text)
	}
}
