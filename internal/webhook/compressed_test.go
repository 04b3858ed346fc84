package webhook_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestCompressedBodyIsQuarantinedAsCompressed: a body sent compressed
// (Content-Encoding: gzip or deflate, or gzip's bytes without the header)
// is kept in the quarantine with a reason that says it is compressed, and
// counted as compressed. The reason was "invalid UTF-8 at byte 1: ... sent
// in another charset, such as ISO-8859-1?", which sent the operator to
// iconv, which cannot help. A plain body under a Content-Encoding that
// does not apply is still accepted.
func TestCompressedBodyIsQuarantinedAsCompressed(t *testing.T) {
	t.Parallel()
	obs := &rejections{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs })
	plain := []byte(`{"eaf_type":"feed_import","eaf_id":"c1"}`)
	cases := []struct {
		name, encoding string
		body           []byte
		want           string
	}{
		{"gzip", "gzip", gzipped(plain), "Content-Encoding gzip"},
		{"deflate", "Deflate", deflated(plain), "Content-Encoding deflate"},
		{"a coding no one knows", "x\u00f8 42", gzipped([]byte(`{"eaf_id":"c2"}`)), "Content-Encoding (other)"},
		{"gzip without the header", "", gzipped([]byte(`{"eaf_id":"c3"}`)), "gzip-compressed"},
	}
	for _, c := range cases {
		if a := r.postEncoded(t, c.encoding, c.body); a.Code != 200 || a.Status != "quarantined" {
			t.Fatalf("%s: %+v", c.name, a)
		}
		qs, err := r.db.Quarantined(context.Background(), syncd.EventFilter{})
		if err != nil || len(qs) == 0 {
			t.Fatalf("%s: %v", c.name, err)
		}
		reason := qs[len(qs)-1].Reason
		if !strings.Contains(reason, c.want) || strings.Contains(reason, "UTF-8") || strings.Contains(reason, "ø") {
			t.Errorf("%s: quarantined as %q, want %q", c.name, reason, c.want)
		}
	}
	if n := obs.n["eaf quarantined compressed"]; n != len(cases) {
		t.Errorf("counted %v, want %d compressed", obs.n, len(cases))
	}
	if a := r.postEncoded(t, "gzip", plain); a.Status != "accepted" {
		t.Errorf("a plain body under Content-Encoding gzip: %+v", a)
	}
}

func (r *rig) postEncoded(t *testing.T, encoding string, body []byte) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", r.url+"/hooks/eaf/"+eafToken, bytes.NewReader(body))
	req.Header.Set("Content-Encoding", encoding)
	resp, err := http.DefaultClient.Do(req)
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

func deflated(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
