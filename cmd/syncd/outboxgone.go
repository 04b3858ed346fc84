package main

import (
	"context"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// opNotHeld is err, syncd outbox show's operation id not found, saying
// why an id may not be held (lostOpByRestore on a restored backup's ids).
// Not every id was an operation's: the outbox skips an id wherever a lead
// enqueues work it already holds, as a person's second lead does whose
// contact carries the same properties as the first's (one email, name and
// phone): the second contact operation is not made, its id not given to
// another. The id of the first deal after it is one more. show named the
// causes of an operation removed alone (an erasure, the purge, a drop),
// none of which had happened; the store cannot tell which it was.
func opNotHeld(ctx context.Context, st store, id int64, err error) error {
	if syncd.ErrorCode(err) != syncd.ENotFound || reusedOpID(ctx, st, id) != "" {
		return lostOpByRestore(ctx, st, id, err)
	}
	return syncd.Errorf(syncd.ENotFound, "%v: %s", err, opNotHeldWhy)
}

// opNotHeldWhy is why syncd outbox show finds no operation by an id: what
// removes operations, as notHeldWhy says it, and the ids never given.
const opNotHeldWhy = "no operation by that id is held: syncd erase removes a person's operations, " +
	"the retention purge finished ones (retention.outbox_days), syncd outbox drop pending ones, and some ids are " +
	"never an operation's: one is skipped where a lead's contact or deal is work the outbox holds already (a person's " +
	"next lead with the same email, name and phone makes no contact operation of its own: the earlier one writes " +
	"the contact) and no other operation takes it; syncd outbox list shows those held"
