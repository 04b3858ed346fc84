package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEraseFindsAnAddressInTheSendersTypeOrID: a sender that puts a
// person's address in eaf_type, or in the eaf_id of another person's
// lead, left it in the event's type and key, which syncd keeps past the
// body: once the retention purged the bodies, syncd export -email of that
// person showed nothing and syncd erase found nothing, and the address
// stayed for good. The purge now drops such a type and id with the body;
// before it, export shows the events, with the type and the sender's id
// (delivery_id), and erase keeps neither. Nobody's address is left.
func TestEraseFindsAnAddressInTheSendersTypeOrID(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  event_days: 30\n")
	addr := strings.ToLower(e2eJane.email)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := db.NewIntake(sqlite.IntakeOptions{})
	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { in.Run(run); close(done) }()
	var old, recent []int64
	for i, at := range []time.Time{time.Now().AddDate(0, 0, -40), time.Now().AddDate(0, 0, -40), time.Now(), time.Now()} {
		id := fmt.Sprint(i)
		inc := syncd.Incoming{Type: "email_lead", Key: "eaf:" + addr, // 40 days apart: past the duplicate window
			Body: fmt.Appendf(nil, `{"eaf_type":"email_lead","eaf_id":%q,"contact_email":%q}`, addr, e2eBob.email)}
		if i%2 == 1 {
			inc = syncd.Incoming{Type: addr, Key: "sha256:5b1e" + id,
				Body: fmt.Appendf(nil, `{"eaf_type":%q,"eaf_id":%q,"contact_email":%q}`, addr, id, e2eBob.email)}
		}
		inc.Source, inc.Kind, inc.Parse, inc.ReceivedAt = "eaf", syncd.KindEAF, syncd.ParseStrict, at
		rec, err := in.Store(ctx, inc)
		if err == nil {
			_, err = db.RecordMapping(ctx, rec.ID, syncd.MapIgnored, "", nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			old = append(old, rec.ID)
		} else {
			recent = append(recent, rec.ID)
		}
	}
	stop()
	<-done
	db.Close()
	syncdOK(t, "purge", "-config", config)
	namesHer := func(ids []int64, when string) {
		t.Helper()
		for _, id := range ids {
			if shown := syncdOK(t, "events", "show", "-config", config, fmt.Sprint(id)); strings.Contains(strings.ToLower(shown), addr) {
				t.Errorf("event %d %s still names her:\n%s", id, when, shown)
			}
		}
	}
	namesHer(old, "once purged")

	var out struct {
		Events []struct {
			ID         int64  `json:"id"`
			Type       string `json:"type"`
			DeliveryID string `json:"delivery_id"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-email", e2eJane.email)), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Events) != 2 || out.Events[0].ID != recent[0] || out.Events[0].DeliveryID != addr ||
		out.Events[1].ID != recent[1] || out.Events[1].Type != addr {
		t.Fatalf("export of her, her address in the fields of two events: %+v; want events %v, their id and type hers", out.Events, recent)
	}
	stdout, stderr, code := syncdRun(t, "erase", "-config", config, "-email", e2eJane.email)
	if code != 0 {
		t.Fatalf("erase: exit %d\n%s%s", code, stdout, stderr)
	}
	namesHer(recent, "once she is erased")
	again := syncdOK(t, "export", "-config", config, "-email", e2eJane.email)
	if err := json.Unmarshal([]byte(again), &out); err != nil || len(out.Events) != 0 {
		t.Errorf("export once erased: %v\n%s", err, again)
	}
}
