package sqlite

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
)

// defaultSealEvery is how many keys the seen set keeps in full (128 bits,
// in a map) before it packs them into a segment.
const defaultSealEvery = 1 << 16

// seenSegment is a sealed run of idempotency keys in 8 bytes each: the first
// 32 bits of the key's hash (a fingerprint) above the event id as an offset
// from base, sorted. A fingerprint is not the key: a match is confirmed by
// reading the event (one primary-key lookup), so two keys sharing a
// fingerprint (about one lookup in 4,000 at a million keys) cost a read,
// never a lead.
type seenSegment struct {
	base    int64 // lowest event id in the segment
	newest  int64 // latest receipt time of its keys, Unix nanoseconds
	entries []uint64
}

// seal packs keys (of events with ids >= base) into a segment.
func seal(keys map[seenKey]seenEntry) seenSegment {
	g := seenSegment{base: -1, entries: make([]uint64, 0, len(keys))}
	for _, e := range keys {
		if g.base < 0 || e.id < g.base {
			g.base = e.id
		}
		g.newest = max(g.newest, e.at)
	}
	for k, e := range keys {
		g.entries = append(g.entries, uint64(fingerprint(k))<<32|uint64(e.id-g.base))
	}
	slices.Sort(g.entries)
	return g
}

func fingerprint(k seenKey) uint32 { return binary.BigEndian.Uint32(k[:4]) }

// candidates returns the ids of the events whose key has fingerprint fp.
func (g *seenSegment) candidates(fp uint32) []int64 {
	var ids []int64
	i, _ := slices.BinarySearch(g.entries, uint64(fp)<<32)
	for ; i < len(g.entries) && uint32(g.entries[i]>>32) == fp; i++ {
		ids = append(ids, g.base+int64(uint32(g.entries[i])))
	}
	return ids
}

// findSealed looks for key in the sealed segments, oldest first, and
// confirms a fingerprint match by reading the event in q (the batch's
// transaction). A failed read counts as no match: storing a delivery twice
// is harmless (its operations are enqueued once), dropping one is not.
func (s *seenSet) findSealed(ctx context.Context, q queryer, source, key string, k seenKey, since time.Time) (int64, bool) {
	fp := fingerprint(k)
	for i := range s.sealed {
		for _, id := range s.sealed[i].candidates(fp) {
			if ok, _ := sameKey(ctx, q, id, source, key, since); ok {
				return id, true
			}
		}
	}
	return 0, false
}

// sameKey reports whether event id has source and key and was received at
// or after since.
func sameKey(ctx context.Context, q queryer, id int64, source, key string, since time.Time) (bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT source, idem_key, received_at FROM events WHERE id = ?`, id)
	if err != nil {
		return false, fmt.Errorf("confirm idempotency key: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	var src, k, received string
	if err := rows.Scan(&src, &k, &received); err != nil {
		return false, fmt.Errorf("confirm idempotency key: %w", err)
	}
	return src == source && k == key && received >= fmtTime(since), nil
}

// sealIfFull packs the full keys into a segment once there are sealEvery
// of them; the map keeps its buckets for the next ones, so memory stays
// flat.
func (s *seenSet) sealIfFull() {
	if len(s.keys) < s.sealEvery {
		return
	}
	s.sealed = append(s.sealed, seal(s.keys))
	clear(s.keys)
}

// evictSealed forgets the segments whose keys are all older than oldest.
func (s *seenSet) evictSealed(oldest int64) {
	s.sealed = slices.DeleteFunc(s.sealed, func(g seenSegment) bool { return g.newest < oldest })
}
