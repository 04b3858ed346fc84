package syncd

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString checks AppendJSONString against encoding/json, byte
// for byte, from strings with an escape at every offset of a word, and
// 2-byte runes valid, cut short at the end, across a word's end and
// invalid.
func FuzzAppendJSONString(f *testing.F) {
	all := make([]byte, 0, 512)
	for i := range 256 {
		all = append(all, byte(i))
	}
	for i := range 256 {
		all = append(all, byte(255-i))
	}
	for _, s := range []string{"", "plain ascii text", `"q"\b`, "<a href='x'>&amp;</a>", "\x00\x1f\x7f\t\n\r\b\f",
		"line\u2028para\u2029", "bad\xff\xe2\x80\xed\xa0\x80", "ÆØÅ 🙂 \ufffd", "eight ok<eight ok&eight o>", string(all),
		"seven o\xc3\xa6 seven\xc3", "\xc0\x80\xc1\xbf\xc2\x7f\xdf\xc0", "<\xc3\xa6\xc3\xa6\xc3\xa6\xc3\xa6\n\xe2\x80\xa8ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendJSONString([]byte("x"), s); !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}
