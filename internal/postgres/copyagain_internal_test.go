package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCopyAgainSaysWhatWasCopied: migrate-store run again after a copy
// (a script, a second try after a lost terminal) was refused as any
// database holding leads is, "already holds events (1): copy into an
// empty one", with no word of whether that copy was this one and whole.
// The copy records what it copied; run again it copies nothing and says
// when it was made and whether the SQLite database still holds the same
// rows, or changed since (a daemon started on it again took a lead), and
// how many leads the instances stored since.
func TestCopyAgainSaysWhatWasCopied(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := sqliteWithALead(t)
	dst, err := Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := dst.CopyFrom(ctx, src.Reader()); err != nil {
		t.Fatal(err)
	}
	again := func(what string) *CopiedError {
		t.Helper()
		counts, err := dst.CopyFrom(ctx, src.Reader())
		var copied *CopiedError
		if !errors.As(err, &copied) || copied.At.IsZero() || copied.Then["events"] != 1 {
			t.Fatalf("%s: %v %v, want the earlier copy of 1 event told", what, counts, err)
		}
		return copied
	}
	if c := again("run again"); !c.Same || c.Since != 0 || c.Now["events"] != 1 {
		t.Fatalf("run again: %+v, want the same rows, none stored since", c)
	}

	in := dst.NewIntake(IntakeOptions{}) // an instance takes a lead
	ictx, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { in.Run(ictx); close(ran) }()
	_, err = in.Store(ctx, lead("on-postgres"))
	stop()
	<-ran
	if err != nil {
		t.Fatal(err)
	}
	if c := again("after an instance stored a lead"); !c.Same || c.Since != 1 {
		t.Fatalf("after an instance stored a lead: %+v, want the same rows, 1 stored since", c)
	}

	lite := src.NewIntake(sqlite.IntakeOptions{}) // the SQLite daemon started again takes one
	lctx, lstop := context.WithCancel(ctx)
	lran := make(chan struct{})
	go func() { lite.Run(lctx); close(lran) }()
	rec, err := lite.Store(ctx, lead("on-sqlite-after-the-copy"))
	lstop()
	<-lran
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("sqlite: %+v %v", rec, err)
	}
	c := again("after the SQLite database took a lead")
	if c.Same || c.Now["events"] != 2 || !strings.Contains(c.Error(), "changed since (copied: events 1 row; now: events 2 rows") {
		t.Fatalf("after the SQLite database took a lead: %+v %q, want it changed: 2 events now", c, c.Error())
	}
}

// TestRowsSaysEachCountAsPeopleDo: migrate-store run a second time said
// what it had copied as "(… 53 state, 1 erasures)", a table's name read as
// a counted noun, the plural wrong for one. It says each table's rows as
// the copy listed them: "state 53 rows, erasures 1 row".
func TestRowsSaysEachCountAsPeopleDo(t *testing.T) {
	got := Rows(map[string]int64{"events": 53, "outbox": 1, "state": 53, "erasures": 1, "reports": 0})
	if want := "events 53 rows, outbox 1 row, state 53 rows, erasures 1 row"; got != want {
		t.Errorf("Rows = %q, want %q", got, want)
	}
	if got := Rows(nil); got != "no rows" {
		t.Errorf("Rows(nil) = %q, want \"no rows\"", got)
	}
}
