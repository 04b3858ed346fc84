package main

import (
	"context"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// expectMetrics creates at 0 the counters alerts watch for cfg's sources
// (see metrics.Expect and metrics.ExpectRejected).
func expectMetrics(m *metrics.Metrics, cfg *config.Config) {
	m.Expect(cfg.SourceNames(),
		[]string{sender.QuarantineInvalidJSON, sender.QuarantineNotUTF8, sender.QuarantineTooDeep, sender.QuarantineNotObject},
		[]string{string(syncd.MapMapped), string(syncd.MapIgnored), string(syncd.MapUnmappable)})
	m.ExpectRejected(webhook.RejectedSeries(cfg.SourceNames()))
}

// observedMappings is the store as the mapping worker sees it: the
// mappings it records are counted by state in the metrics.
type observedMappings struct {
	mapping.Store
	m *metrics.Metrics
}

// RecordMappings records ms and counts them once recorded.
func (o observedMappings) RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error) {
	n, err := o.Store.RecordMappings(ctx, ms)
	for i := 0; err == nil && i < len(ms); { // by runs of one state: a batch is mostly one
		j := i + 1
		for j < len(ms) && ms[j].State == ms[i].State {
			j++
		}
		o.m.Mapped(string(ms[i].State), j-i)
		i = j
	}
	return n, err
}
