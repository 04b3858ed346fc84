package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// afterRead is a store that runs hook right after each PersonData: what a
// daemon beside erase may store between erase's read and its write.
type afterRead struct {
	store
	hook func()
}

func (a *afterRead) PersonData(ctx context.Context, s syncd.Subject) (syncd.PersonData, error) {
	pd, err := a.store.PersonData(ctx, s)
	if a.hook != nil {
		a.hook()
	}
	return pd, err
}

// TestEraseNamesWhatArrivedDuringItsSearch: erase read the person
// (PersonData, what it decides on: whose leads those are), then Erase
// searched again and erased whatever it found then. A colleague's lead
// naming the person that arrived between the two was erased whole, his
// CRM links with it, though erase refuses such a lead unless given
// -others, and nothing named it. Now erase erases exactly what its read
// found; a lead stored since makes it read again, so the colleague's lead
// is refused and named (exit 2, nothing erased), and the person's own
// lead is erased and counted. Leads that keep coming stop it after three
// reads, nothing erased (exit 4).
func TestEraseNamesWhatArrivedDuringItsSearch(t *testing.T) {
	for _, tc := range []struct {
		name, arriving, from string // the lead stored during erase's read, and its contact
		every                bool   // during each read, not the first only
		code                 int
		out, stderr          string
		held                 []bool // events 1 (hers) and 2 (the one arriving) keep their bodies
	}{
		{"a colleague's lead naming her", `{"client":{"email":"lars@firma.dk","comment":"kim@firma.dk kommer med"}}`,
			"lars@firma.dk", false, exitUsage, "", "lars@firma.dk: event 2", []bool{true, true}},
		{"her own lead", `{"client":{"email":"kim@firma.dk"}}`,
			"kim@firma.dk", false, exitOK, "erased: 2 events", "", []bool{false, false}},
		{"her leads, one during each read", `{"client":{"email":"kim@firma.dk"}}`,
			"kim@firma.dk", true, exitUnavailable, "", "nothing was erased (read 3 times, and each time more came: run erase again)",
			[]bool{true, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			file := filepath.Join(dir, "syncd.yaml")
			maps, err := filepath.Abs("../../mappings/hubspot")
			if err != nil {
				t.Fatal(err)
			}
			yaml := fmt.Sprintf("data_dir: %s\nsources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz0123]\nmapping:\n  dir: %s\n",
				filepath.Join(dir, "data"), maps)
			if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr strings.Builder
			c := &cli{name: "erase", stdout: &stdout, stderr: &stderr, getenv: os.Getenv}
			cfg, ok := c.loadConfig(file)
			if !ok {
				t.Fatal(stderr.String())
			}
			db, err := sqlite.Open(ctx, sqlitePath(cfg), sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			in := db.NewIntake(sqlite.IntakeOptions{})
			run, stop := context.WithCancel(ctx)
			done := make(chan error)
			go func() { done <- in.Run(run) }()
			defer func() { stop(); <-done }()
			lead := func(key, body, email string) {
				rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: syncd.TypeEnquiryCreated,
					Key: key, Body: []byte(body), Parse: syncd.ParseStrict})
				if err != nil {
					t.Fatal(err)
				}
				_, err = db.RecordMapping(ctx, rec.ID, syncd.MapMapped, "", []syncd.Op{
					{EventID: rec.ID, Target: "dryrun", Kind: syncd.RecordContact, Key: email, KeyKind: syncd.KeyEmail,
						Properties: map[string]string{"email": email}, MappingFile: "lb.yaml", MappingHash: "h"},
					{EventID: rec.ID, Target: "dryrun", Kind: syncd.RecordDeal, Key: "lb:" + key, ContactKey: email,
						Properties: map[string]string{"dealname": "Lead " + key}, MappingFile: "lb.yaml", MappingHash: "h"}})
				if err != nil {
					t.Fatal(err)
				}
			}
			lead("a", `{"client":{"email":"kim@firma.dk"}}`, "kim@firma.dk")
			s, err := newSubject(cfg, "kim@firma.dk", "")
			if err != nil {
				t.Fatal(err)
			}
			reads := 0
			hooked := &afterRead{store: db, hook: func() {
				if reads++; reads == 1 || tc.every {
					lead(fmt.Sprint("b", reads), tc.arriving, tc.from)
				}
			}}
			code := c.erasePerson(ctx, cfg, hooked, s, eraseFlags{email: "kim@firma.dk"})
			again := "syncd: erase: stored since the person was read: 1 events, "
			if code != tc.code || (tc.out == "") != (stdout.String() == "") || !strings.Contains(stdout.String(), tc.out) ||
				!strings.Contains(stderr.String(), tc.stderr) || !strings.Contains(stderr.String(), again) {
				t.Errorf("erase: exit %d, want %d, %q on stdout, %q and %q on stderr\nstdout: %s\nstderr: %s",
					code, tc.code, tc.out, again, tc.stderr, stdout.String(), stderr.String())
			}
			for i, want := range tc.held {
				ev, err := db.Event(ctx, int64(i+1))
				if err != nil || (len(ev.Body) > 0) != want {
					t.Errorf("event %d holds its body: %v (%v), want %v", i+1, len(ev.Body) > 0, err, want)
				}
			}
		})
	}
}
