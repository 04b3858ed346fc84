package sender

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
		name, body   string
		kind         syncd.Kind
		typ, key     string
		parse        syncd.ParseStatus
		quarantine   bool
		unrecognised bool
	}{
		{"eaf id", `{"eaf_type":"email_lead","eaf_id":"77"}`, syncd.KindEAF, "email_lead", "eaf:77", syncd.ParseStrict, false, false},
		{"eaf without id hashes", `{"eaf_type":"feed_import"}`, syncd.KindEAF, "feed_import", "sha256:", syncd.ParseStrict, false, false},
		{"eaf_id ignored for lokalebasen", `{"event_type":"enquiry_created","eaf_id":"1"}`, syncd.KindLokalebasen, "enquiry_created", "sha256:", syncd.ParseStrict, false, false},
		{"trailing commas", `{"event_type":"enquiry_created","payload":{"a":1,},}`, syncd.KindLokalebasen, "enquiry_created", "sha256:", syncd.ParseLenient, false, false},
		{"comments", "{/* c */\"event_type\":\"x\" // end\n}", syncd.KindLokalebasen, "x", "sha256:", syncd.ParseLenient, false, false},
		{"comment markers in strings", `{"event_type":"x","u":"http://a/*b*/",}`, syncd.KindLokalebasen, "x", "sha256:", syncd.ParseLenient, false, false},
		{"byte-order mark", "\xEF\xBB\xBF{\"event_type\":\"x\"}", syncd.KindLokalebasen, "x", "sha256:", syncd.ParseLenient, false, false},
		{"not JSON", `event_type=x`, syncd.KindLokalebasen, "", "sha256:", "", true, false},
		{"array", `[1,2]`, syncd.KindLokalebasen, "", "sha256:", "", true, false},
		{"trailing garbage", `{}}`, syncd.KindEAF, "", "sha256:", "", true, false},
		{"two objects", `{} {}`, syncd.KindEAF, "", "sha256:", "", true, false},
		{"double comma", `{"a":1,,}`, syncd.KindEAF, "", "sha256:", "", true, false},
		{"lone slash", `{"a":1}/`, syncd.KindEAF, "", "sha256:", "", true, false},
		{"unclosed comment", `{"a":1}/*`, syncd.KindEAF, "", "sha256:", "", true, false},
		{"latin-1", "{\"event_type\":\"enquiry_created\",\"payload\":{\"client\":{\"name\":\"S\xf8ren\"}}}", syncd.KindLokalebasen, "", "sha256:", "", true, false},
		{"latin-1 in a comment", "{\"event_type\":\"x\" /* \xe6 */}", syncd.KindLokalebasen, "", "sha256:", "", true, false},
		{"escaped non-ASCII", `{"event_type":"x","n":"S\u00f8ren \ud83d\ude00"}`, syncd.KindLokalebasen, "x", "sha256:", syncd.ParseStrict, false, false},
		{"UTF-8 non-ASCII", `{"event_type":"x","n":"Søren 😀"}`, syncd.KindLokalebasen, "x", "sha256:", syncd.ParseStrict, false, false},
		{"too deep", strings.Repeat("[", 257) + strings.Repeat("]", 257), syncd.KindEAF, "", "sha256:", "", true, false},
		{"deep inside a string is fine", `{"eaf_type":"x","s":"` + strings.Repeat("[", 5000) + `"}`, syncd.KindEAF, "x", "sha256:", syncd.ParseStrict, false, false},
		{"type not a string", `{"event_type":7}`, syncd.KindLokalebasen, "", "sha256:", syncd.ParseStrict, false, true},
		{"lokalebasen body to an eaf source", `{"event_type":"enquiry_created","payload":{}}`, syncd.KindEAF, "", "sha256:", syncd.ParseStrict, false, true},
		{"eaf body to a lokalebasen source", `{"eaf_type":"email_lead","eaf_id":"9"}`, syncd.KindLokalebasen, "", "sha256:", syncd.ParseStrict, false, true},
		{"both type fields", `{"eaf_type":"email_lead","event_type":"enquiry_created"}`, syncd.KindLokalebasen, "enquiry_created", "sha256:", syncd.ParseStrict, false, true},
	}
	for _, c := range cases {
		d := Decode(c.kind, []byte(c.body), 0)
		if d.Type != c.typ || !strings.HasPrefix(d.Key, c.key) || (d.Reason != "") != c.quarantine ||
			(!c.quarantine && d.Parse != c.parse) || (d.Unrecognised != "") != c.unrecognised {
			t.Errorf("%s: %+v", c.name, d)
		}
		if d.Parse == syncd.ParseLenient && !json.Valid(d.Payload) {
			t.Errorf("%s: lenient payload not standard JSON: %s", c.name, d.Payload)
		}
	}
}

// TestNonUTF8BodyIsQuarantined: a body in Latin-1 was stored as strict
// JSON and mapped with U+FFFD for each letter such as ø (so søren@ and
// særen@ became one address); it goes to the quarantine, saying where.
func TestNonUTF8BodyIsQuarantined(t *testing.T) {
	body := []byte("{\"event_type\":\"enquiry_created\",\"payload\":{\"client\":{\"email\":\"s\xf8ren@example.dk\"}}}")
	d := Decode(syncd.KindLokalebasen, body, 0)
	if !strings.HasPrefix(d.Reason, "invalid UTF-8 at byte 63:") {
		t.Fatalf("reason %q", d.Reason)
	}
}

// TestDecodeNeverChangesTheBody: the raw body is stored byte for byte, so
// the lenient pass must work on a copy (hujson blanked comments in place).
func TestDecodeNeverChangesTheBody(t *testing.T) {
	for _, s := range []string{
		"{/* c */\"event_type\":\"x\", // end\n}",
		"\xEF\xBB\xBF{\"event_type\":\"x\",}",
		`{"event_type":"x","a":[1,2,],}`,
	} {
		body := []byte(s)
		d := Decode(syncd.KindLokalebasen, body, 0)
		if string(body) != s {
			t.Errorf("body changed by Decode: %q became %q", s, body)
		}
		if d.Parse != syncd.ParseLenient || d.Type != "x" {
			t.Errorf("%q: %+v", s, d)
		}
	}
}

// TestDeepBodyIsQuarantinedWithoutRecursing: a body of a million '[' is
// refused by the depth scan, in memory that does not grow with it.
func TestDeepBodyIsQuarantinedWithoutRecursing(t *testing.T) {
	for _, body := range [][]byte{
		bytes.Repeat([]byte("["), 1<<20),
		append(bytes.Repeat([]byte("["), 620_000), ',', '/', '*'),
		[]byte(`{"a":` + strings.Repeat(`{"a":`, 300) + `1` + strings.Repeat("}", 301)),
	} {
		allocs := testing.AllocsPerRun(3, func() { Decode(syncd.KindLokalebasen, body, 0) })
		d := Decode(syncd.KindLokalebasen, body, 0)
		if !strings.Contains(d.Reason, "nesting deeper than 256") {
			t.Fatalf("reason %q", d.Reason)
		}
		// A handful, whatever the body's length (growing with it, it would be
		// thousands): the object stack of the member-given-twice check grows
		// at most twice, and under -race a few more values escape (9 and 11
		// for 300 nested objects).
		if allocs > 16 {
			t.Errorf("%d allocations for a body refused by its depth", int(allocs))
		}
	}
	if d := Decode(syncd.KindLokalebasen, []byte(strings.Repeat("[", 20)+strings.Repeat("]", 20)), 10); !strings.Contains(d.Reason, "deeper than 10") {
		t.Errorf("configured limit not used: %q", d.Reason)
	}
}

func TestCanonicalNormalisesEscapes(t *testing.T) {
	same := [][]string{
		{`{"b":"ø","a":"x/y"}`, `{"a":"x\/y","b":"\u00f8"}`, "{\"a\" : \"x\\/y\",\n \"b\":\"\\u00F8\",}"},
		{`{"s":"<&>\u2028"}`, `{"s":"\u003c\u0026\u003e\u2028"}`},
		{`{"t":"a\tb\"c\\"}`, `{"t":"a\u0009b\u0022c\u005c"}`},
		{`{"k\u00e9":1}`, `{"ké":1}`},
	}
	for _, group := range same {
		want := Decode(syncd.KindLokalebasen, []byte(group[0]), 0).Key
		for _, s := range group[1:] {
			if got := Decode(syncd.KindLokalebasen, []byte(s), 0).Key; got != want {
				t.Errorf("%s and %s: different keys", group[0], s)
			}
		}
	}
	a := Decode(syncd.KindLokalebasen, []byte(`{"b":[1, 2.50],"a":{"y":"<&>","x":null}}`), 0)
	b := Decode(syncd.KindLokalebasen, []byte(`{"b":[1, 2.5],"a":{"y":"<&>","x":null}}`), 0)
	if a.Key == b.Key {
		t.Fatal("2.50 and 2.5 are different bodies: numbers are kept exactly as sent")
	}
	if got := string(Canonical([]byte(`{"b":{"d":[true,null,"\/"],"c":1e3},"a":""}`))); got != `{"a":"","b":{"c":1e3,"d":[true,null,"/"]}}` {
		t.Errorf("canonical: %s", got)
	}
}

// TestKeysOfPlainBodiesUnchanged: bodies without escapes keep the key the
// previous implementation gave them, so that a retry spanning an upgrade
// is still a duplicate.
func TestKeysOfPlainBodiesUnchanged(t *testing.T) {
	want := map[string]string{
		"lokalebasen/enquiry_created.json": "sha256:57c68e167b25099fa22f8f2d4eeaa3906d34a361b9aa1536d2c67bfeda41ec74",
		"eaf/email_lead.json":              "eaf:77722226661727188822717",
	}
	for file, key := range want {
		b, err := os.ReadFile(filepath.Join("../../testdata/webhooks", file))
		if err != nil {
			t.Fatal(err)
		}
		if got := Decode(syncd.Kind(filepath.Dir(file)), b, 0).Key; got != key {
			t.Errorf("%s: key %s, was %s", file, got, key)
		}
	}
	if got := Decode(syncd.KindLokalebasen, []byte(`{"event_type":"enquiry_created","a":{"z":1,"b":[1,2.50,"x"]}}`), 0).Key; got != "sha256:589650023331f54bacdf6e4759a17bda0ab9e644d87370724889cb56066275f4" {
		t.Errorf("key %s", got)
	}
}

func TestLogType(t *testing.T) {
	for in, want := range map[string]string{
		"enquiry_created": "enquiry_created", "viewing_booked": "viewing_booked", "": "",
		"jane@example.com": "(other)", "Jane Doe": "(other)", strings.Repeat("a", 80): "(other)",
	} {
		if got := LogType(in); got != want {
			t.Errorf("LogType(%q) = %q", in, got)
		}
	}
}

// FuzzDecode: any body decodes without panicking, and without changing it,
// into either an event with a standard JSON object payload and a key, or a
// quarantine with a reason. Seeded with the documented examples, deep
// nesting and comments: it finds a parser that recurses or edits in place.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/webhooks/*/*.json")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b, file[len(file)-8:] == "ted.json")
	}
	f.Add(bytes.Repeat([]byte("["), 100_000), true)
	f.Add([]byte(strings.Repeat(`{"a":`, 300)+"1"+strings.Repeat("}", 300)), false)
	f.Add([]byte("{/* c */\"event_type\":\"x\", // end\n\"a\":[1,],}"), true)
	f.Fuzz(func(t *testing.T, body []byte, lb bool) {
		kind := syncd.KindEAF
		if lb {
			kind = syncd.KindLokalebasen
		}
		orig := bytes.Clone(body)
		d := Decode(kind, body, 0)
		if !bytes.Equal(orig, body) {
			t.Fatal("Decode changed the body")
		}
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
		if again := Decode(kind, payload, 0); again.Key != d.Key {
			t.Fatalf("key changed on re-decode: %s vs %s", d.Key, again.Key)
		}
	})
}

// TestWrongSourceNamesTheKind: a body of the other kind, posted to the
// wrong source, is named as that kind's, in English either way.
func TestWrongSourceNamesTheKind(t *testing.T) {
	for kind, c := range map[syncd.Kind]struct{ body, want string }{
		syncd.KindLokalebasen: {`{"eaf_type":"email_lead","eaf_id":"1"}`, "looks like an eaf body (it has eaf_type), not lokalebasen"},
		syncd.KindEAF:         {`{"event_type":"enquiry_created","payload":{}}`, "looks like a lokalebasen body (it has event_type), not eaf"},
	} {
		if d := Decode(kind, []byte(c.body), 0); !strings.Contains(d.Unrecognised, c.want) {
			t.Errorf("%s: unrecognised %q, want %q", kind, d.Unrecognised, c.want)
		}
	}
}
