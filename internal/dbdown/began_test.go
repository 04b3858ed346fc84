package dbdown

import (
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestAnOutageIsKnownWhileUnderWayAndCounted: what the daemon asks of the
// log to leave an outage to it: whether one is under way (Down), how many
// began (Began: one that began and ended between two looks counts), and an
// error it took marked so through wrapping (Told, IsTold).
func TestAnOutageIsKnownWhileUnderWayAndCounted(t *testing.T) {
	l := New(zerolog.New(io.Discard), "db", "stops", 0, func() time.Time { return time.Unix(0, 0) })
	refused := errors.New("connect: connection refused")
	if l.Down() || l.Began() != 0 {
		t.Fatal("an outage before any failure")
	}
	l.Failed(Failure{Part: "listen", Err: errors.New("terminating connection"), Retries: true})
	if l.Down() || l.Began() != 0 {
		t.Fatal("a session ended alone began an outage")
	}
	l.Failed(Failure{Part: "heartbeat", Err: refused, Retries: true, Connect: true})
	l.Failed(Failure{Part: "listen", Err: refused, Retries: true, Connect: true})
	if !l.Down() || l.Began() != 1 {
		t.Fatalf("down %v, began %d: want an outage, one", l.Down(), l.Began())
	}
	l.Answered("heartbeat")
	l.Answered("listen")
	if l.Down() || l.Began() != 1 {
		t.Fatalf("down %v, began %d after it ended", l.Down(), l.Began())
	}
	l.Failed(Failure{Part: "intake", Err: refused, Connect: true})
	l.Answered("heartbeat")
	if l.Began() != 2 {
		t.Errorf("began %d: an outage begun and ended between two looks is not counted", l.Began())
	}
	if err := fmt.Errorf("map: %w", Told(refused)); !IsTold(err) || !errors.Is(err, refused) || err.Error() != "map: "+refused.Error() {
		t.Errorf("a told error wrapped: %v", err)
	}
	if Told(nil) != nil || IsTold(refused) {
		t.Error("nil told, or an untold error said told")
	}
}
