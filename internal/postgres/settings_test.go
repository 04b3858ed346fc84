package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestHeartbeatRecordsSettings: each instance's settings, as it last
// recorded them (after a reload too), come with its row, and go with it.
func TestHeartbeatRecordsSettings(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	a, b := openDSN(t, dsn), openDSN(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hb, stopB := context.WithCancel(ctx)
	bs := make(chan string, 1)
	bs <- "b1"
	cur := ""
	go a.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", func() string { return "a" })
	go b.Heartbeat(hb, "127.0.0.1:2", "1.0.0", func() string {
		select {
		case cur = <-bs:
		default:
		}
		return cur
	})
	var got []syncd.Instance
	settings := func() string {
		got, _ = a.Instances(ctx, time.Minute)
		var out []string
		for _, in := range got {
			out = append(out, in.Listen+"="+in.Settings+" ")
		}
		slices.Sort(out) // their starts are a moment apart: either may come first
		return strings.Join(out, "")
	}
	waitFor(t, "both settings", func() bool { return settings() == "127.0.0.1:1=a 127.0.0.1:2=b1 " })
	recordedAt := func(s string) time.Time { // when the instance with settings s recorded them
		for _, in := range got {
			if in.Settings == s {
				if d := time.Since(in.SettingsAt); d < -time.Second || d > time.Minute {
					t.Fatalf("settings %s recorded at %v, %v ago", s, in.SettingsAt, d)
				}
				return in.SettingsAt
			}
		}
		t.Fatalf("no instance with settings %s", s)
		return time.Time{}
	}
	b1At := recordedAt("b1")
	bs <- "b2" // reloaded
	waitFor(t, "b's reloaded settings", func() bool { return settings() == "127.0.0.1:1=a 127.0.0.1:2=b2 " })
	if at := recordedAt("b2"); !at.After(b1At) {
		t.Errorf("b's reloaded settings recorded at %v, not after its first ones at %v", at, b1At)
	}
	gone := ""
	for _, in := range got {
		if in.Settings == "b2" {
			gone = in.ID
		}
	}
	stopB()
	waitFor(t, "b gone", func() bool { return settings() == "127.0.0.1:1=a " })
	if v, ok, err := b.StateValue(ctx, "instance_settings:"+gone); ok || err != nil {
		t.Fatalf("b's settings row after it stopped = %q, %v, %v", v, ok, err)
	}
}
