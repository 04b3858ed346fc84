package main

import (
	"context"
	"encoding/json"
	"time"
)

// followEvery is how often an instance that does not lead sync reads the
// sync leader's adapter pause and CRM failing rows for its status line.
const followEvery = 5 * time.Second

// followSync keeps the systemd status line of an instance that does not
// lead sync on a shared store in step with the sync leader: its syncer,
// which tells the line of a paused adapter and of a CRM failing every
// call, runs only on the leader, so `systemctl status syncd` on the others
// said "serving on ADDR" through both while `syncd status` there named
// them. It reads the adapter_pause: and crm_failing: rows every
// followEvery until ctx ends, and leaves the line to the syncer while this
// instance leads sync.
func (d *daemon) followSync(ctx context.Context) error {
	tick := time.NewTicker(followEvery)
	defer tick.Stop()
	for {
		if !d.runsSync() {
			d.followRows(ctx)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// followRows shows on the status line the pause, the CRM failing and the
// batch stuck the sync leader stored; a row it cannot read leaves the line as it was (the
// heartbeat reports the database's failures).
func (d *daemon) followRows(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, followEvery)
	defer cancel()
	name := d.adapter.Name()
	p, err := d.db.AdapterPause(ctx, name)
	if err != nil {
		return
	}
	since, _, _, err := d.db.CRMFailing(ctx, name)
	if err != nil {
		return
	}
	d.seen.followed(p, since)
	v, _, err := d.db.StateValue(ctx, crmStuckState(name))
	if err != nil {
		return
	}
	var stuck crmStuckRow // none, or one it cannot read: no batch stuck
	if v != "" {
		_ = json.Unmarshal([]byte(v), &stuck)
	}
	d.seen.followedStuck(stuck.Ops, stuck.Why)
}
