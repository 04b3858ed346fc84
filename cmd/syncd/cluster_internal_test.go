package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// rows is a cluster whose Instances are fixed rows, as another host's
// syncd status reads them.
type rows struct {
	cluster
	ins []syncd.Instance
}

func (r rows) Instances(context.Context, time.Duration) ([]syncd.Instance, error) { return r.ins, nil }

// TestClusterShowsOneLeaderPerPart: after the sync and report leader was
// killed (or froze) another instance took both over within seconds, but
// the dead one's row, 16 s old, still said "leads report,sync" until it
// aged out at 30 s: syncd status showed two leaders of each, just when an
// operator looks. A part is shown on the instance that claimed it last,
// and an instance silent for longer than a lock session outlives it leads
// nothing and is said to be silent.
func TestClusterShowsOneLeaderPerPart(t *testing.T) {
	t.Parallel()
	now := time.Now()
	in := func(pid int, seen time.Duration, leads ...string) syncd.Instance {
		return syncd.Instance{Host: "h", PID: pid, Listen: "127.0.0.1:1", StartedAt: now.Add(-time.Hour),
			SeenAt: now.Add(-seen), Leads: leads, Version: "1.4.0", Schema: 7}
	}
	for _, c := range []struct {
		name string
		ins  []syncd.Instance
		want []string // per line, a piece it must hold
		not  []string // per line, a piece it must not hold
	}{
		{"killed leader, taken over", []syncd.Instance{in(1, 3*time.Second, "report", "sync"), in(2, time.Second, "report", "sync"), in(3, time.Second)},
			[]string{"pid 1 .*leads -", "pid 2 .*leads report,sync", "pid 3 .*leads -"}, []string{"pid 1 .*leads report"}},
		{"killed leader, none took over yet", []syncd.Instance{in(1, 16*time.Second, "sync"), in(2, time.Second)},
			[]string{"pid 1 .*silent.*leads -", "pid 2 .*leads -"}, []string{"pid 1 .*leads sync"}},
		{"all well", []syncd.Instance{in(1, time.Second, "sync"), in(2, 2*time.Second, "report")},
			[]string{"pid 1 .*leads sync", "pid 2 .*leads report"}, []string{"silent"}},
	} {
		var out bytes.Buffer
		if _, _, err := writeCluster(context.Background(), &out, rows{ins: c.ins}); err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !matchLine(out.String(), w) {
				t.Errorf("%s: no line matches %q:\n%s", c.name, w, out.String())
			}
		}
		for _, n := range c.not {
			if matchLine(out.String(), n) {
				t.Errorf("%s: a line matches %q:\n%s", c.name, n, out.String())
			}
		}
	}
}

// matchLine reports whether a line of text holds the pieces of pattern
// (split at ".*") in order.
func matchLine(text, pattern string) bool {
	for _, line := range strings.Split(text, "\n") {
		rest, ok := line, true
		for _, p := range strings.Split(pattern, ".*") {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}
