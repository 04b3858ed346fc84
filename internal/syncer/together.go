package syncer

import "github.com/syncd-dev/syncd/internal/syncd"

// A contact's pending updates come in one claim (the store leases those
// behind the first that waits behind none with it), and the adapter
// writes them as one, merged in order (syncd.MergeContacts): one call and
// its reads for them all, where a broker's address on 270 leads was 270
// calls in a row, one a batch. They are finished together too: each takes
// the outcome of its record's first (the oldest, with the most attempts),
// so that they are done, sent again or dead as one, and none of them is
// written after a newer one.

// leads gives, for each of ops (in id order), the index of the first op
// of its record among them, for contacts; an op leads itself. Nil when
// every op leads itself, as in most batches.
func leads(ops []syncd.Op) []int {
	if len(ops) < 2 || ops[0].Kind != syncd.RecordContact {
		return nil
	}
	first := make(map[string]int, len(ops))
	var lead []int
	for i, op := range ops {
		h, seen := first[op.Key]
		if !seen {
			first[op.Key] = i
			continue
		}
		if lead == nil {
			lead = make([]int, len(ops))
			for j := range lead {
				lead[j] = j
			}
		}
		lead[i] = h
	}
	return lead
}

// counted is what deciding one operation's outcome added to a Summary,
// and to its attempts (a release gives the attempt back).
type counted struct {
	attempts                      int
	done, retried, dead, released int
}

// decideTogether decides each op's outcome with decide, but for the ops
// that follow their record's first (lead, from leads): those take its
// outcome, and count in sum as it did.
func decideTogether(ops []syncd.Op, lead []int, sum *Summary, decide func(i int)) {
	if lead == nil {
		for i := range ops {
			decide(i)
		}
		return
	}
	by := make(map[int]counted)
	for i := range ops {
		h := lead[i]
		if h == i {
			before, was := ops[i].Attempts, *sum
			decide(i)
			by[i] = counted{attempts: ops[i].Attempts - before, done: sum.Done - was.Done, retried: sum.Retried - was.Retried,
				dead: sum.Dead - was.Dead, released: sum.Released - was.Released}
			continue
		}
		c, head, op := by[h], ops[h], &ops[i]
		op.State, op.CRMID, op.LastError, op.DeadCause = head.State, head.CRMID, head.LastError, head.DeadCause
		op.NextAttemptAt, op.Attempts = head.NextAttemptAt, max(op.Attempts+c.attempts, 0)
		sum.Done, sum.Retried, sum.Dead, sum.Released = sum.Done+c.done, sum.Retried+c.retried, sum.Dead+c.dead, sum.Released+c.released
	}
}

// records counts the records ops write: a contact's updates, sent as
// one, are one.
func records(ops []syncd.Op) int {
	lead := leads(ops)
	if lead == nil {
		return len(ops)
	}
	n := 0
	for i, h := range lead {
		if h == i {
			n++
		}
	}
	return n
}

// halves splits ops in two about evenly by records, each contact's
// updates in one half, every op in id order: a call halved sends each
// record whole, as one (a half holding a record's later updates without
// its earlier ones would write them first).
func halves(ops []syncd.Op) (first, second []syncd.Op) {
	lead := leads(ops)
	if lead == nil {
		h := len(ops) / 2
		return ops[:h], ops[h:]
	}
	half, n := records(ops)/2, 0
	inFirst := make([]bool, len(ops))
	for i, h := range lead {
		if h == i {
			inFirst[i] = n < half
			n++
		}
		if inFirst[h] {
			first = append(first, ops[i])
		} else {
			second = append(second, ops[i])
		}
	}
	return first, second
}
