package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// reads is a cluster whose Instances returns its reads in turn, the last
// one again once they run out: the rows as the heartbeats change them
// between two reads.
type reads struct {
	cluster
	rows [][]syncd.Instance
	n    *int
}

func (r reads) Instances(_ context.Context, within time.Duration) ([]syncd.Instance, error) {
	i := min(*r.n, len(r.rows)-1)
	*r.n++
	var out []syncd.Instance
	for _, in := range r.rows[i] {
		if time.Since(in.SeenAt) <= within {
			out = append(out, in)
		}
	}
	return out, nil
}

// rowsSeen is the reads of instances seen ago[i][j] before now, made by in.
func rowsSeen(ago [][]time.Duration, in func(time.Duration) syncd.Instance) [][]syncd.Instance {
	rows := make([][]syncd.Instance, len(ago))
	for i, read := range ago {
		rows[i] = []syncd.Instance{}
		for _, a := range read {
			rows[i] = append(rows[i], in(a))
		}
	}
	return rows
}

// TestStatusRightAfterAnOutageWaitsForTheHeartbeat: PostgreSQL stopped
// and started again under running instances; syncd status run at once
// read the rows their heartbeats had left before the outage: "cluster: 0
// instance(s) seen in the last 30s" (exit 5) after an outage of over 30 s,
// or "seen 21s ago (silent: stopped, frozen or cut off)" after one of 20
// s, while the instances ran and beat again a second later. Status now
// waits one heartbeat for a late one and reads again; one still late
// (killed) is said silent as before, and one seen an hour ago is gone.
func TestStatusRightAfterAnOutageWaitsForTheHeartbeat(t *testing.T) {
	t.Parallel()
	in := func(seen time.Duration) syncd.Instance {
		now := time.Now()
		gone := seen < 0 // a negative age: seen a second ago, its sessions ended since
		if gone {
			seen = -seen
		}
		return syncd.Instance{Host: "h", PID: 7, Listen: "127.0.0.1:1", StartedAt: now.Add(-time.Hour),
			SeenAt: now.Add(-seen), Leads: []string{"sync"}, Version: "1.4.0", Schema: 7, Gone: gone}
	}
	for _, c := range []struct {
		name string
		ago  [][]time.Duration // each read's instances, by how long ago each was seen
		seen int
		want string
	}{
		{"an outage of 40 s", [][]time.Duration{{40 * time.Second}, {time.Second}}, 1, "leads sync"},
		{"an outage of 20 s", [][]time.Duration{{20 * time.Second}, {time.Second}}, 1, "leads sync"},
		// Its row stays 30 s, but it runs no more: status exited 0 with
		// every instance killed (one seen, where 0 run), for those 30 s.
		{"killed 20 s ago", [][]time.Duration{{20 * time.Second}}, 0, "silent: stopped, frozen or cut off"},
		{"killed 20 s ago, said", [][]time.Duration{{20 * time.Second}}, 0, "NONE RUNS: the instance is silent for over 10s"},
		{"killed 5 minutes ago", [][]time.Duration{{5 * time.Minute}}, 0, "cluster: 0 instances"},
		// Its sessions ended: "the instance is gone (their database
		// sessions ...)" said one instance's as several's.
		{"gone, said", [][]time.Duration{{-time.Second}}, 0, "NONE RUNS: the instance is gone (its database sessions have ended: killed or crashed)"},
		{"all well", [][]time.Duration{{time.Second}}, 1, "leads sync"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each late one waits a heartbeat
			var out bytes.Buffer
			n := 0
			// The rows are made once the case runs: a parallel case may
			// wait its turn for longer than an instance's heartbeat.
			seen, _, err := writeCluster(context.Background(), &out, reads{rows: rowsSeen(c.ago, in), n: &n})
			if err != nil {
				t.Fatal(err)
			}
			if seen != c.seen || !strings.Contains(out.String(), c.want) ||
				c.want == "leads sync" && strings.Contains(out.String(), "silent") {
				t.Errorf("%d seen after %d read(s), want %d and %q:\n%s", seen, n, c.seen, c.want, out.String())
			}
		})
	}
}

// TestStatusLinesShareOneSettledRead: status reads the instances for
// several lines (whether any serves, who leads the report, the cluster);
// right after an outage each read the rows the heartbeats left before
// it, so "nothing sends them by itself" stood beside instances that ran.
// Settled, the late heartbeat is waited for once and every later read
// answers from it.
func TestStatusLinesShareOneSettledRead(t *testing.T) {
	t.Parallel()
	now := time.Now()
	in := func(seen time.Duration) syncd.Instance {
		return syncd.Instance{Host: "h", PID: 7, StartedAt: now.Add(-time.Hour), SeenAt: now.Add(-seen)}
	}
	n := 0
	c := settle(reads{rows: [][]syncd.Instance{{in(40 * time.Second)}, {in(time.Second)}}, n: &n})
	for i := range 3 {
		ins, err := c.Instances(context.Background(), clusterSeen)
		if err != nil || len(ins) != 1 {
			t.Errorf("read %d: %d instance(s), %v; want the one that beat again", i, len(ins), err)
		}
	}
	if n != 2 || settle(c) != c {
		t.Errorf("%d reads of the database, want 2 (one waited for)", n)
	}
}

// TestNothingServesWaitsForALateHeartbeat: right after an outage of the
// database over 30 s, syncd outbox list, outbox give-up and sync read no
// instance seen in the last 30 s and said that nothing runs to send the
// leads (start an instance, or syncd sync), while the instances ran and
// beat again a second later. A late heartbeat is waited for; a database
// whose instances all stopped is still said to have none.
func TestNothingServesWaitsForALateHeartbeat(t *testing.T) {
	t.Parallel()
	in := func(seen time.Duration) syncd.Instance {
		now := time.Now()
		return syncd.Instance{Host: "h", PID: 7, StartedAt: now.Add(-time.Hour), SeenAt: now.Add(-seen)}
	}
	for _, c := range []struct {
		name string
		ago  [][]time.Duration
		none bool
	}{
		{"an outage of 40 s", [][]time.Duration{{40 * time.Second}, {time.Second}}, false},
		{"killed 5 minutes ago", [][]time.Duration{{5 * time.Minute}}, true},
		{"killed 20 s ago (its row kept 30 s)", [][]time.Duration{{20 * time.Second}}, true},
		{"one killed 20 s ago, one running", [][]time.Duration{{20 * time.Second, time.Second}}, false},
		{"all stopped", [][]time.Duration{{}}, true},
	} {
		n := 0
		if none := nothingServes(context.Background(), nil, &backend{cluster: reads{rows: rowsSeen(c.ago, in), n: &n}}); none != c.none {
			t.Errorf("%s: nothing serves %v, want %v", c.name, none, c.none)
		}
	}
}
