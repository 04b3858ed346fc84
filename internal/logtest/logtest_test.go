package logtest

import (
	"fmt"
	"sync"
	"testing"
)

// TestBufferTakesWritesFromManyGoroutines: every line written from several
// goroutines at once is read back whole (go test -race checks the locking).
func TestBufferTakesWritesFromManyGoroutines(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				fmt.Fprintf(&b, "{\"g\":%d,\"i\":%d}\n", g, i)
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	lines := b.Lines(t)
	if len(lines) != 400 {
		t.Fatalf("%d lines, want 400", len(lines))
	}
	seen := map[[2]float64]bool{}
	for _, l := range lines {
		seen[[2]float64{l["g"].(float64), l["i"].(float64)}] = true
	}
	if len(seen) != 400 {
		t.Errorf("%d distinct lines, want 400", len(seen))
	}
}
