package main

// Internal tests. Besides testing what is here, this file links package
// main into the test binary, so that changing its sources invalidates go
// test's cache for the end-to-end tests, which run a binary built apart.

import (
	"context"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func TestSinceIsInTheReportZone(t *testing.T) {
	t.Parallel()
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"":                          {},
		"2026-11-01":                time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC), // midnight in Copenhagen
		"2026-07-01":                time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC),  // summer time
		"2026-11-01T08:00:00Z":      time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC),
		"2026-11-01T08:00:00+01:00": time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC),
		"24h":                       now.Add(-24 * time.Hour),
	}
	clk := clock{loc: cph}
	for in, want := range cases {
		if got, err := clk.since(in, now); err != nil || !got.Equal(want) {
			t.Errorf("since(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "-24h", "2026-13-01"} {
		if _, err := clk.since(bad, now); err == nil {
			t.Errorf("since accepted %q", bad)
		}
	}
	if got := clk.show(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)); got != "2026-11-23 13:00:00 +01:00" {
		t.Errorf("show = %q", got)
	}
	if got := clk.rfc(time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)); got != "2026-07-01T14:00:00+02:00" {
		t.Errorf("rfc = %q", got)
	}
}

func TestRestartOnlyNamesWhatAReloadCannotChange(t *testing.T) {
	t.Parallel()
	old := &config.Config{Listen: "127.0.0.1:8080", DataDir: "/a", Sources: map[string]config.Source{"lb": {Kind: "lokalebasen"}}}
	same := *old
	same.Sources = map[string]config.Source{"lb": {Kind: "lokalebasen", Tokens: []string{"rotated"}}}
	if got := restartOnly(old, &same); len(got) != 0 {
		t.Errorf("sources and tokens reload live, got %v", got)
	}
	moved := *old
	moved.Listen, moved.DataDir = "0.0.0.0:9090", "/b"
	moved.CRM.Kind = "hubspot"
	got := restartOnly(old, &moved)
	if strings.Join(got, " ") != "listen data_dir crm.kind" {
		t.Errorf("restartOnly = %v, want [listen data_dir crm.kind]", got)
	}
	// The purge takes the retention at start: a shortened retention
	// reloaded without a word kept purging at the old one.
	shorter := *old
	shorter.Retention.EventDays = 30
	if got := restartOnly(old, &shorter); strings.Join(got, " ") != "retention.event_days" {
		t.Errorf("restartOnly = %v, want [retention.event_days]", got)
	}
	// Each key is named, as the file writes it: "crm" alone read as if
	// the token, which a reload takes, were not taken; a secret read from
	// a file by the key that names the file.
	edited := *old
	edited.CRM.Timeout = time.Minute
	edited.Report.TimeZone, edited.Report.Mail.To = "UTC", []string{"ops@example.com"}
	old.Report.Mail.PasswordFile, edited.Report.Mail.PasswordFile = "smtp-password", "smtp-password"
	edited.Report.Mail.Password = "read again from the file"
	edited.Store.DSN = "host=db"
	edited.HTTP.TrustedProxies = []string{} // written trusted_proxies: [], as left out
	want := "crm.timeout report.time_zone report.mail.password_file report.mail.to store.dsn"
	if got := restartOnly(old, &edited); strings.Join(got, " ") != want {
		t.Errorf("restartOnly = %v, want [%s]", got, want)
	}
}

// TestDoubtIsAnAlarm: a create whose answer was lost and that the CRM has
// not shown for long is raised in the report's alarms.
func TestDoubtIsAnAlarm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{CRM: config.CRM{Kind: "pipedrive", Pipedrive: config.Pipedrive{SettleTime: time.Minute}}}
	if got, err := alarms(ctx, cfg, db); err != nil || len(got) != 0 {
		t.Fatalf("alarms on an empty store: %v %v", got, err)
	}
	db.SetIntent(ctx, "pipedrive", syncd.RecordDeal, "lb:1", time.Now().Add(-2*time.Hour))
	db.SetIntent(ctx, "pipedrive", syncd.RecordDeal, "lb:2", time.Now().Add(-time.Minute))
	got, err := alarms(ctx, cfg, db)
	if err != nil || len(got) != 1 || !strings.HasPrefix(got[0].Text, "1 CRM create in doubt") {
		t.Fatalf("alarms = %q, %v", got, err)
	}
}

// TestParseFlagsTakesFlagsAnywhere: flags before, between and after the
// arguments; "--" ends them; a flag's value stays its value even when it
// looks like a flag.
func TestParseFlagsTakesFlagsAnywhere(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args       []string
		src, args2 string
		dry        bool
	}{
		{[]string{"a", "-source", "eaf", "b"}, "eaf", "a b", false},
		{[]string{"a", "b", "-dry-run", "--source=eaf"}, "eaf", "a b", true},
		{[]string{"-source", "-dry-run", "a"}, "-dry-run", "a", false},
		{[]string{"a", "--", "-source", "x", "-dry-run"}, "", "a -source x -dry-run", false},
		{[]string{"-dry-run=false", "a", "-", "-source", "--"}, "--", "a -", false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		src := fs.String("source", "", "")
		dry := fs.Bool("dry-run", false, "")
		if err := parseFlags(fs, c.args); err != nil || *src != c.src || *dry != c.dry || strings.Join(fs.Args(), " ") != c.args2 {
			t.Errorf("%q: err %v, -source %q, -dry-run %v, args %q", c.args, err, *src, *dry, fs.Args())
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := parseFlags(fs, []string{"a", "-nosuch"}); err == nil {
		t.Error("an unknown flag after an argument was accepted")
	}
}
