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

// TestReportAlarmsSayHowLongInWords: the report's alarms, the red banners
// a manager reads first on the Summary and in the mail, said how long in
// Go's own notation: "240 event(s) received more than 10m0s ago are not
// mapped yet" and "1 CRM create in doubt for more than 30m0s", read as
// a code, not a time. They say "10 minutes" and "30 minutes", as the
// report's own sentences do ("syncd did not receive … (5.6 hours)").
func TestReportAlarmsSayHowLongInWords(t *testing.T) {
	t.Parallel()
	ctx, stop := context.WithCancel(context.Background())
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := db.NewIntake(sqlite.IntakeOptions{})
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	t.Cleanup(func() { stop(); <-done; db.Close() })

	// A lead received 11 minutes ago and not mapped yet, and a Pipedrive
	// create whose answer was lost two hours ago, not shown since.
	body := []byte(`{"event_type":"enquiry_created","payload":{"client":{"email":"a@example.com"}}}`)
	if _, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
		Key: "k", Body: body, Parse: syncd.ParseStrict, ReceivedAt: time.Now().Add(-11 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetIntent(ctx, "pipedrive", syncd.RecordContact, "b@example.com", time.Now().Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{CRM: config.CRM{Kind: "pipedrive", Pipedrive: config.Pipedrive{SettleTime: time.Minute}}}
	got, err := alarms(ctx, cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"leads not mapped":     "1 event received more than 10 minutes ago is not mapped yet",
		"CRM creates in doubt": "1 CRM create in doubt for more than 30 minutes:",
	}
	for _, a := range got {
		w, ok := want[a.Short]
		if !ok {
			continue
		}
		delete(want, a.Short)
		if !strings.Contains(a.Text, w) {
			t.Errorf("alarm %q:\n%s\nwant it to say %q", a.Short, a.Text, w)
		}
		if strings.Contains(a.Text, "m0s") {
			t.Errorf("alarm %q says a time as Go prints a duration:\n%s", a.Short, a.Text)
		}
	}
	for short := range want {
		t.Errorf("no alarm %q among %+v", short, got)
	}
}
