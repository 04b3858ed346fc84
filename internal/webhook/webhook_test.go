package webhook_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

const (
	lbToken  = "lb-token-0123456789abcdef"
	eafToken = "eaf-token-0123456789abcdef"
)

type rig struct {
	db  *sqlite.DB
	rc  *webhook.Receiver
	url string
	log *logtest.Buffer
}

// newRig runs a receiver over a real database and real loopback HTTP.
func newRig(t *testing.T, mod func(*webhook.Options)) *rig {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := db.NewIntake(sqlite.IntakeOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	logs := &logtest.Buffer{}
	opts := webhook.Options{
		Store: in,
		Sources: []webhook.Source{
			{Name: "lokalebasen", Kind: syncd.KindLokalebasen, Tokens: []string{"old-token-0123456789abc", lbToken}},
			{Name: "eaf", Kind: syncd.KindEAF, Tokens: []string{eafToken}},
		},
		MaxBodyBytes: 4096,
		Log:          zerolog.New(logs),
		Ready:        db.Ping,
	}
	if mod != nil {
		mod(&opts)
	}
	rc := webhook.New(opts)
	srv := httptest.NewServer(rc.Handler())
	t.Cleanup(func() { srv.Close(); cancel(); <-done; db.Close() })
	return &rig{db: db, rc: rc, url: srv.URL, log: logs}
}

type answer struct {
	Code   int
	Status string `json:"status"`
	ID     string `json:"event_id"`
	QID    string `json:"quarantine_id"`
}

func (r *rig) post(t testing.TB, path string, body []byte) answer {
	t.Helper()
	return r.postAs(t, path, "application/json", body)
}

// postAs posts body with the Content-Type given.
func (r *rig) postAs(t testing.TB, path, contentType string, body []byte) answer {
	t.Helper()
	resp, err := http.Post(r.url+path, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{Code: resp.StatusCode}
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("answer %d is not JSON: %q", resp.StatusCode, raw)
	}
	return a
}

func fixture(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join("../../testdata/webhooks", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEveryDocumentedExampleIsAcceptedAndStored(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	cases := []struct{ file, path, typ string }{
		{"lokalebasen/enquiry_created.json", "/hooks/lokalebasen/" + lbToken, "enquiry_created"},
		{"eaf/portal_submission_success.json", "/hooks/eaf/" + eafToken, "portal_submission"},
		{"eaf/portal_submission_error.json", "/hooks/eaf/" + eafToken, "portal_submission"},
		{"eaf/feed_import.json", "/hooks/eaf/" + eafToken, "feed_import"},
		{"eaf/email_lead.json", "/hooks/eaf/" + eafToken, "email_lead"},
	}
	for _, c := range cases {
		body := fixture(t, c.file)
		a := r.post(t, c.path, body)
		if a.Code != 200 || a.Status != "accepted" || a.ID == "" {
			t.Fatalf("%s: answer %+v", c.file, a)
		}
		var id int64
		fmt.Sscan(a.ID, &id)
		ev, err := r.db.Event(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type != c.typ || !bytes.Equal(ev.Body, body) || !json.Valid(ev.Payload) {
			t.Errorf("%s: stored type %q, body kept %v, payload valid %v", c.file, ev.Type, bytes.Equal(ev.Body, body), json.Valid(ev.Payload))
		}
	}
	// The Lokalebasen example has trailing commas: stored as a lenient event, not quarantined.
	evs, _ := r.db.Events(context.Background(), sqlite.EventFilter{Source: "lokalebasen"})
	if len(evs) != 1 || evs[0].Parse != syncd.ParseLenient {
		t.Fatalf("lokalebasen events %+v", evs)
	}
	if strings.Contains(string(evs[0].Payload), ",}") {
		t.Errorf("payload not standardised: %s", evs[0].Payload)
	}
	if q, _ := r.db.Quarantined(context.Background(), syncd.EventFilter{}); len(q) != 0 {
		t.Errorf("quarantined %d documented examples", len(q))
	}
}

func TestRetriedDeliveryIsOneEvent(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	ctx := context.Background()
	eaf := fixture(t, "eaf/email_lead.json")
	first := r.post(t, "/hooks/eaf/"+eafToken, eaf)
	again := r.post(t, "/hooks/eaf/"+eafToken, eaf)
	if again.Code != 200 || again.Status != "duplicate" || again.ID != first.ID {
		t.Fatalf("retry of eaf delivery: %+v, first %+v", again, first)
	}
	// Lokalebasen has no id: the same content, formatted differently, is the same delivery.
	lb := fixture(t, "lokalebasen/enquiry_created.json")
	a := r.post(t, "/hooks/lokalebasen/"+lbToken, lb)
	var v any
	std := []byte(strings.NewReplacer(",\n}", "\n}", "\n", " ").Replace(string(lb)))
	if err := json.Unmarshal(std, &v); err != nil {
		t.Fatalf("test body not valid: %v", err)
	}
	reformatted, _ := json.MarshalIndent(v, "", "    ")
	b := r.post(t, "/hooks/lokalebasen/"+lbToken, reformatted)
	if b.Status != "duplicate" || b.ID != a.ID {
		t.Fatalf("reformatted retry: %+v, first %+v", b, a)
	}
	evs, _ := r.db.Events(ctx, sqlite.EventFilter{})
	if len(evs) != 2 || evs[0].Deliveries != 2 || evs[1].Deliveries != 2 {
		t.Fatalf("events %+v", evs)
	}
}

func TestRejectedRequestsStoreNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	body := fixture(t, "eaf/email_lead.json")
	cases := []struct {
		name, method, path string
		body               []byte
		code               int
	}{
		{"bad token", "POST", "/hooks/eaf/wrong-token-0123456789ab", body, 401},
		{"token of another source", "POST", "/hooks/eaf/" + lbToken, body, 401},
		{"unknown source", "POST", "/hooks/nosuch/" + eafToken, body, 404},
		{"no token", "POST", "/hooks/eaf/", body, 404},
		{"wrong method", "GET", "/hooks/eaf/" + eafToken, nil, 405},
		{"HEAD, which neither sender uses", "HEAD", "/hooks/eaf/" + eafToken, nil, 405},
		{"PUT", "PUT", "/hooks/eaf/" + eafToken, body, 405},
		{"oversize", "POST", "/hooks/eaf/" + eafToken, bytes.Repeat([]byte(" "), 5000), 413},
		{"empty body", "POST", "/hooks/eaf/" + eafToken, nil, 400},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, r.url+c.path, bytes.NewReader(c.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code {
			t.Errorf("%s: status %d, want %d (%s)", c.name, resp.StatusCode, c.code, raw)
		}
		if bytes.Contains(raw, []byte("token")) || bytes.Contains(raw, []byte("eaf_id")) {
			t.Errorf("%s: answer leaks detail: %s", c.name, raw)
		}
	}
	if evs, _ := r.db.Events(context.Background(), sqlite.EventFilter{}); len(evs) != 0 {
		t.Fatalf("rejected requests stored %d events", len(evs))
	}
	if logs := r.log.String(); strings.Contains(logs, eafToken) || strings.Contains(logs, lbToken) || strings.Contains(logs, "wrong-token") {
		t.Fatalf("a token reached the log:\n%s", logs)
	}
}

func TestUnparseableBodyIsQuarantinedAndAnswered200(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	bad := []byte(`{"eaf_type": "email_lead", "contact_email": "x@example.com" <oops>`)
	a := r.post(t, "/hooks/eaf/"+eafToken, bad)
	if a.Code != 200 || a.Status != "quarantined" || a.QID == "" {
		t.Fatalf("answer %+v", a)
	}
	q, _ := r.db.Quarantined(context.Background(), syncd.EventFilter{})
	if len(q) != 1 || !bytes.Equal(q[0].Body, bad) || q[0].Source != "eaf" {
		t.Fatalf("quarantine %+v", q)
	}
	if strings.Contains(r.log.String(), "x@example.com") {
		t.Fatal("quarantined body reached the log")
	}
	// Unknown event types are accepted: they map to nothing yet.
	u := r.post(t, "/hooks/lokalebasen/"+lbToken, []byte(`{"event_type":"location_rented","payload":{}}`))
	if u.Code != 200 || u.Status != "accepted" {
		t.Fatalf("unknown type: %+v", u)
	}
}

func TestBasicAuthAndAllowlistBehindProxy(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) {
		o.Sources[1].BasicUser, o.Sources[1].BasicPass = "portal", "pa55word"
		o.Sources[1].AllowIPs = []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		o.LogEvery = time.Nanosecond
	})
	body := fixture(t, "eaf/feed_import.json")
	do := func(user, pass, xff string) int {
		req, _ := http.NewRequest("POST", r.url+"/hooks/eaf/"+eafToken, bytes.NewReader(body))
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := do("portal", "pa55word", ""); c != 403 {
		t.Errorf("loopback client not in allowlist: %d, want 403", c)
	}
	if c := do("portal", "pa55word", "198.51.100.7"); c != 403 {
		t.Errorf("forwarded client outside allowlist: %d, want 403", c)
	}
	// The operator must see which client was refused, not the proxy.
	if !strings.Contains(r.log.String(), `"reason":"ip_not_allowed","remote":"127.0.0.1:`) ||
		!strings.Contains(r.log.String(), `"client":"198.51.100.7"`) {
		t.Errorf("the refused client is not in the log:\n%s", r.log.String())
	}
	if c := do("portal", "pa55word", "203.0.113.9, 198.51.100.7"); c != 403 {
		t.Errorf("forged left-most hop must not be believed: %d, want 403", c)
	}
	if c := do("portal", "nope", "203.0.113.9"); c != 401 {
		t.Errorf("wrong password: %d, want 401", c)
	}
	if c := do("portal", "pa55word", "203.0.113.9"); c != 200 {
		t.Errorf("good client: %d, want 200", c)
	}
	// Some load balancers (Azure's Application Gateway) write the client's
	// port too: the entry is that client, not a malformed chain that leaves
	// the proxy's own address to be judged.
	if c := do("portal", "pa55word", "203.0.113.9:51234"); c != 200 {
		t.Errorf("good client with its port: %d, want 200", c)
	}
	if c := do("portal", "pa55word", "[2001:db8::1]:51234, 203.0.113.9:443"); c != 200 {
		t.Errorf("good client with its port after an IPv6 hop: %d, want 200", c)
	}
	if c := do("portal", "pa55word", "198.51.100.7:51234"); c != 403 {
		t.Errorf("forwarded client with its port, outside allowlist: %d, want 403", c)
	}
}

func TestStoreFailureAnswers503(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	os.Remove(r.db.Path()) // the store can no longer commit durably
	req, _ := http.NewRequest("POST", r.url+"/hooks/eaf/"+eafToken, bytes.NewReader(fixture(t, "eaf/email_lead.json")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	ready, _ := http.Get(r.url + "/readyz")
	ready.Body.Close()
	if ready.StatusCode != 503 {
		t.Fatalf("readyz with a dead store: %d", ready.StatusCode)
	}
}

func TestConcurrentClientsLoseNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	const clients = 200
	want := map[string]bool{}
	bodies := make([][]byte, clients)
	for i := range bodies {
		bodies[i] = []byte(fmt.Sprintf(`{"event_type":"enquiry_created","payload":{"client":{"email":"c%d@example.com"},"comment":"n%d"}}`, i, i))
		h := sha256.Sum256(bodies[i])
		want[hex.EncodeToString(h[:])] = true
	}
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if a := r.post(t, "/hooks/lokalebasen/"+lbToken, bodies[i]); a.Code != 200 || a.Status != "accepted" {
				t.Errorf("client %d: %+v", i, a)
			}
		}(i)
	}
	wg.Wait()
	evs, err := r.db.Events(context.Background(), sqlite.EventFilter{})
	if err != nil || len(evs) != clients {
		t.Fatalf("%d events stored (%v), want %d", len(evs), err, clients)
	}
	for _, ev := range evs {
		h := sha256.Sum256(ev.Body)
		if !want[hex.EncodeToString(h[:])] {
			t.Fatalf("stored body %d is not one that was sent", ev.ID)
		}
		delete(want, hex.EncodeToString(h[:]))
	}
	if len(want) != 0 {
		t.Fatalf("%d bodies missing", len(want))
	}
}
