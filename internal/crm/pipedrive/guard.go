package pipedrive

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Exactly once without uniqueness. Pipedrive accepts the same person or
// deal twice, and its search and lists may both lag behind a write for
// longer than any fixed wait. So a create is sent only under an intent
// recorded (crm.Intents) and stamped with the moment the request really went on
// the wire (after the rate limiter's wait). A later attempt that still
// finds nothing:
//   - waits while the intent is younger than the settle time;
//   - then looks again, by search and by the list of the most recently
//     added records, compared by the lead id (deals) or the email or phone
//     (persons); a match is linked and updated;
//   - creates again only once the list must show the record if it exists:
//     the request was applied, if at all, within one timeout of being
//     sent, and the list lags at most what it has shown (a record added at
//     A listed at t bounds the lag by t-A; lagbound.go);
//   - otherwise the create is in doubt: it waits another settle time and
//     raises an alarm (an error log line) rather than risk a second record.

// recheck looks for a record created by an unconfirmed request sent at
// sent: its id, or whether the lists prove that none exists (fresh).
type recheck func(ctx context.Context, sent time.Time) (id string, fresh bool, err error)

// intentSent returns when the last create for (kind, key) was sent, or
// the zero time.
func (a *Adapter) intentSent(ctx context.Context, kind syncd.RecordKind, key string) (time.Time, error) {
	return a.intents.Intent(ctx, Name, kind, key)
}

// stamp returns ctx whose requests record the intent at their send time.
func (a *Adapter) stamp(ctx context.Context, kind syncd.RecordKind, key string) context.Context {
	return crm.WithSendHook(ctx, func(sent time.Time) error {
		if err := a.intents.SetIntent(ctx, Name, kind, key, sent); err != nil {
			return fmt.Errorf("record intent: %w", err)
		}
		return nil
	})
}

// clearIntent ends the intent of (kind, key), even when ctx ended as
// Pipedrive answered (crm.Recording).
func (a *Adapter) clearIntent(ctx context.Context, kind syncd.RecordKind, key string) {
	ctx, cancel := crm.Recording(ctx)
	defer cancel()
	_ = a.intents.SetIntent(ctx, Name, kind, key, time.Time{})
}

// clearIntentIfLinked ends the intent of a record found and written only
// once its id is recorded: a link whose write failed leaves the intent,
// so the next write looks at the lists again instead of creating.
func (a *Adapter) clearIntentIfLinked(ctx context.Context, kind syncd.RecordKind, key string) {
	if id, err := a.opts.Links.Link(ctx, Name, kind, key); err == nil && id != "" {
		a.clearIntent(ctx, kind, key)
	}
}

// confirmed ends the intent of a record found by a lookup and written
// (r without an error): a create whose answer was lost, found so after a
// restart, left its intent recorded, and a later create of that key (the
// record deleted in Pipedrive since) then had to look for it in the
// recent list back to when it was sent, in doubt once that was over 2,000
// records back. An intent is read first, so that an update writes nothing
// more when none is recorded.
func (a *Adapter) confirmed(ctx context.Context, kind syncd.RecordKind, key string, r syncd.Result) syncd.Result {
	if r.Err != nil {
		return r
	}
	if sent, err := a.intentSent(ctx, kind, key); err == nil && !sent.IsZero() {
		a.clearIntentIfLinked(ctx, kind, key)
	}
	return r
}

// guarded creates a record that the lookups did not find, unless an
// earlier create of it may still be on its way into Pipedrive's indexes.
func (a *Adapter) guarded(ctx context.Context, object string, kind syncd.RecordKind, key string, body map[string]any,
	update func(ctx context.Context, id string) (syncd.Result, bool), again recheck) syncd.Result {
	sent, err := a.intentSent(ctx, kind, key)
	if err != nil {
		return syncd.Result{Err: crm.RetryErr(fmt.Sprintf("read intent: %v", err))}
	}
	if !sent.IsZero() {
		if wait := sent.Add(a.opts.Settle).Sub(a.opts.Now()); wait > 0 {
			return syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrWait, Code: "CREATE_UNSETTLED",
				Message: "an earlier create may not be visible yet", RetryAfter: wait}}
		}
		// A record deleted in Pipedrive right after an unconfirmed create (even
		// microseconds after) is missing from search and list alike, so it is made
		// again once the list is fresh: right, as there is nothing to duplicate; a
		// crash between link and clearIntent (create) is ended by the link's 404
		// (unlink), so neither a crash nor a retry finds a window here.
		id, fresh, err := again(ctx, sent)
		if err != nil {
			return syncd.Result{Err: err}
		}
		if id != "" {
			r, _ := update(ctx, id)
			if r.Err == nil {
				a.clearIntentIfLinked(ctx, kind, key)
			}
			return r
		}
		if !fresh {
			return syncd.Result{Err: a.inDoubt(kind, sent)}
		}
	}
	return a.create(a.stamp(ctx, kind, key), object, kind, key, body)
}

// inDoubt raises the alarm for a create that may or may not have been
// applied, and keeps the record waiting.
func (a *Adapter) inDoubt(kind syncd.RecordKind, sent time.Time) *syncd.CRMError {
	since := a.opts.Now().Sub(sent)
	age := since.Round(time.Second)
	// In milliseconds, as zerolog writes a duration, its unit in its name
	// as the other log lines' (took_ms): "since_sent":65000 read as seconds.
	a.opts.Logger.Error().Str("kind", string(kind)).Dur("since_sent_ms", since.Truncate(time.Millisecond)).
		Msg("pipedrive: create in doubt: not found by search or list, and the list may not show it yet; waiting instead of creating again")
	return &syncd.CRMError{Class: syncd.ErrWait, Code: "CREATE_IN_DOUBT", RetryAfter: a.opts.Settle,
		Message: "an unconfirmed create (sent " + age.String() + " ago) is not visible yet; waiting instead of creating a second record"}
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
