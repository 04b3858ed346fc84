package syncer

// This file keeps the operations set aside (stuck.go) in the store, so
// that a restart of the daemon, a new sync leader or a `syncd sync` goes
// on with them: before, a new syncer knew none of them, claimed them with
// whatever else was due, set all of that aside again and started the
// halving over, and status no longer told the one the CRM never takes
// until two more of its calls had failed.

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// asideState is the name of the state row that keeps target's operations
// set aside.
func asideState(target string) string { return "syncer_aside:" + target }

// keptAside is the state row's value: how their last calls failed, and
// the operations, each as stuckOp.
type keptAside struct {
	Why string   `json:"why,omitempty"`
	Ops []keptOp `json:"ops"`
}

// keptOp is one stuckOp as kept.
type keptOp struct {
	ID    int64     `json:"op"`
	Since time.Time `json:"since"`
	Next  time.Time `json:"next"`
	Times int       `json:"times"`
	Group int       `json:"group"`
	Alone bool      `json:"alone,omitempty"`
}

// loadAside reads, at each run, the operations set aside as kept: at this
// syncer's first run, or when another process wrote them since (another
// instance led sync meanwhile, or `syncd sync` ran), they replace those
// it knew, unless its own last write of them failed (keepAside): then
// what the other wrote is merged into them (mergeAside), and the run's
// end writes both. Before, the other's replaced them, and the groups this
// syncer had set aside and not yet written were dropped: a restart sent
// their batch whole again and halved it from the start. Those pending no
// more (given up or sent meanwhile) are forgotten. A row that does not
// read is warned of and left: the syncer then finds the batch anew, as
// before.
func (s *Syncer) loadAside(ctx context.Context) error {
	v, _, err := s.opt.Store.StateValue(ctx, asideState(s.target))
	if err != nil {
		return fmt.Errorf("sync %s: %w", s.target, err)
	}
	if s.loaded && v == s.kept {
		return nil
	}
	if s.loaded && s.asideValue() != s.kept { // not written: the last write failed
		s.mergeAside(s.kept, v)
		s.kept = v
		s.forgetGone(ctx)
		return nil
	}
	s.loaded, s.kept = true, v
	clear(s.stuck)
	if v == "" {
		return nil
	}
	var k keptAside
	if err := json.Unmarshal([]byte(v), &k); err != nil {
		s.log.Warn().Err(err).Msg("operations set aside by the previous syncer not read: they are found anew")
		return nil
	}
	for _, o := range k.Ops {
		s.stuck[o.ID] = stuckOp{since: o.Since, next: o.Next, times: o.Times, group: o.Group, alone: o.Alone}
		s.groups = max(s.groups, o.Group)
	}
	s.stuckWhy = k.Why
	s.forgetGone(ctx)
	return nil
}

// keepAside writes the operations set aside to the store when they
// changed since last read or written. When another process wrote them
// since this run read them (a `syncd sync` beside the daemon), what it
// set aside is merged in first (mergeAside): before, the last to write
// won and dropped the other's groups, found anew and halved again from
// the start. The write goes only over the value merged (SwapStateValue):
// one made by the other between this read and this write is read and
// merged in turn, rather than written over. A failure is said once (notKept)
// and the write tried again at each run's end and as the syncer stops
// (keepLeft), until it goes through, which is said too.
func (s *Syncer) keepAside(ctx context.Context) {
	if !s.loaded || s.asideValue() == s.kept {
		return
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for try := 1; ; try++ {
		now, _, err := s.opt.Store.StateValue(wctx, asideState(s.target))
		if err != nil {
			s.notKept(err)
			return
		}
		if now != s.kept {
			s.mergeAside(s.kept, now)
		}
		v := s.asideValue()
		swapped := v == now
		if !swapped {
			swapped, err = s.opt.Store.SwapStateValue(wctx, asideState(s.target), now, v)
		}
		switch {
		case err != nil:
			s.notKept(err)
			return
		case swapped:
			s.kept = v
			if s.keepFailed {
				s.keepFailed = false
				s.log.Info().Msg("operations set aside kept: a restart goes on with them")
			}
			return
		case try == keepTries:
			s.notKept(fmt.Errorf("another process wrote them at each of %d tries", try))
			return
		}
	}
}

// notKept logs err, a write of the operations set aside that failed, the
// first time since the last went through (after, at debug): before, each
// run that failed so warned again, and said only that a restart would
// find them anew, not that the write is tried again.
func (s *Syncer) notKept(err error) {
	ev := s.log.Warn()
	if s.keepFailed {
		ev = s.log.Debug()
	}
	s.keepFailed = true
	ev.Err(err).Msg("operations set aside not kept: tried again at the end of each run and as syncd stops; " +
		"a restart before it goes through finds them anew (their batch sent whole again and halved from the start)")
}

// keepLeft writes the operations set aside that a run could not write
// (keepAside), as the syncer stops: Run calls it when its ctx ends.
func (s *Syncer) keepLeft() {
	s.run.Lock()
	defer s.run.Unlock()
	s.keepAside(context.Background())
}

// keepTries is how many times keepAside reads, merges and writes before
// it gives up until the next run: each try loses only to another
// process's write made within it.
const keepTries = 5

// asideValue is the state row's value for the operations set aside now.
func (s *Syncer) asideValue() string {
	k := keptAside{Ops: make([]keptOp, 0, len(s.stuck))}
	for id, st := range s.stuck {
		k.Ops = append(k.Ops, keptOp{ID: id, Since: st.since, Next: st.next, Times: st.times, Group: st.group, Alone: st.alone})
	}
	if len(k.Ops) == 0 {
		return ""
	}
	slices.SortFunc(k.Ops, func(a, b keptOp) int { return cmp.Compare(a.ID, b.ID) })
	k.Why = s.stuckWhy
	b, _ := json.Marshal(k)
	return string(b)
}

// mergeAside adds to those set aside the operations another process set
// aside in now, the row as it wrote it after this run read base: those
// base did not hold, in groups of their own (renumbered after this
// syncer's, which both numbered on from base's). Those it took out of
// base (sent, given up, or no longer failing so) and this run left as
// they were go too. Those of both are this run's.
func (s *Syncer) mergeAside(base, now string) {
	was, theirs := keptOps(base), keptOps(now)
	renumber := map[int]int{}
	for id, o := range theirs {
		if _, ours := s.stuck[id]; ours {
			continue
		}
		if _, before := was[id]; before {
			continue // taken out by this run
		}
		g, ok := renumber[o.Group]
		if !ok {
			s.groups++
			g, renumber[o.Group] = s.groups, s.groups
		}
		s.stuck[id] = stuckOp{since: o.Since, next: o.Next, times: o.Times, group: g, alone: o.Alone}
	}
	for id, o := range was {
		st, ours := s.stuck[id]
		if _, kept := theirs[id]; !kept && ours && o.Since.Equal(st.since) && o.Next.Equal(st.next) &&
			o.Times == st.times && o.Group == st.group && o.Alone == st.alone {
			delete(s.stuck, id) // taken out by the other; untouched here
		}
	}
}

// keptOps reads a state row's operations by id; a row that does not read
// holds none.
func keptOps(v string) map[int64]keptOp {
	var k keptAside
	if v != "" {
		_ = json.Unmarshal([]byte(v), &k)
	}
	ops := make(map[int64]keptOp, len(k.Ops))
	for _, o := range k.Ops {
		ops[o.ID] = o
	}
	return ops
}
