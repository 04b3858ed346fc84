package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
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

// personFixture is a command's cli, configuration and SQLite database
// (in a temporary directory) and a way to store a mapped lead in it.
type personFixture struct {
	c              *cli
	cfg            *config.Config
	db             *sqlite.DB
	stdout, stderr *strings.Builder
	// lead stores a lead (key, body) of the contact email, with its
	// contact and deal operations, as the mapper stores them.
	lead func(key, body, email string)
}

func newPersonFixture(t *testing.T) personFixture {
	t.Helper()
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
	f := personFixture{stdout: &strings.Builder{}, stderr: &strings.Builder{}}
	f.c = &cli{name: "erase", stdout: f.stdout, stderr: f.stderr, getenv: os.Getenv}
	cfg, ok := f.c.loadConfig(file)
	if !ok {
		t.Fatal(f.stderr.String())
	}
	f.cfg = cfg
	if f.db, err = sqlite.Open(ctx, sqlitePath(cfg), sqlite.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.db.Close() })
	in := f.db.NewIntake(sqlite.IntakeOptions{})
	run, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- in.Run(run) }()
	t.Cleanup(func() { stop(); <-done })
	f.lead = func(key, body, email string) {
		t.Helper()
		rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: syncd.TypeEnquiryCreated,
			Key: key, Body: []byte(body), Parse: syncd.ParseStrict})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.db.RecordMapping(ctx, rec.ID, syncd.MapMapped, "", []syncd.Op{
			{EventID: rec.ID, Target: "dryrun", Kind: syncd.RecordContact, Key: email, KeyKind: syncd.KeyEmail,
				Properties: map[string]string{"email": email}, MappingFile: "lb.yaml", MappingHash: "h"},
			{EventID: rec.ID, Target: "dryrun", Kind: syncd.RecordDeal, Key: "lb:" + key, ContactKey: email,
				Properties: map[string]string{"dealname": "Lead " + key}, MappingFile: "lb.yaml", MappingHash: "h"}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
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
	t.Parallel()
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
			"kim@firma.dk", true, exitUnavailable, "", "nothing was erased (read 3 times, and each time more came: run syncd erase again)",
			[]bool{true, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			f := newPersonFixture(t)
			c, cfg, db, lead, stdout, stderr := f.c, f.cfg, f.db, f.lead, f.stdout, f.stderr
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
			again := "syncd erase: stored since the person was read: 1 event, "
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

// TestExportNamesEveryColleaguesLeadItHandsOver: export read the person,
// named the other contacts' leads that name them (which the DPO must
// remove before handing it over), then, to leave out those contacts' CRM
// links, read the person again and handed over what that second read
// found: a colleague's lead stored between the two was handed over
// unnamed. Now export reads once, and hands over what it named.
func TestExportNamesEveryColleaguesLeadItHandsOver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newPersonFixture(t)
	f.lead("a", `{"client":{"email":"kim@firma.dk"}}`, "kim@firma.dk")
	f.lead("b", `{"client":{"email":"lars@firma.dk","comment":"kim@firma.dk kommer med"}}`, "lars@firma.dk")
	s, err := newSubject(f.cfg, "kim@firma.dk", "")
	if err != nil {
		t.Fatal(err)
	}
	hooked := &afterRead{store: f.db, hook: func() {
		f.lead("c", `{"client":{"email":"eva@firma.dk","comment":"og kim@firma.dk"}}`, "eva@firma.dk")
	}}
	f.c.name = "export"
	if code := f.c.exportPerson(ctx, f.cfg, hooked, s, "kim@firma.dk", "", "", exportJSON); code != exitOK {
		t.Fatalf("export: exit %d\n%s", code, f.stderr.String())
	}
	var out struct {
		Events []struct {
			ID int64 `json:"id"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(f.stdout.String()), &out); err != nil {
		t.Fatal(err)
	}
	named := map[int64]string{2: "lars@firma.dk: event 2", 3: "eva@firma.dk: event 3"}
	for _, ev := range out.Events {
		if want, ok := named[ev.ID]; ok && !strings.Contains(f.stderr.String(), want) {
			t.Errorf("export hands over event %d without naming it (%q)\nstderr: %s", ev.ID, want, f.stderr.String())
		}
	}
	if len(out.Events) < 2 {
		t.Errorf("export hands over %d events, want hers and the colleague's", len(out.Events))
	}
}

// TestOthersDroppedAsTheStoreDrops: the CRM links and create intents that
// export leaves out as other contacts' are those the store's read with
// Subject.Others leaves out (erase keeps them), which export no longer
// reads the person again to learn.
func TestOthersDroppedAsTheStoreDrops(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newPersonFixture(t)
	f.lead("a", `{"client":{"email":"kim@firma.dk"}}`, "kim@firma.dk")
	f.lead("b", `{"client":{"email":"lars@firma.dk","comment":"kim@firma.dk kommer med"}}`, "lars@firma.dk")
	for _, target := range []string{"dryrun", "hubspot"} {
		for i, l := range []struct {
			kind syncd.RecordKind
			key  string
		}{{syncd.RecordContact, "kim@firma.dk"}, {syncd.RecordDeal, "lb:a"}, {syncd.RecordContact, "lars@firma.dk"}, {syncd.RecordDeal, "lb:b"}} {
			err := f.db.SetLink(ctx, target, l.kind, l.key, fmt.Sprint(i))
			if err == nil && l.kind == syncd.RecordContact {
				err = f.db.SetIntent(ctx, target, l.kind, l.key, time.Now())
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	s, err := newSubject(f.cfg, "kim@firma.dk", "")
	if err != nil {
		t.Fatal(err)
	}
	pd, err := f.db.PersonData(ctx, s)
	if err != nil || len(pd.Links) != 8 || len(pd.Intents) != 4 {
		t.Fatalf("read %d links, %d intents, %v; want 8 and 4", len(pd.Links), len(pd.Intents), err)
	}
	got := othersDropped(pd, []string{"lars@firma.dk"})
	s.Others = []string{"lars@firma.dk"}
	want, err := f.db.PersonData(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	show := func(pd syncd.PersonData) string {
		var out []string
		for _, l := range pd.Links {
			out = append(out, fmt.Sprint("link ", l.Target, " ", l.Kind, " ", l.Key))
		}
		for _, in := range pd.Intents {
			out = append(out, fmt.Sprint("intent ", in.Target, " ", in.Kind, " ", in.Key))
		}
		slices.Sort(out)
		return strings.Join(out, "\n")
	}
	if show(got) != show(want) || len(got.Links) != 4 || len(got.Intents) != 2 {
		t.Errorf("others dropped:\n%s\nthe store's read with Others:\n%s", show(got), show(want))
	}
}
