package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchIntake stores n ~700-byte Lokalebasen events through a store's
// group-commit intake, from 64 senders at once, as the outbox benchmarks
// of both stores fill it; in runs only for the call.
func BenchIntake(b testing.TB, in interface {
	Store(ctx context.Context, inc syncd.Incoming) (syncd.Receipt, error)
	Run(ctx context.Context) error
}, n int) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { in.Run(ctx); close(ran) }()
	body := []byte(`{"event":"enquiry_created","message":"` + strings.Repeat("x", 640) + `"}`)
	var wg sync.WaitGroup
	for c := range 64 {
		wg.Go(func() {
			for i := c; i < n; i += 64 {
				if _, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
					Key: fmt.Sprintf("sha256:%064d", i), Body: body, Parse: syncd.ParseStrict}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	cancel()
	<-ran
}

// BenchMap reads a store's pending events batch at a time (pending, as
// PendingEvents) and records each batch by record, each event mapped to
// ops(its id), as the mapping worker does.
func BenchMap(b testing.TB, ctx context.Context, batch int,
	pending func(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error),
	record func(context.Context, []syncd.Mapping) error, ops func(id int64) []syncd.Op) {
	b.Helper()
	for after := int64(0); ; {
		evs, err := pending(ctx, after, batch)
		if err != nil {
			b.Fatal(err)
		}
		if len(evs) == 0 {
			return
		}
		ms := make([]syncd.Mapping, len(evs))
		for i, ev := range evs {
			ms[i] = syncd.Mapping{EventID: ev.ID, State: syncd.MapMapped, Ops: ops(ev.ID)}
			after = ev.ID
		}
		if err := record(ctx, ms); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchLeadOps are lead id's contact, keyed by email, and deal, keyed
// lb:<id>, with properties as the shipped HubSpot mapping makes them: the
// operations of both stores' outbox benchmarks.
func BenchLeadOps(id int64, email string) []syncd.Op {
	return BenchLeadOpsKeyed(id, email, fmt.Sprintf("lb:%d", id))
}

// BenchLeadOpsKeyed are BenchLeadOps with the deal keyed dealKey, as
// syncd_lead_id too: a real Lokalebasen deal's key is
// lokalebasen:sha256:<hash of its body>, in no order from one lead to the
// next (BenchHashedDealKey).
func BenchLeadOpsKeyed(id int64, email, dealKey string) []syncd.Op {
	contact := syncd.Op{EventID: id, Target: "hubspot", Kind: syncd.RecordContact, Key: email, KeyKind: syncd.KeyEmail,
		MappingFile: "lokalebasen.yaml", MappingHash: "0123456789abcdef",
		Properties: map[string]string{"email": email, "firstname": "Anna", "lastname": "Jensen",
			"phone": "+4520123456", "company": "Jensen ApS", "lifecyclestage": "lead"}}
	deal := syncd.Op{EventID: id, Target: "hubspot", Kind: syncd.RecordDeal, Key: dealKey,
		ContactKey: email, MappingFile: "lokalebasen.yaml", MappingHash: "0123456789abcdef",
		Properties: map[string]string{"dealname": "Enquiry: Vesterbrogade 12", "pipeline": "default",
			"dealstage": "appointmentscheduled", "amount": "125000", "syncd_lead_id": dealKey,
			"description": strings.Repeat("m", 200)}}
	return []syncd.Op{contact, deal}
}

// BenchHashedDealKey is a deal key as a Lokalebasen enquiry's is
// (lokalebasen:sha256: and 64 hex digits), here the SHA-256 of id: one per
// lead, in no order.
func BenchHashedDealKey(id int64) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(id, 10)))
	return "lokalebasen:sha256:" + hex.EncodeToString(sum[:])
}
