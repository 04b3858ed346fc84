package crm

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// h2Faulty is a CRM speaking HTTP/2 frame by frame, so that it can end
// its first request as a real server or proxy may: GOAWAY (ENHANCE_YOUR_CALM,
// as one that finds the client's pings too many sends), or RST_STREAM,
// having carried the request out or not. Later requests are answered 200.
type h2Faulty struct {
	fault   string
	mu      sync.Mutex
	arrived int // requests that arrived whole
	applied int // requests carried out
}

// done ends the request on stream id, arrived whole, and reports whether
// the connection goes on.
func (f *h2Faulty) done(fr *http2.Framer, enc *hpack.Encoder, buf *bytes.Buffer, id uint32) bool {
	f.mu.Lock()
	f.arrived++
	fault := f.fault
	if f.arrived > 1 {
		fault = ""
	}
	if fault != "goaway unprocessed" && fault != "reset refused" {
		f.applied++
	}
	f.mu.Unlock()
	switch fault {
	case "goaway unprocessed": // a stream above the last one: not processed
		_ = fr.WriteGoAway(0, http2.ErrCodeEnhanceYourCalm, []byte("too_many_pings"))
		return false
	case "goaway processed":
		_ = fr.WriteGoAway(id, http2.ErrCodeEnhanceYourCalm, []byte("too_many_pings"))
		return false
	case "reset protocol":
		_ = fr.WriteRSTStream(id, http2.ErrCodeProtocol)
	case "reset internal":
		_ = fr.WriteRSTStream(id, http2.ErrCodeInternal)
	case "reset refused": // refused: not processed
		_ = fr.WriteRSTStream(id, http2.ErrCodeRefusedStream)
	default:
		buf.Reset()
		_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
		_ = enc.WriteField(hpack.HeaderField{Name: "content-type", Value: "application/json"})
		_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: buf.Bytes(), EndHeaders: true})
		_ = fr.WriteData(id, true, []byte(`{"id":"51"}`))
	}
	return true
}

func (f *h2Faulty) serve(c net.Conn) {
	defer c.Close()
	if _, err := io.ReadFull(c, make([]byte, len(http2.ClientPreface))); err != nil {
		return
	}
	fr := http2.NewFramer(c, c)
	var buf bytes.Buffer
	enc := hpack.NewEncoder(&buf)
	if fr.WriteSettings() != nil {
		return
	}
	for {
		frame, err := fr.ReadFrame()
		if err != nil {
			return
		}
		end := false
		switch fm := frame.(type) {
		case *http2.SettingsFrame:
			if !fm.IsAck() {
				_ = fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !fm.IsAck() {
				_ = fr.WritePing(true, fm.Data)
			}
		case *http2.HeadersFrame:
			end = fm.StreamEnded()
		case *http2.DataFrame:
			end = fm.StreamEnded()
		}
		if end && !f.done(fr, enc, &buf, frame.Header().StreamID) {
			return
		}
	}
}

// startH2Faulty serves f over TLS with HTTP/2 until the test ends, and
// returns its URL and the production transport set to trust it.
func startH2Faulty(t *testing.T, f *h2Faulty) (string, *http.Transport) {
	t.Helper()
	certs := httptest.NewUnstartedServer(nil)
	certs.EnableHTTP2 = true
	certs.StartTLS()
	trust := certs.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	cfg := &tls.Config{Certificates: certs.TLS.Certificates, NextProtos: []string{"h2"}}
	certs.Close()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	tr := defaultTransport(time.Second)
	tr.TLSClientConfig = trust
	return "https://" + ln.Addr().String(), tr
}

// TestHTTP2GoawayAndResetCreateNothingTwice: a CRM (or a proxy before
// it) that ends a request over HTTP/2 with GOAWAY or RST_STREAM. net/http
// sent a create again on its own, on a new connection, after a
// RST_STREAM with PROTOCOL_ERROR, which a server may send having carried
// the request out: a second person or deal in Pipedrive, which has no
// uniqueness. Now a call not safe to resend goes out once whatever the
// CRM answers, and its error says why (the syncer's guard then looks the
// record up before it creates again); one the CRM refused unprocessed
// (REFUSED_STREAM, a GOAWAY below it) and one safe to resend still go
// again at once. Every failure is a retryable network error that names
// what the CRM sent, and counts as reached when the CRM carried it out.
func TestHTTP2GoawayAndResetCreateNothingTwice(t *testing.T) {
	for _, tc := range []struct {
		fault string
		safe  bool
		want  string // in the error; "" for an answer
	}{
		{"goaway unprocessed", false, "received GOAWAY from server ErrCode:ENHANCE_YOUR_CALM"},
		{"goaway processed", false, `GOAWAY and closed the connection; LastStreamID=1, ErrCode=ENHANCE_YOUR_CALM, debug="too_many_pings"`},
		{"reset protocol", false, "is not sent again: the CRM may have carried it out"},
		{"reset internal", false, "INTERNAL_ERROR"},
		{"reset refused", false, "is not sent again"},
		{"reset protocol", true, ""},
		{"reset refused", true, ""},
	} {
		f := &h2Faulty{fault: tc.fault}
		url, tr := startH2Faulty(t, f)
		c := NewHTTPClient(Options{Name: "test", Timeout: time.Second, RetryMax: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Transport: tr})
		resp, err := c.Do(context.Background(), Call{Op: "persons_add", Method: http.MethodPost, URL: url + "/api/v2/persons",
			Body: map[string]string{"name": "x"}, Safe: tc.safe})
		f.mu.Lock()
		arrived, applied := f.arrived, f.applied
		f.mu.Unlock()
		t.Logf("%s (safe %v): %d arrived, %d carried out; err %v", tc.fault, tc.safe, arrived, applied, err)
		if !tc.safe && applied > 1 {
			t.Errorf("%s: a create was carried out %d times", tc.fault, applied)
		}
		if tc.want == "" {
			if err != nil || resp.Status != 200 {
				t.Errorf("%s, safe to resend: %+v %v; want the answer to the resend", tc.fault, resp, err)
			}
			continue
		}
		var ce *syncd.CRMError
		if !errors.As(err, &ce) || ce.Class != syncd.ErrRetry || ce.Code != syncd.CodeNetwork || ce.Unreached {
			t.Errorf("%s: err %#v; want a retryable network error, reached", tc.fault, err)
		} else if !bytes.Contains([]byte(ce.Message), []byte(tc.want)) {
			t.Errorf("%s: message %q; want it to name %q", tc.fault, ce.Message, tc.want)
		}
	}
}
