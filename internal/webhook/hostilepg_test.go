package webhook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestHostileInputsOnPostgres sends TestHostileInputs' requests, and some
// whose text PostgreSQL's text columns cannot hold as it is (a NUL, bytes
// that are not UTF-8, a lone surrogate escaped), to the real server over a
// PostgreSQL store: each is answered as on SQLite, none 503 (a retry of
// which fails the same way until the sender gives up, its lead lost), and
// every authenticated body is kept byte for byte.
func TestHostileInputsOnPostgres(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("sends 1 MiB bodies")
	}
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	in := db.NewIntake(postgres.IntakeOptions{})
	intakeDone := make(chan struct{})
	go func() { in.Run(ctx); close(intakeDone) }()
	logs := &logtest.Buffer{}
	rc := webhook.New(webhook.Options{
		Store: in,
		Sources: []webhook.Source{
			{Name: "lokalebasen", Kind: syncd.KindLokalebasen, Tokens: []string{lbToken}},
			{Name: "eaf", Kind: syncd.KindEAF, Tokens: []string{eafToken}},
		},
		Log: zerolog.New(logs),
	})
	srv := webhook.NewServer(rc.Handler(), webhook.ServerOptions{ReadHeaderTimeout: time.Second, ReadTimeout: 2 * time.Second, Log: zerolog.New(logs)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvDone := make(chan struct{})
	go func() { srv.Run(ctx, ln); close(srvDone) }()
	t.Cleanup(func() { cancel(); <-srvDone; <-intakeDone; db.Close() })
	r := &liveRig{addr: ln.Addr().String(), log: logs}

	lb, eaf := "/hooks/lokalebasen/"+lbToken, "/hooks/eaf/"+eafToken
	enquiry := []byte(`{"event_type":"enquiry_created","payload":{"client":{"name":"Søren Ø","email":"s@example.com"},"comment":"a/b"}}`)
	post := func(name, path string, body []byte, stored string) hostile {
		return hostile{name: name, method: "POST", path: path, body: body, code: 200, stored: stored}
	}
	cases := append(hostileCases(lb, eaf, enquiry),
		post("a lone surrogate escaped", lb, []byte(`{"event_type":"enquiry_created","payload":{"comment":"a\ud800b"}}`), "accepted"),
		post("a lone surrogate escaped in the type", lb, []byte(`{"event_type":"x\udfffy"}`), "accepted"),
		post("an escaped NUL in eaf_id", eaf, []byte(`{"eaf_type":"email_lead","eaf_id":"7\u00007","contact_email":"n@example.com"}`), "accepted"),
		post("a raw NUL in a string", eaf, []byte("{\"eaf_type\":\"email_lead\",\"eaf_id\":\"8\x008\"}"), "quarantined"),
		post("invalid UTF-8 in eaf_id", eaf, []byte("{\"eaf_type\":\"email_lead\",\"eaf_id\":\"\xff\xfe\"}"), "quarantined"),
		hostile{name: "a charset label not UTF-8", method: "POST", path: lb, header: map[string]string{"Content-Type": "application/json; charset=\xff\xfe"},
			body: []byte("{\"event_type\":\"utf\",\"s\":\"S\xf8ren\"}"), code: 200, stored: "quarantined"},
	)
	var want = map[string]int{}
	for _, c := range cases {
		code := r.do(t, c)
		if code != c.code {
			t.Errorf("%s: status %d, want %d", c.name, code, c.code)
		}
		if c.stored != "" && c.stored != "duplicate" && code == c.code {
			table := "events"
			if c.stored == "quarantined" {
				table = "quarantine"
			}
			want[table]++
			var body []byte
			err := pgQueryRow(t, dsn, fmt.Sprintf(`SELECT body FROM %s ORDER BY id DESC LIMIT 1`, table), &body)
			if err != nil || !bytes.Equal(body, c.body) {
				t.Errorf("%s: the newest row of %s is not its body byte for byte (%v)", c.name, table, err)
			}
		}
	}
	for table, n := range want {
		var got int
		if err := pgQueryRow(t, dsn, `SELECT count(*) FROM `+table, &got); err != nil || got != n {
			t.Errorf("%d rows in %s, want %d (%v)", got, table, n, err)
		}
	}
	if strings.Contains(logs.String(), `"status":503`) || strings.Contains(logs.String(), "answered 503") {
		t.Errorf("a delivery was answered 503:\n%s", logs.String())
	}
	resp, err := http.Get("http://" + r.addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// pgQueryRow scans the one row of query into dst.
func pgQueryRow(t *testing.T, dsn, query string, dst any) error {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.QueryRow(context.Background(), query).Scan(dst)
}
