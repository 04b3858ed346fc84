package crm

import (
	"context"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// LinksOf returns the CRM ids linked to keys (of one target and kind), by
// key, keys without a link absent: in one call when links is a
// syncd.BatchLinks (the stores: one query), else one Link a key (MemLinks,
// test doubles). The first error ends it.
func LinksOf(ctx context.Context, links syncd.Links, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	if len(keys) == 0 {
		return map[string]string{}, nil
	}
	if b, ok := links.(syncd.BatchLinks); ok {
		return b.LinksFor(ctx, target, kind, keys)
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		id, err := links.Link(ctx, target, kind, k)
		if err != nil {
			return nil, err
		}
		if id != "" {
			out[k] = id
		}
	}
	return out, nil
}

// Recording returns a context for recording what the CRM has done (an id
// it answered with, an intent to clear) that a stop coming meanwhile does
// not cut short: the run's context ends as syncd stops, and a link written
// with it was refused while the CRM had made the record, whose next write
// then had to find it again. Its cancel must be called.
func Recording(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recordingTimeout)
}

// recordingTimeout bounds a Recording write, as the syncer bounds the
// write of a run's results after a stop.
const recordingTimeout = 30 * time.Second
