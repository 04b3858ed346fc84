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

// BenchmarkLead reads the report's fields from a lead of each kind, as
// the report does for every lead of its day.
//
//	go test ./internal/sender -run '^$' -bench Lead -benchmem
func BenchmarkLead(b *testing.B) {
	bodies := map[syncd.Kind]string{
		syncd.KindLokalebasen: `{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"20064","external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},"enquiry":{"type":"extra"},"client":{"email":"angela1@hotmail.com","name":"Angela Baker 1","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city."}}`,
		syncd.KindEAF:         `{"eaf_type":"email_lead","eaf_id":"1","email_source":"rightmove","contact_name":"EAF Support 1","contact_email":"support1@estateagentfeeds.com","contact_phone":"+44(0)20 3870 4550","contact_message_html":"This is an enquiry message.","contact_message_flat":"This is an enquiry message.","eaf_reference":"1","eaf_portal_reference":"1_EAF_67004","eaf_development_reference":null,"eaf_date":"2021-09-06T06:28:06+01:00","eaf_timestamp":1630906086}`,
	}
	for _, kind := range []syncd.Kind{syncd.KindLokalebasen, syncd.KindEAF} {
		read, body := For(kind).Lead, []byte(bodies[kind])
		b.Run(string(kind), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				read(body)
			}
		})
	}
}
