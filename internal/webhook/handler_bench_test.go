package webhook

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// countStore accepts every delivery, storing nothing.
type countStore struct{ n int64 }

func (d *countStore) Store(_ context.Context, _ syncd.Incoming) (syncd.Receipt, error) {
	d.n++
	return syncd.Receipt{Outcome: syncd.Accepted, ID: d.n}, nil
}

// BenchmarkHandler is the receiver's own work for one Lokalebasen delivery,
// as the server runs it (closeUnread around the routes), without HTTP on
// a socket and without storage: routing, authentication, reading and
// decoding the body, and the answer.
func BenchmarkHandler(b *testing.B) {
	tok := "tok-lb-123456789012"
	rc := New(Options{Store: &countStore{}, Sources: []Source{{Name: "lokalebasen", Kind: syncd.KindLokalebasen, Tokens: []string{tok}}}, Log: zerolog.Nop()})
	h := closeUnread(rc.Handler(), 30*time.Second)
	body := []byte(`{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"20064","external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},"enquiry":{"type":"client"},"client":{"email":"client1@example.com","name":"Angela Baker","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city, close to the metro, with room for 25 desks and two meeting rooms."}}`)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/hooks/lokalebasen/"+tok, bytes.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}
