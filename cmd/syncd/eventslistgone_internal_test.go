package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// erasedSpy is a store whose quarantined bodies are each erased, at a
// time of its own, by an erasure the audit holds under a subject of its
// own; it counts the reads of the audit.
type erasedSpy struct {
	store
	reads atomic.Int64
}

var erasedBase = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func (s *erasedSpy) Quarantined(ctx context.Context, f syncd.EventFilter) ([]syncd.Quarantine, error) {
	qs, err := s.store.Quarantined(ctx, f)
	for i := range qs {
		qs[i].Body, qs[i].ErasedAt = nil, erasedBase.Add(time.Duration(qs[i].ID)*time.Second)
	}
	return qs, err
}

func (s *erasedSpy) ErasuresAt(_ context.Context, at []time.Time) ([]syncd.Erasure, error) {
	s.reads.Add(1)
	var out []syncd.Erasure
	for _, t := range at {
		out = append(out, syncd.Erasure{At: t, SubjectHash: fmt.Sprintf("subject-%d", t.Sub(erasedBase)/time.Second)})
	}
	return out, nil
}

// TestQuarantineListSaysWhichErasureErasedEachBody: events list
// -quarantined -json says of every body erased what events show
// -quarantined -json says (body_gone, erasure_subject), reading the
// erasure audit once a page of the listing, not once a body.
func TestQuarantineListSaysWhichErasureErasedEachBody(t *testing.T) {
	t.Parallel()
	const quarantined = listPage + 3
	spy := &erasedSpy{store: listingDB(t, 0, quarantined, 0)}
	var out strings.Builder
	c := &cli{stdout: &out, stderr: &out}
	if code := c.listQuarantine(context.Background(), spy, cph, syncd.EventFilter{Newest: true}, 0, true); code != exitOK {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != quarantined {
		t.Fatalf("listed %d bodies, want %d", len(lines), quarantined)
	}
	for _, l := range lines {
		var m struct {
			ID             int64  `json:"id"`
			BodyGone       string `json:"body_gone"`
			ErasureSubject string `json:"erasure_subject"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		subject := fmt.Sprintf("subject-%d", m.ID)
		if m.ErasureSubject != subject || !strings.HasPrefix(m.BodyGone, "erased by syncd erase at ") ||
			!strings.Contains(m.BodyGone, "audited as subject "+subject+",") {
			t.Errorf("body %d: body_gone %q, erasure_subject %q; want erased by the erasure audited as %s", m.ID, m.BodyGone, m.ErasureSubject, subject)
		}
	}
	if n := spy.reads.Load(); n != 2 {
		t.Errorf("the audit read %d times for %d bodies in 2 pages, want once a page", n, quarantined)
	}
}

// TestQuarantineListTextSaysWhichErasureErasedEachBody: events list
// -quarantined in text said of a body erased only "erased TIME", while
// its -json form and events show -quarantined name the erasure's audit
// subject. Under the table it now names, for each erasure, the subject
// and the bodies it erased, reading the audit once a page.
func TestQuarantineListTextSaysWhichErasureErasedEachBody(t *testing.T) {
	t.Parallel()
	const quarantined = listPage + 3
	spy := &erasedSpy{store: listingDB(t, 0, quarantined, 0)}
	var out strings.Builder
	c := &cli{stdout: &out, stderr: &out}
	if code := c.listQuarantine(context.Background(), spy, cph, syncd.EventFilter{Newest: true}, 0, false); code != exitOK {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	text := out.String()
	for id := 1; id <= quarantined; id++ {
		want := fmt.Sprintf("quarantined body %d was erased by the erasure audited as subject subject-%d at ", id, id)
		if !strings.Contains(text, want) {
			t.Fatalf("the listing does not say %q:\n%s", want, text)
		}
	}
	if n := spy.reads.Load(); n != 2 {
		t.Errorf("the audit read %d times for %d bodies in 2 pages, want once a page", n, quarantined)
	}
}
