package webhook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// TestHookURLAsASenderMayWriteIt: neither sender documents how it writes
// the URL it is given, and their HTTP clients differ. A query string after
// the token (a sender's own parameter, or a "?" left on), the token or
// source percent-encoded (%2D for "-", as some URL encoders write any
// character), HTTP/1.0 with its Content-Length, and a chunked body are
// each the same URL and the same delivery: answered 200 duplicate of the
// first, each counted as one more delivery of its one event. A "/" encoded
// in the token (%2F) is no token of the source: 401, as a wrong token is.
func TestHookURLAsASenderMayWriteIt(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	body := fixture(t, "eaf/email_lead.json")
	path := "/hooks/eaf/" + eafToken
	first := r.post(t, path, body)
	if first.Code != 200 || first.Status != "accepted" {
		t.Fatalf("first delivery: %+v; want 200 accepted", first)
	}
	encoded := strings.Replace(eafToken, "-", "%2D", 1)
	variants := []struct {
		name string
		send func() (int, string)
	}{
		{"a query string after the token", func() (int, string) { return postURL(t, r.url+path+"?branch=2&x=%20y", body) }},
		{"a bare ? after the token", func() (int, string) { return postURL(t, r.url+path+"?", body) }},
		{"the token percent-encoded", func() (int, string) { return postURL(t, r.url+"/hooks/eaf/"+encoded, body) }},
		{"the source percent-encoded", func() (int, string) { return postURL(t, r.url+"/hooks/%65af/"+eafToken, body) }},
		{"HTTP/1.0", func() (int, string) { return postRaw(t, r.url, "HTTP/1.0", path, body) }},
		{"a chunked body", func() (int, string) {
			resp, err := http.Post(r.url+path, "application/json", struct{ io.Reader }{bytes.NewReader(body)})
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close() // a reader of unknown length: net/http sends it chunked
			raw, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(raw)
		}},
	}
	for _, v := range variants {
		code, raw := v.send()
		if code != 200 || gjson.Get(raw, "status").Str != "duplicate" || gjson.Get(raw, "event_id").Str != first.ID {
			t.Errorf("%s: %d %s; want 200 duplicate of event %s", v.name, code, raw, first.ID)
		}
	}
	id, _ := strconv.ParseInt(first.ID, 10, 64)
	ev, err := r.db.Event(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Deliveries != 1+len(variants) {
		t.Errorf("event %d counts %d deliveries; want %d (the first and each variant once)", id, ev.Deliveries, 1+len(variants))
	}
	if code, raw := postURL(t, r.url+"/hooks/eaf/"+strings.Replace(eafToken, "-", "%2F", 1), body); code != 401 {
		t.Errorf("a %%2F in the token: %d %s; want 401", code, raw)
	}
}

// TestBodyOfExactlyMaxBodyBytesIsTaken: http.max_body_bytes is the
// largest body taken, not the first refused: a body of exactly that many
// bytes is stored, sent with its Content-Length or chunked, and one byte
// more is 413 either way.
func TestBodyOfExactlyMaxBodyBytesIsTaken(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil) // max_body_bytes 4096
	sized := func(id string, n int) []byte {
		head := `{"eaf_type":"feed_import","eaf_id":"` + id + `","eaf_source":"`
		return []byte(head + strings.Repeat("x", n-len(head)-2) + `"}`)
	}
	for _, c := range []struct {
		name    string
		chunked bool
	}{{"with its length", false}, {"chunked", true}} {
		send := func(b []byte) (int, string) {
			var rd io.Reader = bytes.NewReader(b)
			if c.chunked {
				rd = struct{ io.Reader }{rd}
			}
			resp, err := http.Post(r.url+"/hooks/eaf/"+eafToken, "application/json", rd)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(raw)
		}
		exact := sized("exact-"+strconv.FormatBool(c.chunked), 4096)
		if len(exact) != 4096 {
			t.Fatalf("the body is %d bytes", len(exact))
		}
		if code, raw := send(exact); code != 200 || gjson.Get(raw, "status").Str != "accepted" {
			t.Errorf("%s, 4096 bytes: %d %s; want 200 accepted", c.name, code, raw)
		}
		if code, raw := send(sized("over-"+strconv.FormatBool(c.chunked), 4097)); code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s, 4097 bytes: %d %s; want 413", c.name, code, raw)
		}
	}
}

// postURL posts body to url as application/json and returns the status and
// the answer's body.
func postURL(t *testing.T, url string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// postRaw posts body to path on the server at base in the HTTP version
// given, written by hand, and returns the status and the answer's body.
func postRaw(t *testing.T, base, version, path string, body []byte) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST %s %s\r\nHost: syncd\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, version, len(body), body)
	raw, err := io.ReadAll(conn) // HTTP/1.0: the server closes the connection after its answer
	if err != nil {
		t.Fatal(err)
	}
	head, answer, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	status, _, _ := strings.Cut(strings.TrimPrefix(string(head), version+" "), " ")
	code, _ := strconv.Atoi(status)
	return code, string(answer)
}
