package webhook_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// outcomes counts what the receiver tells its observer, by source and outcome.
type outcomes struct {
	mu sync.Mutex
	n  map[string]int
}

func (o *outcomes) ObserveIntake(source, outcome string, _ time.Duration) {
	o.add(source + " " + outcome)
}
func (o *outcomes) Quarantined(source, reason string, _ time.Duration) {
	o.add(source + " quarantined " + reason)
}
func (o *outcomes) Rejected(source, reason string) { o.add(source + " rejected " + reason) }
func (o *outcomes) add(k string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[k]++
}

// TestRepairedBodyRetriedIsADuplicate: a sender sends a quarantined body
// again (it did not get the first answer: its timeout, a dropped
// connection). Once the operator repaired it, the retry is answered as the
// duplicate of the repaired event and counted as one; it was answered
// "quarantined" again, counted as another quarantined delivery and logged
// as an error asking for a second repair.
func TestRepairedBodyRetriedIsADuplicate(t *testing.T) {
	t.Parallel()
	obs := &outcomes{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs })
	bad := []byte(`{"eaf_type":"email_lead","eaf_id":"777001","contact_message_flat":"Hi "there""}`)
	q := r.post(t, "/hooks/eaf/"+eafToken, bad)
	if q.Status != "quarantined" {
		t.Fatalf("bad body: %+v", q)
	}
	fixed := []byte(`{"eaf_type":"email_lead","eaf_id":"777001","contact_message_flat":"Hi \"there\""}`)
	d := sender.Decode(syncd.KindEAF, fixed, 0)
	qid, _ := strconv.ParseInt(q.QID, 10, 64)
	ev, err := r.db.RepairQuarantined(context.Background(), qid, syncd.Incoming{Type: d.Type, Key: d.Key, Body: fixed,
		Parse: d.Parse}, 0)
	if err != nil {
		t.Fatal(err)
	}
	again := r.post(t, "/hooks/eaf/"+eafToken, bad)
	if again.Code != 200 || again.Status != "duplicate" || again.ID != strconv.FormatInt(ev.ID, 10) || again.QID != "" {
		t.Fatalf("the sender's retry after the repair: %+v; want 200 duplicate of event %d", again, ev.ID)
	}
	if n := strings.Count(r.log.String(), "delivery quarantined"); n != 1 {
		t.Fatalf("%d quarantine error lines, want the first delivery's only:\n%s", n, r.log)
	}
	if obs.n["eaf quarantined invalid_json"] != 1 || obs.n["eaf duplicate"] != 1 {
		t.Fatalf("observed %v; want one quarantined, one duplicate", obs.n)
	}
}
