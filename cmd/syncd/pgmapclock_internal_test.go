package main

import (
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestMappedReceivedAtWhateverTheClocks: a mapping's syncd.received_at was
// the lead's receipt on the clock of the host that mapped it: a lead
// mapped on an instance ten minutes ahead had its received time ten
// minutes later than the one a host whose clock was right gave it, so
// syncd replay -dry-run there said the lead changed and would enqueue a
// new operation (a replay sent the CRM an update of the record, with a
// time ten minutes off). A mapping reads the time as it is kept, the same
// on every host.
func TestMappedReceivedAtWhateverTheClocks(t *testing.T) {
	t.Parallel()
	ctx, ahead, right := onTwoClocks(t)
	rules, err := mapping.Parse("lokalebasen.yaml", []byte(`rules:
  - name: lead
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
      syncd_received_at: {expr: 'syncd.received_at'}
`), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	in := ahead.NewIntake(postgres.IntakeOptions{})
	go in.Run(ctx)
	body := []byte(`{"event_type":"enquiry_created","payload":{"client":{"email":"a@example.com"}}}`)
	if _, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
		Key: "k", Body: body, Parse: syncd.ParseStrict, ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// The instance ahead maps it, as its daemon does.
	w := mapping.NewWorker(mapping.WorkerOptions{Store: ahead, Rules: rules, Log: zerolog.Nop()})
	if sum, err := w.RunOnce(ctx); err != nil || sum.ByState[syncd.MapMapped] != 1 {
		t.Fatalf("mapping on the instance ahead: %+v, %v; want the lead mapped", sum, err)
	}
	var changes []mapping.ReplayChange
	sum, err := mapping.Replay(ctx, &backend{store: right}, rules, mapping.ReplayOptions{DryRun: true,
		OnChange: func(ch mapping.ReplayChange) { changes = append(changes, ch) }})
	if err != nil || sum.Events != 1 || sum.Changed != 0 || sum.NewOps != 0 {
		t.Errorf("syncd replay -dry-run on the host whose clock is right, with the rules the lead was mapped by: %+v, %v; want it unchanged", sum, err)
	}
	for _, ch := range changes {
		for _, op := range ch.Fresh {
			t.Errorf("replay there would enqueue %s %s with syncd_received_at %v", op.Kind, op.Key, op.Properties["syncd_received_at"])
		}
	}
}
