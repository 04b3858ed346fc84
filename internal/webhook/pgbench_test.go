package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestMain stops the PostgreSQL cluster the benchmark may have started.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// runPostgres loads n instances on one PostgreSQL database: each a receiver
// with its own intake writer and connection pool, the clients spread over
// them round-robin as by a load balancer. It checks that the database holds
// exactly the events acknowledged.
func runPostgres(b *testing.B, n int) loadResult {
	dsn := pgtest.DSN(b)
	ctx, cancel := context.WithCancel(context.Background())
	var handlers []http.Handler
	var done []chan struct{}
	for range n {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		in := db.NewIntake(postgres.IntakeOptions{})
		d := make(chan struct{})
		go func() { in.Run(ctx); close(d) }()
		done = append(done, d)
		handlers = append(handlers, webhook.New(webhook.Options{
			Store:   in,
			Sources: []webhook.Source{{Name: "lokalebasen", Kind: syncd.KindLokalebasen, Tokens: []string{lbToken}}},
			Log:     zerolog.Nop(),
		}).Handler())
	}
	var next atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers[next.Add(1)%int64(n)].ServeHTTP(w, r)
	}))
	r := load(b, srv.URL+"/hooks/lokalebasen/"+lbToken, *benchClients, *benchDuration)
	srv.Close()
	cancel()
	for _, d := range done {
		<-d
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	var stored int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&stored); err != nil || stored != r.accepted {
		b.Fatalf("%d events stored, %d acknowledged (%v)", stored, r.accepted, err)
	}
	return r
}

// BenchmarkIntakePostgres loads, in one run, the HTTP ceiling (no
// persistence), durable intake on SQLite, and durable intake on PostgreSQL
// with one and with three instances, and reports each as a ratio of the
// ceiling and PostgreSQL's against SQLite. Run it with
//
//	go test ./internal/webhook -run '^$' -bench IntakePostgres -benchtime 1x
//
// It starts a throwaway PostgreSQL cluster (fsync on, as in production),
// or uses SYNCD_TEST_POSTGRES_URL.
func BenchmarkIntakePostgres(b *testing.B) {
	for i := 0; i < b.N; i++ {
		modes := []struct {
			name string
			r    loadResult
		}{
			{"ceiling (no persistence)", runMode(b, &discardStore{})},
			{"sqlite (group commit)", runDurable(b, 0)},
			{"postgres, 1 instance", runPostgres(b, 1)},
			{"postgres, 3 instances", runPostgres(b, 3)},
		}
		ceiling, lite := modes[0].r.perSecond, modes[1].r.perSecond
		for _, m := range modes {
			b.Logf("%-26s %8.0f events/s  p50 %6.2f ms  p99 %6.2f ms  %.2f of ceiling  %.2f of sqlite",
				m.name, m.r.perSecond, ms(m.r.p50), ms(m.r.p99), m.r.perSecond/ceiling, m.r.perSecond/lite)
		}
		b.ReportMetric(modes[2].r.perSecond/ceiling, "pg1/ceiling")
		b.ReportMetric(modes[3].r.perSecond/ceiling, "pg3/ceiling")
		b.ReportMetric(modes[2].r.perSecond/lite, "pg1/sqlite")
		b.ReportMetric(modes[3].r.perSecond/lite, "pg3/sqlite")
	}
}
