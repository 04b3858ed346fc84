package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
)

// progress shows how far a long command has got, on one line of a
// terminal: count, rate and time left. It prints nothing when stderr is
// not a terminal (a pipe, a log, a test), so scripts see only results.
type progress struct {
	w     io.Writer // nil: quiet
	what  string
	total int // 0: unknown, no time left shown
	done  int
	start time.Time
	shown time.Time
	now   func() time.Time
}

// progressEvery is how often the line is redrawn.
const progressEvery = 200 * time.Millisecond

// newProgress counts what towards total on c's stderr if it is a terminal.
func (c *cli) newProgress(what string, total int) *progress {
	p := &progress{what: what, total: total, now: time.Now}
	if f, ok := c.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		p.w = f
	}
	p.start = p.now()
	return p
}

// add counts n more done and redraws the line at most every progressEvery.
func (p *progress) add(n int) {
	p.done += n
	if p.w == nil {
		return
	}
	if now := p.now(); now.Sub(p.shown) >= progressEvery {
		p.shown = now
		fmt.Fprintf(p.w, "\r\033[K%s", p.line(now))
	}
}

// line is what add draws: "replay: 1200/5000 events, 340/s, 11s left".
func (p *progress) line(now time.Time) string {
	elapsed := now.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.done) / elapsed
	}
	s := fmt.Sprintf("%s: %d", p.what, p.done)
	if p.total > 0 {
		s = fmt.Sprintf("%s: %d/%d", p.what, p.done, p.total)
	}
	s += fmt.Sprintf(", %.0f/s", rate)
	if p.total > 0 && rate > 0 && p.done < p.total {
		left := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
		s += fmt.Sprintf(", %s left", left.Round(time.Second))
	}
	return s
}

// finish clears the line so the command's own output starts clean.
func (p *progress) finish() {
	if p.w != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// over returns w made to clear the progress line before each write, so
// that a command's own lines and the progress line do not run together.
func (p *progress) over(w io.Writer) io.Writer {
	if p.w == nil {
		return w
	}
	return clearing{p: p, w: w}
}

type clearing struct {
	p *progress
	w io.Writer
}

func (c clearing) Write(b []byte) (int, error) {
	fmt.Fprint(c.p.w, "\r\033[K")
	c.p.shown = time.Time{} // redraw at the next add
	return c.w.Write(b)
}
