package syncer_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// pauseWatch is the store with a look, as `syncd sync -resume` would
// take one, at the moment the pause is recorded and at the moment its
// alarm is logged: how many of the target's pending operations a lease
// holds then (`syncd sync` exits 6 for them), and whether the pause is
// recorded by the time the alarm says so.
type pauseWatch struct {
	*sqlite.DB
	mu     sync.Mutex
	seen   []string
	buf    bytes.Buffer
	target string
}

func (w *pauseWatch) SetAdapterPause(ctx context.Context, target string, p syncd.Pause) error {
	if !p.Until.IsZero() {
		w.look("pause recorded")
	}
	return w.DB.SetAdapterPause(ctx, target, p)
}

// Write takes the syncer's log lines; at the alarm it looks.
func (w *pauseWatch) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(`"crm adapter paused"`)) {
		p, err := w.DB.AdapterPause(context.Background(), w.target)
		if err != nil || p.Until.IsZero() {
			w.note(fmt.Sprintf("alarm logged with no pause recorded (%v)", err))
		}
		w.look("alarm logged")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

// look notes the operations a lease holds now, if any.
func (w *pauseWatch) look(when string) {
	depths, err := w.DB.OutboxDepths(context.Background())
	if err != nil {
		w.note(when + ": " + err.Error())
		return
	}
	for _, d := range depths {
		if d.Target == w.target && d.Leased > 0 {
			w.note(fmt.Sprintf("%s: %d pending operation(s) held by a lease", when, d.Leased))
		}
	}
}

func (w *pauseWatch) note(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen = append(w.seen, s)
}

// TestPauseIsRecordedOnceTheBatchIsReleased: a run that pauses the
// adapter (a rejected token, a spent daily limit, the account set up
// wrong) records the pause, and logs "crm adapter paused", only once it
// has written back the operations it was sending and those it claimed
// ahead: `syncd sync -resume` run as soon as either shows finds none held
// by a lease. Before, the pause was recorded first, and a sync in between
// exited 6 ("held by a lease") although the daemon had paused (seen in CI:
// TestDaemonLogFollowsAResumeByTheOperator).
func TestPauseIsRecordedOnceTheBatchIsReleased(t *testing.T) {
	t.Parallel()
	for _, ce := range []*syncd.CRMError{
		{Status: 401, Code: "EXPIRED_AUTHENTICATION", Message: "expired", Class: syncd.ErrAuth},
		{Status: 429, Code: "DAILY", Message: "daily limit", Class: syncd.ErrDailyLimit, RetryAfter: time.Hour},
		{Status: 400, Code: "INVALID_OPTION", Message: "bad", Class: syncd.ErrConfig, Property: "dealstage"},
	} {
		t.Run(ce.Code, func(t *testing.T) {
			clk := newClock()
			w := &pauseWatch{DB: openDB(t, clk), target: "mem"}
			enqueueLeads(t, w.DB, "mem", 0, 4)
			crm := newMemCRM()
			crm.fail = func(syncd.RecordKind, string) error { return ce }
			// Batches of 2: the next batch is claimed while the first is
			// sent, and handed back with it.
			s := newSyncer(t, w.DB, crm, clk, func(o *syncer.Options) {
				o.Store, o.BatchSize = w, 2
				o.Log = zerolog.New(w).Level(zerolog.InfoLevel)
			})
			sum, err := s.RunOnce(context.Background())
			if err != nil || sum.PausedUntil.IsZero() || sum.Released == 0 {
				t.Fatalf("run = %+v, %v; want a pause and the operations released", sum, err)
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			if !bytes.Contains(w.buf.Bytes(), []byte(`"crm adapter paused"`)) {
				t.Fatalf("no pause logged:\n%s", w.buf.String())
			}
			for _, s := range w.seen {
				t.Error(s)
			}
		})
	}
}
