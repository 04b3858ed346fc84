package syncd_test

import (
	"bytes"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkMatcher measures Matcher.Match on a ~1 KB body that does not
// mention the subject, for an ASCII-only address and for one with å
// (bodies lower-cased letter by letter, JSON escapes read):
//
//	go test ./internal/syncd -run '^$' -bench Matcher
func BenchmarkMatcher(b *testing.B) {
	body := []byte(`{"payload":{"client":{"name":"J\u00f8rgen Hansen","email":"person12@example.com","phone":"+45 20 12 34 56"},` +
		`"comment":"` + string(bytes.Repeat([]byte("Vi s\u00f8ger et lokale p\u00e5 200 m2 t\u00e6t p\u00e5 metroen. "), 16)) + `"}}`)
	for _, c := range []struct{ name, email, escaped string }{
		{"ascii", "person777@example.com", `person777\u0040example.com`},
		{"danish", "åge@åbo.dk", `\u00e5ge@\u00e5bo.dk`},
	} {
		m := syncd.Subject{Patterns: []string{c.email, c.escaped}, Phones: []string{"20123457"}}.Matcher()
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for range b.N {
				if m.Match(body) {
					b.Fatal("found")
				}
			}
		})
	}
}
