package postgres_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/syncd-dev/syncd/internal/postgres"
)

// TestAConnectionCutMidQueryIsTheDatabaseNotAnswering: PostgreSQL stopped
// under a query ends it with an unexpected EOF, and a ping on that
// connection after says "conn closed": both were taken for failures of the
// daemon's own, so the watchdog's health check stopped its pings for the
// first moment of an outage (TestPostgresOutageUnderSystemd failed so in CI
// at d2a3bc7b, now and then).
func TestAConnectionCutMidQueryIsTheDatabaseNotAnswering(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("listen: %w", io.ErrUnexpectedEOF),
		fmt.Errorf("ping db: %w", pgconn.ErrConnClosed),
	} {
		if !postgres.Unreachable(err) {
			t.Errorf("Unreachable(%v) = false", err)
		}
	}
	if postgres.Unreachable(fmt.Errorf("decode: %w", io.EOF)) {
		t.Error("a plain EOF taken for the database not answering")
	}
}
