package report

import (
	"bytes"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// deflateChunk is how much input each of parallelDeflate's goroutines
// compresses at a time. Every chunk starts a fresh 32 KiB window, which at
// this size costs well under 1% of the output.
const deflateChunk = 1 << 20

// parallelDeflate is a raw deflate stream (as a zip part holds) whose
// chunks are compressed on several goroutines at once (one per core, at
// most maxDeflaters), as pigz does: each chunk is compressed on its own
// and ends with a sync flush, which leaves it byte-aligned and not final,
// so the chunks join into one valid stream, ended by an empty final block.
// The output goes to out in order, on the goroutine that calls Write and
// Close. A day's Leads sheet is about a gigabyte of XML zipped after every
// row is written, when no other work is left for the other cores.
type parallelDeflate struct {
	out     io.Writer
	level   int
	buf     []byte
	pending []*deflateJob // submitted, in order, not yet written to out
	slots   chan struct{} // one per running compression
	pool    *sync.Pool    // of *flate.Writer
	err     error
}

// deflateJob is one chunk being compressed.
type deflateJob struct {
	in   []byte
	out  bytes.Buffer
	err  error
	done chan struct{}
}

// maxDeflaters bounds the goroutines (and so the memory: about 2 MiB
// each, input and output) one part is compressed on, however many cores
// the machine has; four already outrun the writing of the sheet.
const maxDeflaters = 4

func newParallelDeflate(out io.Writer, level int) *parallelDeflate {
	n := min(runtime.GOMAXPROCS(0), maxDeflaters)
	return &parallelDeflate{out: out, level: level, slots: make(chan struct{}, n),
		pool: &sync.Pool{New: func() any {
			w, _ := flate.NewWriter(nil, level) // only an unknown level errs
			return w
		}}}
}

// Write buffers p and hands each full chunk to a goroutine.
func (z *parallelDeflate) Write(p []byte) (int, error) {
	if z.err != nil {
		return 0, z.err
	}
	n := len(p)
	for len(p) > 0 {
		if z.buf == nil {
			z.buf = make([]byte, 0, deflateChunk)
		}
		k := min(len(p), deflateChunk-len(z.buf))
		z.buf, p = append(z.buf, p[:k]...), p[k:]
		if len(z.buf) == deflateChunk {
			if err := z.submit(); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

// submit starts compressing the buffered chunk, first writing out the
// oldest chunks while every goroutine is busy.
func (z *parallelDeflate) submit() error {
	j := &deflateJob{in: z.buf, done: make(chan struct{})}
	z.buf = nil
	for len(z.pending) > cap(z.slots) {
		if err := z.writeOldest(); err != nil {
			return err
		}
	}
	z.slots <- struct{}{}
	z.pending = append(z.pending, j)
	go func() {
		defer func() { <-z.slots; close(j.done) }()
		w := z.pool.Get().(*flate.Writer)
		defer z.pool.Put(w)
		w.Reset(&j.out)
		if _, j.err = w.Write(j.in); j.err == nil {
			j.err = w.Flush()
		}
		j.in = nil
	}()
	return nil
}

// writeOldest waits for the oldest chunk and writes it to out.
func (z *parallelDeflate) writeOldest() error {
	j := z.pending[0]
	z.pending = z.pending[1:]
	<-j.done
	if j.err == nil && z.err == nil {
		_, j.err = z.out.Write(j.out.Bytes())
	}
	if j.err != nil && z.err == nil {
		z.err = j.err
	}
	return z.err
}

// Close compresses what is buffered, writes every chunk in order and ends
// the stream with an empty final block.
func (z *parallelDeflate) Close() error {
	if z.err == nil && len(z.buf) > 0 {
		z.err = z.submit()
	}
	for len(z.pending) > 0 {
		z.writeOldest() // waits for each, so none outlives Close
	}
	if z.err != nil {
		return z.err
	}
	w := z.pool.Get().(*flate.Writer)
	w.Reset(z.out)
	z.err = w.Close() // the final block: empty, so no window is lost
	return z.err
}
