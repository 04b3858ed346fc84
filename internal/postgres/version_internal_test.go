package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestServerOlderThan13IsRefused: erase reads with snapshot functions
// PostgreSQL 13 added, so on an older server every erase failed with
// "function pg_visible_in_snapshot does not exist", found only when a
// person asked to be forgotten. Open and Check (validate) refuse such a
// server at once, naming its version; this machine's PostgreSQL 15 opens.
func TestServerOlderThan13IsRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		num     int
		version string
		refused bool
	}{{120015, "12.15", true}, {90624, "9.6.24", true}, {130000, "13.0", false}, {150004, "15.4 (Debian 15.4-1)", false}} {
		err := tooOld(c.num, c.version, "db.internal:5432/syncd")
		if (err != nil) != c.refused || c.refused && !strings.Contains(err.Error(), "runs PostgreSQL "+c.version+"; syncd needs 13 or later") {
			t.Errorf("server %s: %v", c.version, err)
		}
	}
	dsn := pgtest.DSN(t)
	if _, err := Check(context.Background(), dsn); err != nil {
		t.Fatalf("check of this machine's server: %v", err)
	}
	db, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open on this machine's server: %v", err)
	}
	db.Close()
}
