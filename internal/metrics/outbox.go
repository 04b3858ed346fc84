package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/syncd-dev/syncd/internal/dbdown"
)

// OutboxDepth is the outbox of one CRM target by state.
type OutboxDepth struct {
	Target              string
	Pending, Done, Dead int
	// GivenUp is how many of Dead were given up by hand (syncd outbox
	// give-up): exported apart, as state given_up, not as dead.
	GivenUp int
	// OtherAccount is how many of Dead, not given up, are CRM erasures of
	// an earlier account (syncd crm forget-links made them dead): still
	// in dead, as a person must act, and exported apart too.
	OtherAccount int
	// OtherAccountGivenUp is how many of GivenUp are such erasures the
	// operator did by hand: no retry sends them. Not exported (syncd
	// status reads it from the database).
	OtherAccountGivenUp int
	// OldestPending is when the oldest pending operation was enqueued; zero
	// when none is pending.
	OldestPending time.Time
	// Leased is how many of Pending a lease holds now (a syncer sends
	// them, or one that stopped mid-send held them: nothing else sends
	// them before it ends), and LeaseUntil when the last such lease ends
	// (zero when none runs).
	Leased     int
	LeaseUntil time.Time
}

// OutboxFunc reports the outbox per target. The store provides it (in
// cmd/syncd, an adapter over sqlite's DB.OutboxDepths); it runs at every
// scrape and Snapshot, under a timeout.
type OutboxFunc func(ctx context.Context) ([]OutboxDepth, error)

// defaultOutboxTimeout bounds one scrape's outbox query.
const defaultOutboxTimeout = 5 * time.Second

// WatchOutbox registers a collector that calls f at every scrape to export
// syncd_outbox_ops{target,state},
// syncd_outbox_oldest_pending_seconds{target} (0 when nothing is pending),
// syncd_outbox_erasures_other_account{target},
// syncd_outbox_leased_ops{target} and
// syncd_outbox_lease_until_timestamp_seconds{target} (0 when no lease runs).
// A call that fails or outlasts timeout (0: 5 s) sets syncd_outbox_stats_up
// to 0, and the depth series are left out of that scrape. Call it once.
func (m *Metrics) WatchOutbox(f OutboxFunc, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = defaultOutboxTimeout
	}
	c := &outboxCollector{
		f:       f,
		now:     func() time.Time { return m.Now() },
		timeout: timeout,
		ops: prometheus.NewDesc(NameOutboxOps,
			"Outbox operations by CRM target and state (pending, done, dead; given_up: dead letters given up by hand, not in dead).",
			[]string{"target", "state"}, nil),
		oldest: prometheus.NewDesc(NameOutboxOldest,
			"Age of the oldest pending outbox operation by CRM target (0 when none is pending).",
			[]string{"target"}, nil),
		other: prometheus.NewDesc(NameOutboxOtherAccount,
			"Dead CRM erasures of the account syncd wrote to before syncd crm forget-links, by CRM target (in dead too): "+
				"never sent; erase those people there by hand, then syncd outbox give-up them.",
			[]string{"target"}, nil),
		leased: prometheus.NewDesc(NameOutboxLeased,
			"Pending outbox operations a lease holds by CRM target: being sent, or held by a syncer that stopped mid-send until the lease ends.",
			[]string{"target"}, nil),
		leaseUntil: prometheus.NewDesc(NameOutboxLeaseUntil,
			"When the last lease on a pending outbox operation ends, by CRM target (0 when none runs).",
			[]string{"target"}, nil),
		up: prometheus.NewDesc(NameOutboxUp,
			"1 if the outbox could be queried for this scrape, else 0.", nil, nil),
	}
	if err := m.Registry.Register(c); err != nil {
		return fmt.Errorf("register outbox collector: %w", err)
	}
	return nil
}

type outboxCollector struct {
	f               OutboxFunc
	now             func() time.Time
	timeout         time.Duration
	ops, oldest, up *prometheus.Desc
	other           *prometheus.Desc
	leased          *prometheus.Desc
	leaseUntil      *prometheus.Desc
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.ops
	ch <- c.oldest
	ch <- c.other
	ch <- c.leased
	ch <- c.leaseUntil
	ch <- c.up
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	depths, err := c.query()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		if dbdown.IsTold(err) { // a database outage's own log says it: no line at each scrape
			return
		}
		// Also an invalid metric: the handler logs it, counts it in
		// promhttp_metric_handler_errors_total and serves the rest.
		ch <- prometheus.NewInvalidMetric(c.ops, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	now := c.now()
	for _, d := range depths {
		for state, n := range map[string]int{"pending": d.Pending, "done": d.Done, "dead": d.Dead - d.GivenUp, "given_up": d.GivenUp} {
			ch <- prometheus.MustNewConstMetric(c.ops, prometheus.GaugeValue, float64(n), d.Target, state)
		}
		age := 0.0
		if !d.OldestPending.IsZero() && now.After(d.OldestPending) {
			age = now.Sub(d.OldestPending).Seconds()
		}
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age, d.Target)
		ch <- prometheus.MustNewConstMetric(c.other, prometheus.GaugeValue, float64(d.OtherAccount), d.Target)
		ch <- prometheus.MustNewConstMetric(c.leased, prometheus.GaugeValue, float64(d.Leased), d.Target)
		until := 0.0
		if !d.LeaseUntil.IsZero() {
			until = float64(d.LeaseUntil.UnixNano()) / 1e9
		}
		ch <- prometheus.MustNewConstMetric(c.leaseUntil, prometheus.GaugeValue, until, d.Target)
	}
}

// query runs f under the timeout. f may ignore its context (a driver stuck
// in a syscall), so the wait is bounded here as well.
func (c *outboxCollector) query() ([]OutboxDepth, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	type result struct {
		d   []OutboxDepth
		err error
	}
	done := make(chan result, 1)
	go func() {
		d, err := c.f(ctx)
		done <- result{d, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, fmt.Errorf("outbox stats: %w", r.err)
		}
		return r.d, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("outbox stats: %w", ctx.Err())
	}
}
