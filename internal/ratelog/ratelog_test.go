package ratelog

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func TestRepeatedErrorsAreLoggedOncePerIntervalWithACount(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	l := New(zerolog.New(&buf), 10*time.Second, func() time.Time { return now })
	for i := 0; i < 1000; i++ {
		l.Error("store", errors.New("disk full"), "store delivery", nil)
		now = now.Add(50 * time.Millisecond) // 1000 errors in 50 s
	}
	l.Error("other", errors.New("x"), "other", nil)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 6 { // 0 s, 10 s, 20 s, 30 s, 40 s, and the other key
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[1], `"repeated":199`) {
		t.Errorf("second line does not count the 199 held back: %s", lines[1])
	}
}
