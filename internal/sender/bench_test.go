package sender

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkDecode decodes a ~700-byte Lokalebasen event (the costly kind:
// it has no id, so its canonical JSON is hashed). The "map-roundtrip"
// baseline is encoding/json's decode into a map and sorted re-encode.
//
//	go test ./internal/sender -run '^$' -bench Decode -benchmem
func BenchmarkDecode(b *testing.B) {
	body := []byte(`{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"20064","external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},"enquiry":{"type":"client"},"client":{"email":"client1@example.com","name":"Angela Baker","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city, close to the metro, with room for 25 desks and two meeting rooms."}}`)
	b.Run("syncd", func(b *testing.B) {
		for b.Loop() {
			Decode(syncd.KindLokalebasen, body, 0)
		}
	})
	b.Run("map-roundtrip", func(b *testing.B) {
		for b.Loop() {
			var v map[string]any
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			dec.Decode(&v)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.Encode(v)
			sum(buf.Bytes())
		}
	})
}
