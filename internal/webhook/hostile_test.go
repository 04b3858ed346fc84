package webhook_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// hostile is one request the receiver must survive.
type hostile struct {
	name string
	// req is sent as is on a fresh connection, when set; it may stall.
	raw func(addr string) int
	// or: method, path (relative, the token is appended when tok), body.
	method, path string
	header       map[string]string
	body         []byte
	code         int
	// stored is what an authenticated body becomes: "accepted",
	// "duplicate", "quarantined", "unrecognised"; "" stores nothing.
	stored string
}

// liveRig is the receiver behind the production server (timeouts,
// connection cap, size limit) on 127.0.0.1, over a real database.
type liveRig struct {
	db   *sqlite.DB
	addr string
	log  *logtest.Buffer
}

func newLiveRig(t *testing.T) *liveRig {
	t.Helper()
	return newLiveRigWith(t, webhook.ServerOptions{ReadHeaderTimeout: time.Second, ReadTimeout: 2 * time.Second, MaxConnections: 64})
}

// newLiveRigWith is newLiveRig with the server's options so.
func newLiveRigWith(t *testing.T, so webhook.ServerOptions) *liveRig {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := db.NewIntake(sqlite.IntakeOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	intakeDone := make(chan struct{})
	go func() { in.Run(ctx); close(intakeDone) }()
	logs := &logtest.Buffer{}
	rc := webhook.New(webhook.Options{
		Store: in,
		Sources: []webhook.Source{
			{Name: "lokalebasen", Kind: syncd.KindLokalebasen, Tokens: []string{lbToken}},
			{Name: "eaf", Kind: syncd.KindEAF, Tokens: []string{eafToken}},
		},
		Log: zerolog.New(logs), Ready: in.Ready,
	})
	so.Log = zerolog.New(logs)
	srv := webhook.NewServer(rc.Handler(), so)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvDone := make(chan struct{})
	go func() { srv.Run(ctx, ln); close(srvDone) }()
	t.Cleanup(func() { cancel(); <-srvDone; <-intakeDone; db.Close() })
	return &liveRig{db: db, addr: ln.Addr().String(), log: logs}
}

func (r *liveRig) do(t *testing.T, c hostile) int {
	t.Helper()
	if c.raw != nil {
		return c.raw(r.addr)
	}
	req, _ := http.NewRequest(c.method, "http://"+r.addr+c.path, bytes.NewReader(c.body))
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestHostileInputs sends every kind of hostile request found so far to the
// real server, and after each checks: the daemon answers /healthz and
// /readyz, every authenticated body is stored byte for byte (as an event or
// in the quarantine), nothing unauthenticated is stored, and memory stays
// bounded (the heap allocated per request within a small multiple of the
// body, the process's resident size under 512 MiB).
func TestHostileInputs(t *testing.T) {
	// Not parallel: it measures the process's heap growth, which other tests' allocations would add to.
	if testing.Short() {
		t.Skip("sends 1 MiB bodies")
	}
	r := newLiveRig(t)
	lb, eaf := "/hooks/lokalebasen/"+lbToken, "/hooks/eaf/"+eafToken
	enquiry := []byte(`{"event_type":"enquiry_created","payload":{"client":{"name":"Søren Ø","email":"s@example.com"},"comment":"a/b"}}`)
	var stored []stored
	for _, c := range hostileCases(lb, eaf, enquiry) {
		before := heapAllocated()
		code := r.do(t, c)
		grew := heapAllocated() - before
		if code != c.code {
			t.Errorf("%s: status %d, want %d", c.name, code, c.code)
		}
		if c.stored != "" {
			stored = append(stored, r.lastStored(t, c))
		}
		r.healthy(t, c.name)
		r.nothingLost(t, c.name, stored)
		if len(c.body) > 100_000 {
			t.Logf("%s: %d bytes, %.1f MiB allocated, resident %d MiB", c.name, len(c.body), float64(grew)/(1<<20), residentBytes(t)>>20)
		}
		if limit := uint64(24*len(c.body) + 16<<20); grew > limit {
			t.Errorf("%s: %d MiB allocated for a %d-byte body", c.name, grew>>20, len(c.body))
		}
		if rss := residentBytes(t); rss > 512<<20 {
			t.Fatalf("%s: resident size %d MiB", c.name, rss>>20)
		}
	}
	for _, secret := range []string{"s@example.com", "mail@example.com", lbToken, eafToken} {
		if strings.Contains(r.log.String(), secret) {
			t.Errorf("%q reached the log", secret)
		}
	}
}

func hostileCases(lb, eaf string, enquiry []byte) []hostile {
	post := func(name, path string, body []byte, code int, stored string) hostile {
		return hostile{name: name, method: "POST", path: path, body: body, code: code, stored: stored}
	}
	escaped := []byte(`{"payload":{"comment":"a\/b","client":{"email":"s@example.com","name":"S\u00f8ren \u00d8"}},"event_type":"enquiry_created"}`)
	deepObj := []byte(`{"event_type":"x","a":` + strings.Repeat(`{"a":`, 300) + "1" + strings.Repeat("}", 301))
	justDeep := []byte(`{"event_type":"deep_ok","a":` + strings.Repeat("[", 250) + strings.Repeat("]", 250) + "}")
	bigNumber := []byte(`{"event_type":"num","n":` + strings.Repeat("9", 100_000) + `}`)
	return []hostile{
		post("valid enquiry", lb, enquiry, 200, "accepted"),
		post("same enquiry, escapes and order differ", lb, escaped, 200, "duplicate"),
		post("same enquiry, pretty printed with a trailing comma", lb, []byte("{\n \"event_type\": \"enquiry_created\",\n \"payload\": {\"comment\": \"a/b\", \"client\": {\"name\": \"Søren Ø\", \"email\": \"s@example.com\",}}\n}"), 200, "duplicate"),
		post("valid email lead", eaf, []byte(`{"eaf_type":"email_lead","eaf_id":"1","contact_email":"mail@example.com"}`), 200, "accepted"),
		post("1 MiB of [", lb, bytes.Repeat([]byte("["), 1<<20-1), 200, "quarantined"),
		post("620,000 [", eaf, bytes.Repeat([]byte("["), 620_000), 200, "quarantined"),
		post("500,000 [ closed", lb, []byte(strings.Repeat("[", 500_000)+strings.Repeat("]", 500_000)), 200, "quarantined"),
		post("300 nested objects", lb, deepObj, 200, "quarantined"),
		post("250 nested arrays inside an event", lb, justDeep, 200, "accepted"),
		post("comments and trailing commas", lb, []byte("{/* from the docs */ \"event_type\": \"enquiry_created\", // x\n \"payload\": {\"n\": [1,2,],},}"), 200, "accepted"),
		post("byte-order mark", eaf, []byte("\xEF\xBB\xBF{\"eaf_type\":\"feed_import\",\"eaf_id\":\"bom\"}"), 200, "accepted"),
		post("invalid UTF-8 in a string", lb, []byte("{\"event_type\":\"utf\",\"s\":\"\xff\xfe\xc3\"}"), 200, "quarantined"),
		// Read in its declared charset, kept byte for byte as sent.
		{name: "Latin-1 declared", method: "POST", path: lb, header: map[string]string{"Content-Type": "application/json; charset=iso-8859-1"}, body: []byte("{\"event_type\":\"utf\",\"s\":\"S\xf8ren\"}"), code: 200, stored: "accepted"},
		post("NUL bytes outside strings", lb, []byte("{\"event_type\":\"nul\"}\x00\x00"), 200, "quarantined"),
		post("escaped NUL in a string", lb, []byte(`{"event_type":"nul","s":"a\u0000b"}`), 200, "accepted"),
		post("duplicate keys", eaf, []byte(`{"eaf_type":"email_lead","eaf_type":"feed_import","eaf_id":"dup"}`), 200, "accepted"),
		post("huge exponent", lb, []byte(`{"event_type":"num","n":1e999999999}`), 200, "accepted"),
		post("100,000-digit number", lb, bigNumber, 200, "accepted"),
		{name: "gzip body", method: "POST", path: lb, header: map[string]string{"Content-Encoding": "gzip"}, body: gzipped(enquiry), code: 200, stored: "quarantined"},
		post("form encoding", lb, []byte("event_type=enquiry_created&x=1"), 200, "quarantined"),
		post("a JSON array", eaf, []byte(`[{"eaf_type":"email_lead"}]`), 200, "quarantined"),
		post("a bare string", eaf, []byte(`"eaf"`), 200, "quarantined"),
		post("Lokalebasen body on the EAF source", eaf, enquiry, 200, "unrecognised"),
		post("EAF body on the Lokalebasen source", lb, []byte(`{"eaf_type":"email_lead","eaf_id":"2"}`), 200, "unrecognised"),
		post("email address as the event type", lb, []byte(`{"event_type":"mail@example.com"}`), 200, "accepted"),
		post("one byte over the size limit", lb, bytes.Repeat([]byte(" "), 1<<20+1), 413, ""),
		post("empty body", lb, nil, 400, ""),
		// A line end or spaces alone (a test button's, a client's empty
		// POST) holds no lead: it was quarantined, a body waiting for a
		// person that status named until dismissed by hand.
		post("a line end alone", lb, []byte("\r\n"), 400, ""),
		post("spaces and tabs alone", eaf, []byte("  \t \n"), 400, ""),
		// A byte-order mark alone, or before white space alone (an empty
		// file saved as UTF-8 by Notepad or PowerShell and posted) holds no
		// lead either: it was quarantined, waiting for a person.
		post("a byte-order mark alone", eaf, []byte("\xEF\xBB\xBF"), 400, ""),
		post("a byte-order mark and a line end", lb, []byte("\xEF\xBB\xBF\r\n"), 400, ""),
		post("a UTF-16 byte-order mark alone", eaf, []byte("\xFF\xFE"), 400, ""),
		post("wrong token", "/hooks/lokalebasen/wrong-token-0123456789ab", enquiry, 401, ""),
		post("token in another case", "/hooks/lokalebasen/"+strings.ToUpper(lbToken), enquiry, 401, ""),
		post("the other source's token", "/hooks/lokalebasen/"+eafToken, enquiry, 401, ""),
		post("unknown source", "/hooks/nosuch/"+lbToken, enquiry, 404, ""),
		post("trailing slash", lb+"/", enquiry, 404, ""),
		post("dot segments", "/hooks/eaf/../lokalebasen/"+lbToken, enquiry, 404, ""),
		post("encoded slash in the token", "/hooks/lokalebasen/a%2F"+lbToken, enquiry, 401, ""),
		post("double slash", "//hooks/lokalebasen/"+lbToken, enquiry, 404, ""),
		{name: "GET on a hook", method: "GET", path: lb, code: 405},
		{name: "PUT on a hook", method: "PUT", path: lb, body: enquiry, code: 405},
		{name: "headers over the limit", method: "POST", path: lb, header: map[string]string{"X-Big": strings.Repeat("a", 20<<10)}, body: enquiry, code: 431},
		{name: "body slower than the read timeout", raw: slowBody(lb), code: 0},
		{name: "headers never finished", raw: slowHeaders, code: 0},
		{name: "Content-Length larger than the body", raw: shortBody(lb), code: 0},
	}
}

// stored is an authenticated body as sent, and where it must be.
type stored struct {
	name, table string
	id          int64
	body        []byte
}

// lastStored finds the row c's body went to: the newest event or
// quarantined body. A duplicate adds none: it must match the first.
func (r *liveRig) lastStored(t *testing.T, c hostile) stored {
	t.Helper()
	table := "events"
	if c.stored == "quarantined" {
		table = "quarantine"
	}
	s := stored{name: c.name, table: table, body: c.body}
	if table == "quarantine" {
		qs := r.quarantined(t)
		if len(qs) == 0 {
			t.Fatalf("%s: nothing stored in %s", c.name, table)
		}
		s.id = qs[len(qs)-1].ID
		return s
	}
	evs, err := r.db.Events(context.Background(), sqlite.EventFilter{Newest: true, Limit: 1})
	if err != nil || len(evs) == 0 {
		t.Fatalf("%s: nothing stored in %s", c.name, table)
	}
	s.id = evs[0].ID
	if c.stored == "unrecognised" && evs[0].MapState != syncd.MapUnrecognised {
		t.Errorf("%s: map state %q", c.name, evs[0].MapState)
	}
	if c.stored == "duplicate" {
		s.body = nil // the first delivery's body stays
	}
	return s
}

// nothingLost: every authenticated body so far is stored byte for byte,
// and the tables hold nothing else.
func (r *liveRig) nothingLost(t *testing.T, name string, all []stored) {
	t.Helper()
	rows := map[string]int{}
	for _, s := range all {
		if s.body == nil {
			continue
		}
		rows[s.table]++
		body, err := r.storedBody(s)
		if err != nil {
			t.Fatalf("after %s: %s's body: %v", name, s.name, err)
		}
		if !bytes.Equal(body, s.body) {
			t.Fatalf("after %s: %s's body not stored byte for byte", name, s.name)
		}
	}
	events, err := r.db.CountEvents(context.Background(), sqlite.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range map[string]int{"events": events, "quarantine": len(r.quarantined(t))} {
		if n != rows[table] {
			t.Fatalf("after %s: %d rows in %s, want %d", name, n, table, rows[table])
		}
	}
}

// storedBody reads s's body back as `syncd events show` or the quarantine
// repair would.
func (r *liveRig) storedBody(s stored) ([]byte, error) {
	if s.table == "quarantine" {
		q, err := r.db.QuarantinedBody(context.Background(), s.id)
		return q.Body, err
	}
	ev, err := r.db.Event(context.Background(), s.id)
	return ev.Body, err
}

// quarantined lists every quarantined body, oldest first.
func (r *liveRig) quarantined(t *testing.T) []syncd.Quarantine {
	t.Helper()
	qs, err := r.db.Quarantined(context.Background(), syncd.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

func (r *liveRig) healthy(t *testing.T, name string) {
	t.Helper()
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + r.addr + p)
		if err != nil {
			t.Fatalf("after %s: %s: %v", name, p, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("after %s: %s %d", name, p, resp.StatusCode)
		}
	}
}

func heapAllocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// residentBytes is the test process's resident set size.
func residentBytes(t *testing.T) uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0 // not Linux: the heap bound still holds
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// rawStatus reads the status of the answer on conn, 0 when there is none.
func rawStatus(conn net.Conn) int {
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	if resp.StatusCode == 200 {
		return 200 // reported as a failure by the caller: nothing partial may be accepted
	}
	return 0
}

// slowBody sends the headers and half the body, then stalls past the read
// timeout: nothing may be stored, and the server must not wait forever.
func slowBody(path string) func(string) int {
	return func(addr string) int {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return -1
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"event_type\":", path)
		return rawStatus(conn)
	}
}

// slowHeaders never finishes its headers.
func slowHeaders(addr string) int {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return -1
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /hooks/x/y HTTP/1.1\r\nHost: x\r\n")
	return rawStatus(conn)
}

// shortBody promises more than it sends, then half-closes.
func shortBody(path string) func(string) int {
	return func(addr string) int {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return -1
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{}", path)
		conn.(*net.TCPConn).CloseWrite()
		return rawStatus(conn)
	}
}

// noRedirects shows redirects as they are answered.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
