// Command report-sample makes the workbooks of two sample days into a
// directory, from a throw-away SQLite database filled as syncd's intake,
// mapper and syncer would fill it: a busy day (112 leads, 40 failed portal
// submissions, a paused CRM) and an empty day. scripts/render-report-sample.sh
// renders them to PDF and PNG with LibreOffice. The mail of each is
// written beside it: mail-DAY.txt (subject and text) and mail-DAY.html.
//
//	go run ./scripts/report-sample -out /tmp/report-sample
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

func main() {
	out := flag.String("out", "report-sample", "directory for the workbooks")
	agency := flag.String("agency", "", "the agency the reports name (the configuration's agency:), none when empty")
	flag.Parse()
	if err := run(context.Background(), *out, *agency); err != nil {
		fmt.Fprintln(os.Stderr, "report-sample:", err)
		os.Exit(1)
	}
}

// sample fills one database; its methods stop at the first error.
type sample struct {
	db    *sqlite.DB
	in    *sqlite.Intake
	rules *mapping.Rules // the shipped HubSpot mapping (shippedRules)
	rnd   *rand.Rand
	loc   *time.Location
	err   error
}

func run(ctx context.Context, out, agency string) error {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return err
	}
	rules, err := shippedRules()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "report-sample-db")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, err := sqlite.Open(ctx, filepath.Join(tmp, "syncd.db"), sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	in := db.NewIntake(sqlite.IntakeOptions{})
	ictx, stop := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	go func() { stopped <- in.Run(ictx) }()
	defer func() { stop(); <-stopped }()
	busy, empty := report.Day{Year: 2026, Month: 3, Day: 10}, report.Day{Year: 2026, Month: 3, Day: 15}
	s := &sample{db: db, in: in, rules: rules, rnd: rand.New(rand.NewPCG(13, 2026)), loc: loc}
	s.history(ctx, busy)
	s.leads(busy, 112)
	s.submissions(busy)
	s.others(busy)
	if s.err != nil {
		return s.err
	}
	from, _ := busy.Bounds(loc)
	// As the daemon words it (cmd/syncd's alarms): a rejected token, whose
	// way out is a command.
	reason := "authentication rejected: 401 the access token is expired or revoked"
	paused := report.Alarm{Since: from.Add(21*time.Hour + 12*time.Minute), Until: from.Add(49 * time.Hour), Short: "CRM paused",
		Text: "CRM adapter hubspot is paused: " + reason + ". " + syncer.ResumeHint(syncd.PauseToken) + "."}
	for _, d := range []report.Day{busy, empty} {
		end := time.Date(d.Year, d.Month, d.Day+1, 6, 0, 0, 0, loc)
		opts := report.Options{Store: db, Dir: out, Location: loc, Agency: agency,
			Now: func() time.Time { return end }, HTMLText: mapping.HTMLText, SplitName: mapping.SplitName,
			Phone:  func(kind, p string) string { return mapping.International(p, sender.For(syncd.Kind(kind)).Country) },
			Alarms: func(context.Context) ([]report.Alarm, error) { return []report.Alarm{paused}, nil },
			CRMWeb: map[string]report.CRMWeb{"hubspot": {
				Contact: "https://app.hubspot.com/contacts/4242/record/0-1/{id}",
				Deal:    "https://app.hubspot.com/contacts/4242/record/0-3/{id}"}}}
		if d == empty {
			opts.Alarms = nil
		}
		path, err := report.Make(ctx, d, opts)
		if err != nil {
			return err
		}
		fmt.Println(path)
		if err := writeMail(ctx, db, d, out); err != nil {
			return err
		}
	}
	return nil
}

// shippedRules loads the HubSpot mapping shipped in the repository's
// mappings/hubspot, found from the working directory up (go run from the
// repository's root, go test from this directory).
func shippedRules() (*mapping.Rules, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return mapping.Load(filepath.Join(dir, "mappings", "hubspot"), "hubspot")
		}
		up := filepath.Dir(dir)
		if up == dir {
			return nil, errors.New("no go.mod above the working directory: run from the syncd repository")
		}
		dir = up
	}
}

// writeMail writes the mail recorded with day's report beside it: its
// subject and text in mail-DAY.txt, its HTML part in mail-DAY.html.
func writeMail(ctx context.Context, db *sqlite.DB, d report.Day, out string) error {
	recs, err := db.Reports(ctx, d.String())
	if err != nil || len(recs) == 0 {
		return fmt.Errorf("mail of %s: %v", d, err)
	}
	r := recs[0]
	base := filepath.Join(out, "mail-"+d.String())
	if err := os.WriteFile(base+".txt", []byte("Subject: "+r.Subject+"\n\n"+r.Summary), 0o644); err != nil {
		return err
	}
	return os.WriteFile(base+".html", []byte(r.HTML), 0o644)
}

// history records the reports of the week before day, for the trend.
func (s *sample) history(ctx context.Context, day report.Day) {
	for i, n := range []int{97, 104, 88, 35, 41, 118, 101} {
		d := day.AddDays(i - 7).String()
		if err := s.db.RecordReport(ctx, syncd.ReportRecord{Day: d, Path: "leads-" + d + ".xlsx", Leads: n}); err != nil && s.err == nil {
			s.err = err
		}
	}
}

// event stores one event through the intake, as a delivery is stored,
// and records its mapping state as the mapper would.
func (s *sample) event(kind, typ, mapState, mapErr string, at time.Time, body any) int64 {
	js, err := json.Marshal(body)
	if err != nil || s.err != nil {
		s.err = cmp.Or(s.err, err)
		return 0
	}
	ctx := context.Background()
	r, err := s.in.Store(ctx, syncd.Incoming{Source: kind, Kind: syncd.Kind(kind), Type: typ,
		Key: fmt.Sprintf("k%d", s.rnd.Int64()), Body: js, Parse: syncd.ParseStrict, ReceivedAt: at})
	if err != nil {
		s.err = err
		return 0
	}
	if mapState != string(syncd.MapPending) {
		s.when(at, func() {
			_, s.err = s.db.RecordMapping(ctx, r.ID, syncd.MapState(mapState), mapErr, nil)
		})
	}
	return r.ID
}

// op enqueues one outbox operation of event id as the mapper does and
// records its outcome (one attempt) as the syncer does, both at at.
func (s *sample) op(id int64, kind, state, crmID, lastErr string, at time.Time, props map[string]string) {
	if s.err != nil {
		return
	}
	ctx := context.Background()
	s.when(at, func() {
		add := syncd.Op{EventID: id, Target: "hubspot", Kind: syncd.RecordKind(kind), Key: fmt.Sprintf("%s-%d", kind, id),
			Properties: props, MappingFile: "m.yaml", MappingHash: "h"}
		if _, s.err = s.db.RecordMapping(ctx, id, syncd.MapMapped, "", []syncd.Op{add}); s.err != nil {
			return
		}
		last, err := s.db.ListOps(ctx, sqlite.OpFilter{Newest: true, Limit: 1})
		if err != nil || len(last) != 1 {
			s.err = cmp.Or(err, errors.New("enqueued op not found"))
			return
		}
		op := last[0]
		op.State, op.Attempts, op.NextAttemptAt = syncd.OpState(state), 1, at
		op.CRMID, op.LastError = crmID, lastErr
		s.err = s.db.FinishOps(ctx, []syncd.Op{op})
	})
}

// when runs fn with the store's clock stopped at t.
func (s *sample) when(t time.Time, fn func()) {
	now := s.db.Now
	s.db.Now = func() time.Time { return t }
	defer func() { s.db.Now = now }()
	fn()
}

// at is a time on day, mostly in working hours.
func (s *sample) at(day report.Day) time.Time {
	from, _ := day.Bounds(s.loc)
	h := 7 + s.rnd.NormFloat64()*3 + 6
	h = min(max(h, 0), 23.9)
	return from.Add(time.Duration(h * float64(time.Hour)))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
