package webhook

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

func TestDecode(t *testing.T) {
	cases := []struct {
		name, body string
		kind       syncd.Kind
		typ, key   string
		parse      syncd.ParseStatus
		quarantine bool
	}{
		{"eaf id", `{"eaf_type":"email_lead","eaf_id":"77"}`, syncd.KindEAF, "email_lead", "eaf:77", syncd.ParseStrict, false},
		{"eaf without id hashes", `{"eaf_type":"feed_import"}`, syncd.KindEAF, "feed_import", "sha256:", syncd.ParseStrict, false},
		{"eaf_id ignored for lokalebasen", `{"event_type":"enquiry_created","eaf_id":"1"}`, syncd.KindLokalebasen, "enquiry_created", "sha256:", syncd.ParseStrict, false},
		{"trailing commas", `{"event_type":"enquiry_created","payload":{"a":1,},}`, syncd.KindLokalebasen, "enquiry_created", "sha256:", syncd.ParseLenient, false},
		{"comments", "{/* c */\"event_type\":\"x\" // end\n}", syncd.KindLokalebasen, "x", "sha256:", syncd.ParseLenient, false},
		{"not JSON", `event_type=x`, syncd.KindLokalebasen, "", "sha256:", "", true},
		{"array", `[1,2]`, syncd.KindLokalebasen, "", "sha256:", "", true},
		{"trailing garbage", `{}}`, syncd.KindEAF, "", "sha256:", "", true},
		{"two objects", `{} {}`, syncd.KindEAF, "", "sha256:", "", true},
		{"type not a string", `{"event_type":7}`, syncd.KindLokalebasen, "", "sha256:", syncd.ParseStrict, false},
	}
	for _, c := range cases {
		d := Decode(c.kind, []byte(c.body))
		if d.Type != c.typ || !strings.HasPrefix(d.Key, c.key) || (d.Reason != "") != c.quarantine || (!c.quarantine && d.Parse != c.parse) {
			t.Errorf("%s: %+v", c.name, d)
		}
		if d.Parse == syncd.ParseLenient && !json.Valid(d.Payload) {
			t.Errorf("%s: lenient payload not standard JSON: %s", c.name, d.Payload)
		}
	}
}

func TestDecodeCanonicalKeyIgnoresFormatting(t *testing.T) {
	a := Decode(syncd.KindLokalebasen, []byte(`{"b":[1, 2.50],"a":{"y":"<&>","x":null}}`))
	b := Decode(syncd.KindLokalebasen, []byte("{\n  \"a\": {\"x\": null, \"y\": \"<&>\"},\n  \"b\": [1,2.50],\n}"))
	c := Decode(syncd.KindLokalebasen, []byte(`{"b":[1, 2.5],"a":{"y":"<&>","x":null}}`))
	if a.Key != b.Key {
		t.Fatalf("same content, different keys: %s %s", a.Key, b.Key)
	}
	if a.Key == c.Key {
		t.Fatal("2.50 and 2.5 are different bodies: numbers are kept exactly as sent")
	}
}

// FuzzDecode: any body decodes without panicking into either an event with
// a standard JSON object payload and a key, or a quarantine with a reason.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/webhooks/*/*.json")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b, file[len(file)-8:] == "ted.json")
	}
	f.Fuzz(func(t *testing.T, body []byte, lb bool) {
		kind := syncd.KindEAF
		if lb {
			kind = syncd.KindLokalebasen
		}
		d := Decode(kind, body)
		if d.Key == "" {
			t.Fatal("no idempotency key")
		}
		if d.Reason != "" {
			return
		}
		payload := body
		if d.Parse == syncd.ParseLenient {
			payload = d.Payload
		}
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(payload))
		dec.UseNumber() // numbers such as 1e400 are valid JSON, kept exactly
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("accepted body's payload is not a JSON object: %v", err)
		}
		// Decoding the standardised payload again gives the same key.
		if again := Decode(kind, payload); again.Key != d.Key {
			t.Fatalf("key changed on re-decode: %s vs %s", d.Key, again.Key)
		}
	})
}

// BenchmarkDecode decodes a ~700-byte Lokalebasen event (the costly kind:
// it has no id, so its canonical JSON is hashed). The "map-roundtrip"
// baseline is encoding/json's decode into a map and sorted re-encode.
//
//	go test ./internal/webhook -run '^$' -bench Decode -benchmem
func BenchmarkDecode(b *testing.B) {
	body := []byte(`{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"20064","external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},"enquiry":{"type":"client"},"client":{"email":"client1@example.com","name":"Angela Baker","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city, close to the metro, with room for 25 desks and two meeting rooms."}}`)
	b.Run("syncd", func(b *testing.B) {
		for b.Loop() {
			Decode(syncd.KindLokalebasen, body)
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
