package storesql

import (
	"context"
	"errors"
	"testing"
)

// TestDollarNumbersPlaceholders: PostgreSQL gets $N where SQLite has ?N,
// and nothing else of the statement changes.
func TestDollarNumbersPlaceholders(t *testing.T) {
	for in, want := range map[string]string{
		`UPDATE t SET a = ?1 WHERE b = ?12 AND c IN (?2, ?3)`: `UPDATE t SET a = $1 WHERE b = $12 AND c IN ($2, $3)`,
		`SELECT '?' || x, y?`: `SELECT '?' || x, y?`,
		`?1`:                  `$1`,
	} {
		if got := Dollar(in); got != want {
			t.Errorf("Dollar(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRunCountsEachStepAndStopsAtAnError: each step's count lands where it
// says, and a failing step ends the run.
func TestRunCountsEachStepAndStopsAtAnError(t *testing.T) {
	var a, b int
	var ran []string
	exec := func(_ context.Context, query string, _ ...any) (int64, error) {
		ran = append(ran, query)
		if query == "fail" {
			return 0, errors.New("refused")
		}
		return int64(len(query)), nil
	}
	err := Run(context.Background(), exec, []Step{{&a, "one", nil}, {nil, "three", nil}, {&b, "fifth", nil}})
	if err != nil || a != 3 || b != 5 || len(ran) != 3 {
		t.Fatalf("run = %v, counts %d %d, ran %q", err, a, b, ran)
	}
	err = Run(context.Background(), exec, []Step{{&a, "fail", nil}, {&b, "never", nil}})
	if err == nil || len(ran) != 4 || b != 5 {
		t.Fatalf("run = %v, ran %q, b %d", err, ran, b)
	}
}

// rowsOf are n rows of nothing, Err failing with err.
type rowsOf struct {
	n   int
	err error
}

func (r *rowsOf) Next() bool        { r.n--; return r.n >= 0 }
func (r *rowsOf) Scan(...any) error { return nil }
func (r *rowsOf) Err() error        { return r.err }

// TestForEachReadsEveryRowAndCloses: each row is read until one fails, the
// rows' own error is said, and they are closed whatever happened.
func TestForEachReadsEveryRowAndCloses(t *testing.T) {
	refused := errors.New("refused")
	for _, c := range []struct {
		rows    rowsOf
		failAt  int
		want    error
		wantRan int
	}{
		{rowsOf{n: 3}, -1, nil, 3},
		{rowsOf{n: 3}, 2, refused, 2},
		{rowsOf{n: 1, err: refused}, -1, refused, 1},
	} {
		ran, closed := 0, false
		err := ForEach(&c.rows, func() { closed = true }, func(Rows) error {
			ran++
			if ran == c.failAt {
				return refused
			}
			return nil
		})
		if !errors.Is(err, c.want) || (err == nil) != (c.want == nil) || ran != c.wantRan || !closed {
			t.Errorf("rows %+v: %v after %d rows, closed %v; want %v after %d", c.rows, err, ran, closed, c.want, c.wantRan)
		}
	}
}
