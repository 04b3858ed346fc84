package syncd

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// refStoredProps is how both stores rendered and hashed properties before
// StoredProps: encoding/json for the object, fmt for the hash's fields.
// Rows already in outboxes hold these, so StoredProps must agree with it.
func refStoredProps(op Op) (string, string) {
	props := op.Properties
	if props == nil {
		props = map[string]string{}
	}
	b, err := json.Marshal(props)
	if err != nil {
		panic(err)
	}
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	field(string(op.Kind))
	field(op.Key)
	field(op.ContactKey)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		field(name)
		field(props[name])
	}
	return string(b), hex.EncodeToString(h.Sum(nil))
}

// hostile are strings that encoding/json escapes in every way it has.
var hostile = []string{
	"", "plain", `"quoted"`, `back\slash`, "tab\there", "nl\nr\r", "\b\f\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "line\u2028para\u2029", "ÆØÅ æøå ü 日本 🏠", "bad \xff\xfe utf8 \xc3",
	"trunc \xe2\x80", "\u2028", "\xed\xa0\x80 surrogate", `{"nested":"json"}`, strings.Repeat("é<", 300),
}

func TestStoredPropsAgreesWithEncodingJSON(t *testing.T) {
	ops := []Op{
		{Kind: RecordContact, Key: "a@example.com"},
		{Kind: RecordDeal, Key: "lead-1", ContactKey: "a@example.com", Properties: map[string]string{}},
		{Kind: RecordContact, Key: "k", Properties: map[string]string{"email": "a@example.com", "firstname": "Ann"}},
	}
	for i, s := range hostile {
		ops = append(ops, Op{Kind: RecordDeal, Key: s, ContactKey: hostile[(i+1)%len(hostile)],
			Properties: map[string]string{s + "name": s, "z" + s: "v", "dealname": s + s}})
	}
	for _, op := range ops {
		props, hash := op.StoredProps()
		wantProps, wantHash := refStoredProps(op)
		if props != wantProps {
			t.Errorf("props of %q:\n got %s\nwant %s", op.Key, props, wantProps)
		}
		if hash != wantHash || op.PropsHash() != wantHash {
			t.Errorf("hash of %q: %s and %s, want %s", op.Key, hash, op.PropsHash(), wantHash)
		}
	}
}

func TestStoredPropsHashSeparatesFields(t *testing.T) {
	a := Op{Kind: RecordContact, Key: "ab", Properties: map[string]string{"c": "d"}}
	b := Op{Kind: RecordContact, Key: "a", ContactKey: "b", Properties: map[string]string{"c": "d"}}
	c := Op{Kind: RecordContact, Key: "ab", Properties: map[string]string{"c": "d", "e": ""}}
	if a.PropsHash() == b.PropsHash() || a.PropsHash() == c.PropsHash() {
		t.Fatal("different operations share a hash")
	}
}

func FuzzStoredProps(f *testing.F) {
	for i, s := range hostile {
		f.Add(s, hostile[(i+3)%len(hostile)])
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		op := Op{Kind: RecordContact, Key: value, ContactKey: name, Properties: map[string]string{name: value, "x": name}}
		props, hash := op.StoredProps()
		wantProps, wantHash := refStoredProps(op)
		if props != wantProps || hash != wantHash {
			t.Fatalf("StoredProps(%q: %q) = %s %s, want %s %s", name, value, props, hash, wantProps, wantHash)
		}
	})
}

// BenchmarkStoredProps renders and hashes a mapped lead's deal, against
// the encoding/json and fmt rendering it replaced, in the same run:
//
//	go test ./internal/syncd -run '^$' -bench StoredProps -benchmem
func BenchmarkStoredProps(b *testing.B) {
	op := Op{Kind: RecordDeal, Key: "lokalebasen:4711", ContactKey: "client17@example.com", Properties: map[string]string{
		"dealname": "Bakers Inc. – Dampfærgevej 10559", "pipeline": "default", "dealstage": "appointmentscheduled",
		"lead_source": "Lokalebasen", "description": "I would like something with a grand view over the city, close to the metro, with room for 25 desks.",
		"location_url": "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064",
		"location_id":  "20064", "external_key": "EJ-593915GV", "company": "Bakers Inc.", "phone": "+4552250559",
		"syncd_event_id": "4711", "received_at": "2026-11-30T07:41:08Z",
	}}
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			refStoredProps(op)
		}
	})
	b.Run("StoredProps", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			op.StoredProps()
		}
	})
}
