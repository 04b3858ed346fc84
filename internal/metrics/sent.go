package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Names of the series of what this process's syncer sent lately.
const (
	NameOutboxSent      = "syncd_outbox_sent_recent_ops"
	NameOutboxSentSince = "syncd_outbox_sent_recent_since_timestamp_seconds"
)

// SentWindow is how far back syncd_outbox_sent_recent_ops counts.
const SentWindow = 10 * time.Minute

// sentBatch is a number of operations finished at a time.
type sentBatch struct {
	at time.Time
	n  int
}

// sentCollector exports, per CRM target, how many operations this
// process's syncer finished (done or dead) in the last SentWindow and when
// the first of them finished: the pace an outbox drains at, from which
// `syncd status` tells when what is pending will have gone. A drain after
// an outage can be one sync run of hours, which records no last sync
// before its end.
type sentCollector struct {
	mu         sync.Mutex
	now        func() time.Time
	batches    map[string][]sentBatch
	ops, since *prometheus.Desc
}

func (m *Metrics) sentMetric() prometheus.Collector {
	m.sent = &sentCollector{
		now:     func() time.Time { return m.Now() },
		batches: map[string][]sentBatch{},
		ops: prometheus.NewDesc(NameOutboxSent,
			"Outbox operations this process sent to the CRM target and finished (done or dead) in the last 10 minutes.",
			[]string{"target"}, nil),
		since: prometheus.NewDesc(NameOutboxSentSince,
			"When the first of syncd_outbox_sent_recent_ops finished (Unix seconds; 0 when none did).",
			[]string{"target"}, nil),
	}
	return m.sent
}

// OpsFinished records n operations of target finished now (done or
// dead, not those rescheduled).
func (m *Metrics) OpsFinished(target string, n int) {
	if m == nil || n <= 0 {
		return
	}
	c := m.sent
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.batches[target] = append(c.recent(target, now), sentBatch{at: now, n: n})
}

// recent is target's batches within SentWindow of now (c.mu held).
func (c *sentCollector) recent(target string, now time.Time) []sentBatch {
	b := c.batches[target]
	i := 0
	for i < len(b) && now.Sub(b[i].at) > SentWindow {
		i++
	}
	return b[i:]
}

func (c *sentCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.ops
	ch <- c.since
}

func (c *sentCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for target := range c.batches {
		b := c.recent(target, now)
		c.batches[target] = b
		n, since := 0, 0.0
		for _, x := range b {
			n += x.n
		}
		if len(b) > 0 {
			since = unixSeconds(b[0].at)
		}
		ch <- prometheus.MustNewConstMetric(c.ops, prometheus.GaugeValue, float64(n), target)
		ch <- prometheus.MustNewConstMetric(c.since, prometheus.GaugeValue, since, target)
	}
}
