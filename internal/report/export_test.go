package report

import "testing"

// TitleWidth is the width in digits a column title takes in bold, with a
// digit's width to spare beside it (runeWidth's letters, a twentieth
// wider for bold).
func TitleWidth(title string) float64 {
	n := 0.0
	for _, r := range title {
		n += runeWidth(r)
	}
	return n*1.05 + 1
}

// FitWidth is the least whole width of a column that shows s on one line.
func FitWidth(s string) float64 { return fitWidth(s, styles{}) }

// LayoutOnly skips t under -short, which .ci/run's race pass gives: a test
// of what a workbook or a mail says and how it prints, whose code runs in
// one goroutine but for the writer's own (the parallel deflate and its
// pipe), which the tests left in run under the race detector too, with
// the make lock, the scheduler and the mail's retries. A workbook under
// the race detector takes several times its CPU (go test -race -short
// ./internal/report: 103 s of .ci/run's race pass, its second longest
// package, at its 15-minute budget); the plain pass runs every test.
func LayoutOnly(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("what a workbook or mail says, one goroutine: not in -short (the race pass)")
	}
}
