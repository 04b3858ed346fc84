package syncd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// BenchmarkAppendJSONString measures AppendJSONString on a 0.5 KB text of
// plain ASCII, of Danish (a non-ASCII letter or sign and an & a line),
// of Cyrillic and of Chinese (mostly 2- and 3-byte runes), and of markup
// (an escape every few bytes), against encoding/json's Encoder on the same
// string in the same run. Run:
//
//	go test ./internal/syncd -run '^$' -bench AppendJSONString -benchmem
func BenchmarkAppendJSONString(b *testing.B) {
	texts := []struct{ name, text string }{
		{"ascii", strings.Repeat("We are looking for 250 m2 of office space in Aarhus, with parking. ", 8)},
		{"danish", strings.Repeat("Vi søger 250 m² kontor i Aarhus C & omegn, gerne med parkering.\n", 8)},
		{"cyrillic", strings.Repeat("Мы ищем офис площадью 250 м² в Орхусе, с парковкой. ", 8)},
		{"chinese", strings.Repeat("我们正在寻找奥胡斯250平方米的办公室，带停车位。", 8)},
		{"markup", strings.Repeat("<p>\"Quote\" & \\back\\ \t\n</p>", 16)},
	}
	for _, t := range texts {
		b.Run(t.name+"/direct", func(b *testing.B) {
			buf := make([]byte, 0, 4*len(t.text))
			b.SetBytes(int64(len(t.text)))
			for b.Loop() {
				buf = AppendJSONString(buf[:0], t.text)
			}
		})
		b.Run(t.name+"/encoding-json", func(b *testing.B) {
			var w bytes.Buffer
			enc := json.NewEncoder(&w)
			b.SetBytes(int64(len(t.text)))
			for b.Loop() {
				w.Reset()
				if err := enc.Encode(t.text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
