package handoff

import (
	"context"
	"errors"
	"testing"
	"time"
)

var errStopped = errors.New("stopped")

// TestQueueHandsOverInBatchesAndRefusesOnceClosed: the writer takes what
// waits up to its batch; once closed, what was queued is still there and a
// new request is refused; a full queue gives up with the caller's context.
func TestQueueHandsOverInBatchesAndRefusesOnceClosed(t *testing.T) {
	q := New[int](3)
	ctx := context.Background()
	for i := range 3 {
		if err := q.put(ctx, i, errStopped); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := q.put(cancelled, 3, errStopped); !errors.Is(err, context.Canceled) {
		t.Fatalf("put on a full queue = %v, want the context's error", err)
	}
	first := <-q.Requests()
	if got := q.Fill([]int{first}, 2); len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Fatalf("first batch = %v, want [0 1]", got)
	}
	q.Close()
	if _, err := Call(ctx, q, 4, make(chan string), errStopped); err != errStopped {
		t.Fatalf("call once closed = %v, want %v", err, errStopped)
	}
	if got := q.Fill(nil, 2); len(got) != 1 || got[0] != 2 {
		t.Fatalf("drained = %v, want [2]", got)
	}
	if got := q.Fill(nil, 2); len(got) != 0 {
		t.Fatalf("drained again = %v, want nothing", got)
	}
}

// TestCallGivesTheWritersAnswerOrTheContextsError: the answer comes from
// the writer's side; a caller whose context ended gets its error.
func TestCallGivesTheWritersAnswerOrTheContextsError(t *testing.T) {
	q := New[chan string](1)
	go func() {
		done := <-q.Requests()
		done <- "stored"
	}()
	done := make(chan string, 1)
	if r, err := Call(context.Background(), q, done, done, errStopped); r != "stored" || err != nil {
		t.Fatalf("call = %q, %v", r, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := Call(ctx, q, done, done, errStopped); r != "" || !errors.Is(err, context.Canceled) {
		t.Fatalf("call after the context ended = %q, %v", r, err)
	}
}

// TestOptionsDefaultWhatIsUnset: an intake given nothing gets the
// documented defaults; what it is given it keeps.
func TestOptionsDefaultWhatIsUnset(t *testing.T) {
	if got, want := (Options{}).WithDefaults(), (Options{512, 4096, DefaultDedupWindow}); got != want {
		t.Fatalf("defaults = %+v, want %+v", got, want)
	}
	if got, want := (Options{1, 8, time.Hour}).WithDefaults(), (Options{1, 8, time.Hour}); got != want {
		t.Fatalf("given = %+v, want %+v", got, want)
	}
}
