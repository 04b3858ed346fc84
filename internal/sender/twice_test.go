package sender

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestMemberGivenTwiceLastCopyKept: Decode's payload keeps only the last
// copy of a member given twice, at any depth and however its name is
// written, so that every reader reads the same one; the key is that of the
// body as read. Bodies without one keep no payload.
func TestMemberGivenTwiceLastCopyKept(t *testing.T) {
	for body, want := range map[string]string{
		`{"event_type":"enquiry_created","payload":{"client":{"email":"a@x","name":"A","email":"b@x"}}}`:           `{"event_type":"enquiry_created","payload":{"client":{"name":"A","email":"b@x"}}}`,
		`{"event_type":"enquiry_created","payload":{"client":{"name":"A", "n\u0061me":"B"}}}`:                      `{"event_type":"enquiry_created","payload":{"client":{"name":"B"}}}`,
		`{"event_type":"enquiry_created","event_type":"enquiry_created","a":[{"x":1,"x":[1, 2]}]}`:                 `{"event_type":"enquiry_created","a":[{"x":[1,2]}]}`,
		`{"event_type":"enquiry_created",/* c */ "p":{"k":"\"}{","k":"v",},}`:                                      `{"event_type":"enquiry_created","p":{"k":"v"}}`,
		`{"event_type":"enquiry_created","p":{` + manyMembers(40) + `,"m7":"again"}}`:                              "",
		`{"event_type":"enquiry_created","p":{"k":"v"},"q":{"k":"v"},"s":"\"k\":1,\"k\":2","r":[{"k":1},{"k":2}]}`: "-",
	} {
		d := Decode(syncd.KindLokalebasen, []byte(body), 0)
		if d.Reason != "" || d.Unrecognised != "" {
			t.Fatalf("%s: %s%s", body, d.Reason, d.Unrecognised)
		}
		switch want {
		case "-": // nothing given twice
			if strings.Contains(body, "/*") != (d.Payload != nil) {
				t.Errorf("%s: payload %s", body, d.Payload)
			}
			continue
		case "":
			want = strings.Replace(body, `"m7":"v7",`, "", 1)
		}
		if string(d.Payload) != want || d.Parse != syncd.ParseLenient {
			t.Errorf("%s:\n payload %s (%s)\n want    %s", body, d.Payload, d.Parse, want)
		}
		if k := Decode(syncd.KindLokalebasen, []byte(want), 0).Key; d.Key != k {
			t.Errorf("%s: key %s, not the key of the body as read (%s)", body, d.Key, k)
		}
	}
}

func manyMembers(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"m` + string(rune('0'+i/10)) + string(rune('0'+i%10)) + `":"v"`)
	}
	return strings.NewReplacer(`"m07":"v"`, `"m7":"v7"`).Replace(b.String())
}

// FuzzScan compares scan with the depth check it replaced, on any input,
// and, on JSON objects, its finding of a member given twice with decoded
// names' and lastCopies with encoding/json, which keeps a member's last
// copy: the payload reads as the body does.
func FuzzScan(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/webhooks/*/*.json")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Add([]byte(`{"a":{"b":1,"c":[{"d":"\\","d":"\""}]},"b\u0000":2,"b":3}`))
	f.Add([]byte(`{"a":"x","\u0061":"y"}`))
	f.Add([]byte("{/* \"a\":[[ */\"a\":1, // ]\n\"b\":[2,],\"a\":3,}"))
	f.Add([]byte(`]]]{"a":[[[{"a":1}]]],"x":"\"`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		const limit = 8
		n, err := scan(doc, limit)
		if (err != nil) != (depthOver(doc, limit) != nil) {
			t.Fatalf("scan: %v, the old depth check disagrees", err)
		}
		if err != nil || !json.Valid(doc) || !isObject(doc) {
			return
		}
		if got, want := n.twice || n.escaped && twiceDecoded(gjson.ParseBytes(doc)), twiceDecoded(gjson.ParseBytes(doc)); got != want {
			t.Fatalf("scan says twice %v, decoded names say %v", got, want)
		}
		var before, after any
		out := lastCopies(nil, gjson.ParseBytes(doc))
		if err := decodeNumbers(doc, &before); err != nil {
			t.Skip() // names encoding/json decodes otherwise (invalid UTF-8 escapes)
		}
		if err := decodeNumbers(out, &after); err != nil || !reflect.DeepEqual(before, after) {
			t.Fatalf("lastCopies %s (%v): reads otherwise than %s", out, err, doc)
		}
		if twiceDecoded(gjson.ParseBytes(out)) {
			t.Fatalf("lastCopies %s still gives a member twice", out)
		}
	})
}

// depthOver is the depth check scan replaced, byte by byte.
func depthOver(body []byte, limit int) error {
	depth, st := 0, stCode
	for _, c := range body {
		switch st {
		case stString:
			if c == '\\' {
				st = stEscape
			} else if c == '"' {
				st = stCode
			}
			continue
		case stEscape:
			st = stString
			continue
		}
		if st = commentState(st, c); st != stCode {
			continue
		}
		switch c {
		case '"':
			st = stString
		case '[', '{':
			if depth++; depth > limit {
				return errTooDeep{limit}
			}
		case ']', '}':
			depth--
		}
	}
	return nil
}

func decodeNumbers(doc []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	return dec.Decode(v)
}
