package report

import (
	"context"
	"sync"
)

// batchRows is how many rows travel from a reader to the writer at a time.
const batchRows = 512

// rowBatch is a batch of finished rows for one sheet, with the height of
// each (streamSheet.height).
type rowBatch struct {
	sheet   *streamSheet
	rows    [][]any
	heights []float64
}

// pipe runs one reader goroutine per sheet (each with its own query on the
// store's read pool, turning rows into cells) and writes every row on the
// calling goroutine, the only one that touches the workbook: excelize is
// not safe for concurrent use, but rows of different streamed sheets may be
// written interleaved. A day of a million leads so keeps both cores busy
// while memory stays a few batches deep.
type pipe struct {
	ctx    context.Context
	cancel context.CancelFunc
	full   chan rowBatch
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error          // the first error of any reader or of the writer
	done   func(rows int) // told of each batch written; nil: nobody asked
}

func newPipe(ctx context.Context, done func(rows int)) *pipe {
	ctx, cancel := context.WithCancel(ctx)
	return &pipe{ctx: ctx, cancel: cancel, full: make(chan rowBatch, 8), done: done}
}

// fail records err if it is the first, and stops every reader.
func (p *pipe) fail(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.cancel()
}

// read starts fn on its own goroutine; rows it emits go to sh.
func (p *pipe) read(sh *streamSheet, fn func(ctx context.Context, emit func(row ...any) error) error) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		var (
			rows    [][]any
			heights []float64
		)
		send := func() error {
			select {
			case p.full <- rowBatch{sh, rows, heights}:
				rows, heights = make([][]any, 0, batchRows), make([]float64, 0, batchRows)
				return nil
			case <-p.ctx.Done():
				return p.ctx.Err()
			}
		}
		rows, heights = make([][]any, 0, batchRows), make([]float64, 0, batchRows)
		err := fn(p.ctx, func(row ...any) error {
			shownCells(row)
			rows, heights = append(rows, row), append(heights, sh.height(row))
			if len(rows) == batchRows {
				return send()
			}
			return nil
		})
		if err == nil && len(rows) > 0 {
			err = send()
		}
		if err != nil {
			p.fail(err)
		}
	}()
}

// write writes the readers' rows until they are all done, and returns the
// first error of any of them or of the writing.
func (p *pipe) write() error {
	go func() {
		p.wg.Wait()
		close(p.full)
	}()
	failed := false
	for b := range p.full {
		for i := 0; i < len(b.rows) && !failed; i++ {
			if err := b.sheet.row(b.heights[i], b.rows[i]...); err != nil {
				p.fail(err)
				failed = true
			}
		}
		if p.done != nil && !failed {
			p.done(len(b.rows))
		}
	}
	p.cancel()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}
