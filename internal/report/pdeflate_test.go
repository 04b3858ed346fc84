package report

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	kflate "github.com/klauspost/compress/flate"
)

// sheetLike is n bytes of XML-like rows with some randomness, so chunks
// compress as a sheet does rather than to nothing.
func sheetLike(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>lead%x@example.com</t></is></c></row>`, i, i, r.Uint64())
	}
	return b.Bytes()[:n]
}

// TestParallelDeflateRoundTrip inflates what parallelDeflate wrote, for
// sizes around the chunk boundaries and written in odd pieces, with the
// standard library's reader.
func TestParallelDeflateRoundTrip(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, deflateChunk - 1, deflateChunk, deflateChunk + 1, 7*deflateChunk/2 + 13} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			in := sheetLike(n)
			var out bytes.Buffer
			z := newParallelDeflate(&out, kflate.BestSpeed)
			for p := in; len(p) > 0; {
				k := min(len(p), 300_007)
				if m, err := z.Write(p[:k]); err != nil || m != k {
					t.Fatalf("write: %d, %v", m, err)
				}
				p = p[k:]
			}
			if err := z.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(flate.NewReader(&out))
			if err != nil {
				t.Fatalf("inflate: %v", err)
			}
			if !bytes.Equal(got, in) {
				t.Fatalf("inflated %d bytes, not the %d written", len(got), len(in))
			}
			if n > deflateChunk && out.Len() > n/3 {
				t.Errorf("%d bytes compressed to %d", n, out.Len())
			}
		})
	}
}

// failingWriter fails every write after the first ok bytes.
type failingWriter struct{ ok int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.ok < len(p) {
		return 0, errors.New("disk full")
	}
	w.ok -= len(p)
	return len(p), nil
}

// TestParallelDeflateWriteError: an error writing the output comes back
// from Write or Close, and Close returns only once no chunk is running.
func TestParallelDeflateWriteError(t *testing.T) {
	t.Parallel()
	z := newParallelDeflate(&failingWriter{ok: 1000}, kflate.BestSpeed)
	in := sheetLike(8 * deflateChunk)
	_, werr := z.Write(in)
	cerr := z.Close()
	if werr == nil && cerr == nil {
		t.Fatal("no error from a failing output")
	}
	if cerr == nil || cerr.Error() != "disk full" {
		t.Errorf("close: %v, want the output's error", cerr)
	}
}

// BenchmarkDeflate compresses 64 MiB of sheet-like XML with one klauspost
// deflate writer (the baseline) and with parallelDeflate:
//
//	go test ./internal/report -run '^$' -bench Deflate
func BenchmarkDeflate(b *testing.B) {
	in := sheetLike(64 << 20)
	for _, c := range []struct {
		name string
		w    func(io.Writer) io.WriteCloser
	}{
		{"single", func(out io.Writer) io.WriteCloser { w, _ := kflate.NewWriter(out, kflate.BestSpeed); return w }},
		{"parallel", func(out io.Writer) io.WriteCloser { return newParallelDeflate(out, kflate.BestSpeed) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				w := c.w(io.Discard)
				if _, err := w.Write(in); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
