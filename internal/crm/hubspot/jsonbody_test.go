package hubspot

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
)

// hostile are strings encoding/json escapes in every way it knows.
var hostile = []string{
	"", "plain", `"quoted"`, `back\slash`, "tab\tnew\nline\rret", "\b\f", "\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "line\u2028para\u2029sep", "bad\xffutf8", "cut\xe2\x80", "\xed\xa0\x80surrogate",
	"\xf4\x90\x80\x80beyond", "ÆØÅ æøå", "emoji 🙂", "\ufeffbom", "\ufffd", "a\u2027b\u202ac", "Z", "z", "é", "ä",
	"eight ok\"eight ok\\eight o<eight o>eight o&eight \x1f\x7f~ eight ok", allBytes(),
}

// allBytes is every byte value, in order, then backwards.
func allBytes() string {
	b := make([]byte, 0, 512)
	for i := range 256 {
		b = append(b, byte(i))
	}
	for i := range 256 {
		b = append(b, byte(255-i))
	}
	return string(b)
}

// oldUpsertBody is the body as it was encoded before: encoding/json.
func oldUpsertBody(t testing.TB, inputs []input) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"inputs": inputs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUpsertBodyIsEncodingJSONs(t *testing.T) {
	t.Parallel()
	props := map[string]string{}
	for i, s := range hostile {
		props[s] = hostile[len(hostile)-1-i]
	}
	inputs := []input{
		{ID: "a@example.com", IDProperty: "email", Properties: props, TraceID: "syncd-0"},
		{ID: "no trace", IDProperty: "lead_id", Properties: map[string]string{}},
		{ID: "nil properties", IDProperty: "lead_id"},
	}
	for i, s := range hostile {
		inputs = append(inputs, input{ID: s, IDProperty: s, Properties: map[string]string{s: s, "k": s}, TraceID: s})
		inputs = append(inputs, input{ID: strconv.Itoa(i), IDProperty: "email", Properties: map[string]string{"v": s}})
	}
	got, want := upsertBody(inputs), oldUpsertBody(t, inputs)
	if !bytes.Equal(got, want) {
		t.Fatalf("body differs from encoding/json's:\n got %s\nwant %s", got, want)
	}
	if !json.Valid(got) {
		t.Fatal("body is not valid JSON")
	}
}

func TestAssociateAndReadBodiesAreEncodingJSONs(t *testing.T) {
	t.Parallel()
	var assoc []assocInput
	var ins []input
	for i, s := range hostile {
		assoc = append(assoc, assocInput{From: assocRef{s}, To: assocRef{strconv.Itoa(i)}})
		ins = append(ins, input{ID: s, IDProperty: "email"})
	}
	want, _ := json.Marshal(map[string]any{"inputs": assoc})
	if got := associateBody(assoc); !bytes.Equal(got, want) {
		t.Fatalf("association body:\n got %s\nwant %s", got, want)
	}
	for _, idProp := range []string{"email", "lead<id>"} {
		ids := make([]map[string]string, len(ins))
		for i, in := range ins {
			ids[i] = map[string]string{"id": in.ID}
		}
		want, _ := json.Marshal(map[string]any{"idProperty": idProp, "properties": []string{idProp}, "inputs": ids})
		if got := readBody(idProp, ins); !bytes.Equal(got, want) {
			t.Fatalf("read body:\n got %s\nwant %s", got, want)
		}
		want, _ = json.Marshal(map[string]any{"idProperty": idProp, "properties": []string{idProp, hostile[6], "hs_additional_emails"}, "inputs": ids})
		if got := readBody(idProp, ins, hostile[6], "hs_additional_emails"); !bytes.Equal(got, want) {
			t.Fatalf("read body asking for more:\n got %s\nwant %s", got, want)
		}
	}
}

// FuzzUpsertBody checks that any strings, as id, property name and value,
// are encoded byte for byte as encoding/json encodes them.
func FuzzUpsertBody(f *testing.F) {
	for i, s := range hostile {
		f.Add(s, hostile[(i+1)%len(hostile)], hostile[(i+2)%len(hostile)])
	}
	f.Fuzz(func(t *testing.T, id, name, value string) {
		inputs := []input{
			{ID: id, IDProperty: "email", Properties: map[string]string{name: value, value: id, "email": id}, TraceID: "syncd-0"},
			{ID: value, IDProperty: name, Properties: map[string]string{id: name}},
		}
		got, want := upsertBody(inputs), oldUpsertBody(t, inputs)
		if !bytes.Equal(got, want) {
			t.Fatalf("body differs from encoding/json's:\n got %q\nwant %q", got, want)
		}
	})
}

// TestUpsertBodyOfRecordsWithOtherNamesIsEncodingJSONs covers the reuse of
// a record's sorted names for the next: records whose names are the same
// (in another order), as many but others, missing the first or a later one
// of the names before, more, fewer, none and nil, in turn.
func TestUpsertBodyOfRecordsWithOtherNamesIsEncodingJSONs(t *testing.T) {
	t.Parallel()
	props := []map[string]string{
		{"b": "1", "a": "2", "c": "<3>"},
		{"c": "4", "b": "5", "a": "6"},
		{"a": "7", "b": "8", "d": "9"},
		{"a0": "10", "b": "11", "d": "12"},
		{"a0": "13", "b": "14", "d": "15", "e": "16"},
		{"d": "17", "a0": "18", "b": "19", "e": "20"},
		{"b": "21"},
		{},
		nil,
		{"a": "22", "a0": "23", "b": "24", "d": "25"},
		{"a": "26", "a0": "27", "b": "28", "d\u2028": "29"},
	}
	var inputs []input
	for i, p := range props {
		inputs = append(inputs, input{ID: strconv.Itoa(i), IDProperty: "email", Properties: p})
	}
	got, want := upsertBody(inputs), oldUpsertBody(t, inputs)
	if !bytes.Equal(got, want) {
		t.Fatalf("body differs from encoding/json's:\n got %s\nwant %s", got, want)
	}
}
