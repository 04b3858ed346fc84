package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"al.essio.dev/pkg/shellescape"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestFullDatabaseRefusesAndRecovers uses SQLite's own SQLITE_FULL ("database
// or disk is full"), raised by PRAGMA max_page_count on the writer's
// connections: the code path of a full disk inside SQLite, without filling
// one. A delivery is refused, readiness says where room is needed
// (ErrDiskFull, EUnavailable, the directory), and once room is made (a
// large row deleted, its pages free for reuse) the same intake stores again,
// with no reopen; what was stored before and after is in the file.
func TestFullDatabaseRefusesAndRecovers(t *testing.T) {
	ctx := context.Background()
	db := openSeen(t)
	if err := db.SetStateValue(ctx, "filler", strings.Repeat("x", 256<<10)); err != nil {
		t.Fatal(err)
	}
	capWriters(t, db)
	in, stop := runIntake(t, db, 0, nil)
	storeKey(t, in, "before") // fits in the pages the file has

	body := []byte(`{"pad":"` + strings.Repeat("y", 64<<10) + `"}`)
	_, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
		Key: "full", Body: body, Parse: syncd.ParseStrict})
	if syncd.ErrorCode(err) != syncd.EUnavailable {
		t.Fatalf("delivery into a full database: %v, want EUnavailable", err)
	}
	err = in.Ready(ctx)
	dir := filepath.Dir(db.Path())
	if !errors.Is(err, ErrDiskFull) || syncd.ErrorCode(err) != syncd.EUnavailable ||
		!strings.Contains(err.Error(), "no room left for the database in "+dir) || !strings.Contains(err.Error(), "df -h "+shellescape.Quote(dir)) {
		t.Fatalf("readiness on a full database: %v", err)
	}

	if err := db.SetStateValue(ctx, "filler", ""); err != nil { // room again
		t.Fatal(err)
	}
	if _, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
		Key: "full", Body: body, Parse: syncd.ParseStrict}); err != nil {
		t.Fatalf("delivery once there is room: %v", err)
	}
	if err := in.Ready(ctx); err != nil {
		t.Fatalf("readiness once there is room: %v", err)
	}
	stop()
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d events stored (%v), want 2", n, err)
	}
}

// capWriters limits both writer connections to the pages the database has.
func capWriters(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	c1, err1 := db.w.Conn(ctx)
	c2, err2 := db.w.Conn(ctx)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	defer c2.Close()
	var pages int
	if err := c1.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*sql.Conn{c1, c2} {
		if _, err := c.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFullDatabaseStoresNothingOfABatch: a batch whose first delivery does
// not fit is refused whole, and nothing of it is stored. SQLite rolls the
// whole transaction back on SQLITE_FULL; the deliveries after the failed
// one used to be stored anyway, each in a transaction of its own outside
// the batch's, then answered 503 with it ("cannot commit - no transaction
// is active"): the sender's retry was stored a second time, a duplicate
// lead.
func TestFullDatabaseStoresNothingOfABatch(t *testing.T) {
	ctx := context.Background()
	db := openSeen(t)
	if err := db.SetStateValue(ctx, "filler", strings.Repeat("x", 256<<10)); err != nil {
		t.Fatal(err)
	}
	capWriters(t, db)
	in := db.NewIntake(IntakeOptions{})
	lead := func(key string, size int) *intakeReq {
		inc := syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created", Key: key,
			Body: []byte(`{"pad":"` + strings.Repeat("y", size) + `"}`), Parse: syncd.ParseStrict}
		return &intakeReq{in: inc, key: seenKeyOf(inc.Source, inc.Key), done: make(chan intakeResult, 1)}
	}
	big, small := lead("big", 64<<10), lead("small", 10)
	in.commit(ctx, []*intakeReq{big, small})
	for _, r := range []*intakeReq{big, small} {
		if res := <-r.done; syncd.ErrorCode(res.err) != syncd.EUnavailable {
			t.Fatalf("%s in a batch that does not fit: %+v", r.in.Key, res)
		}
	}
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d events stored of a refused batch (%v), want none", n, err)
	}
	if err := in.Ready(ctx); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("readiness after the refused batch: %v, want ErrDiskFull", err)
	}
}
