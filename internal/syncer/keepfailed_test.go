package syncer_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestSetAsideNotKeptIsKeptLater: a syncer sets a batch aside, but its
// write of the groups set aside fails (the database busy), and another
// process (a `syncd sync` beside the daemon) then sets a batch of its own
// aside and writes it. Before, the syncer's next run took what the other
// wrote for all it held: its own group, never written, was dropped, and a
// restart sent its batch whole again and began the halving anew; its
// warning, at each run that failed so, said only that a restart would
// find them anew. Its next run now merges what the other wrote into its
// own and writes both; the warning comes once, says the write is tried
// again, and a line says once it went through.
func TestSetAsideNotKeptIsKeptLater(t *testing.T) {
	t.Parallel()
	var told [][]int64
	r, opts := asideRig(t, &told)
	ctx := context.Background()
	var logs bytes.Buffer
	busy := &busySwap{Store: r.db, busy: true}
	first := opts
	first.Store = busy
	first.Log = zerolog.New(&logs).Level(zerolog.InfoLevel)
	s, err := syncer.New(first)
	if err != nil {
		t.Fatal(err)
	}
	enqueueLeads(t, r.db, hubspot.Name, 0, 10)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(3), Action: crmfake.ActError, Status: 504})
	for range 2 { // sets its batch aside, and fails to write it twice
		if _, err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if busy.swaps == 0 {
		t.Fatal("the syncer never wrote the groups it set aside")
	}
	second, err := syncer.New(opts) // on the store itself
	if err != nil {
		t.Fatal(err)
	}
	enqueueLeads(t, r.db, hubspot.Name, 10, 20)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(13), Action: crmfake.ActError, Status: 504})
	if _, err := second.RunOnce(ctx); err != nil { // sets its batch aside and writes it
		t.Fatal(err)
	}
	busy.busy = false
	if _, err := s.RunOnce(ctx); err != nil { // writes its own group, the other's kept
		t.Fatal(err)
	}
	bothKeptAfterARestart(t, r, opts, &told)
	notKept := grepLog(logs.String(), "not kept")
	if n := strings.Count(notKept, "\n") + 1; notKept == "" || n != 1 || !strings.Contains(notKept, "tried again") {
		t.Errorf("the failed writes told %d time(s):\n%s\nwant once, saying the write is tried again", strings.Count(notKept, "\n")+1, notKept)
	}
	if !strings.Contains(logs.String(), "operations set aside kept") {
		t.Errorf("no line says the groups set aside were kept in the end:\n%s", logs.String())
	}
}

// TestSetAsideNotKeptIsWrittenAtStop: a syncer's write of the groups it
// set aside failed (the database busy) at the end of its last run, and
// the daemon stops. Before, they were lost with the process: the restart
// sent their batch whole again and halved it from the start. The syncer
// writes them as it stops: the restart halves the group at once and
// tells the operation the CRM never takes stuck.
func TestSetAsideNotKeptIsWrittenAtStop(t *testing.T) {
	t.Parallel()
	var told [][]int64
	r, opts := asideRig(t, &told)
	busy := &busySwap{Store: r.db, busy: true}
	first := opts
	first.Store = busy
	s, err := syncer.New(first)
	if err != nil {
		t.Fatal(err)
	}
	enqueueLeads(t, r.db, hubspot.Name, 0, 10)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(3), Action: crmfake.ActError, Status: 504})
	if _, err := s.RunOnce(context.Background()); err != nil { // sets its batch aside, not written
		t.Fatal(err)
	}
	busy.busy = false
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Run(ctx); err != nil { // the daemon stops
		t.Fatal(err)
	}
	keptAfterARestart(t, r, opts, &told, 3)
}

// busySwap is a store whose writes of the operations set aside fail, as
// a busy database's, while busy is set.
type busySwap struct {
	syncer.Store
	busy  bool
	swaps int
}

// SwapStateValue fails for the operations set aside while busy.
func (b *busySwap) SwapStateValue(ctx context.Context, name, old, value string) (bool, error) {
	if b.busy && strings.HasPrefix(name, "syncer_aside:") {
		b.swaps++
		return false, errors.New("database is locked")
	}
	return b.Store.SwapStateValue(ctx, name, old, value)
}
