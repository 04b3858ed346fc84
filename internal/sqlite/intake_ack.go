package sqlite

import "github.com/syncd-dev/syncd/internal/syncd"

// ackBatch is a committed batch waiting for the fsync that makes it durable.
type ackBatch struct {
	reqs    []*intakeReq
	results []intakeResult
}

// answer answers committed batches once they are durable, until acks is
// closed and empty. It takes every batch committed meanwhile and waits for
// one fsync that began after all their commits (DB.Durable), so the writer
// commits the next batches while the disk syncs the last ones, and no 200
// goes out before its event is on disk. (With synchronous=FULL, Durable
// returns at once: the commit itself synced.)
func (in *Intake) answer(acks <-chan ackBatch) {
	for a := range acks {
		batches := []ackBatch{a}
		for more := true; more; {
			select {
			case b, ok := <-acks:
				if ok {
					batches = append(batches, b)
				} else {
					more = false
				}
			default:
				more = false
			}
		}
		err := in.db.Durable()
		if err != nil {
			in.record(err)
		}
		for _, b := range batches {
			for i, r := range b.reqs {
				if err != nil {
					b.results[i] = intakeResult{err: syncd.Errorf(syncd.EUnavailable, "store unavailable")}
				}
				r.done <- b.results[i]
			}
		}
		if err != nil && in.db.OnError != nil {
			in.db.OnError(err)
		}
	}
}
