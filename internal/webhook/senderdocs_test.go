package webhook_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// senderExamples are the example bodies of the senders' own documentation
// (docs/senders/), as printed there: Estate Agent Feeds' each on a line of
// its own, Lokalebasen's the lines between its introduction and the
// paragraph after it. Each is the source path it is posted to, the
// documented type, and the body.
func senderExamples(t *testing.T) []struct {
	path, typ string
	body      []byte
} {
	t.Helper()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("../../docs/senders", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var out []struct {
		path, typ string
		body      []byte
	}
	for _, line := range strings.Split(read("estate-agent-feeds-webhooks.txt"), "\n") {
		if strings.HasPrefix(line, `{ "eaf_type"`) {
			out = append(out, struct {
				path, typ string
				body      []byte
			}{"/hooks/eaf/" + eafToken, gjson.Get(line, "eaf_type").Str, []byte(line)})
		}
	}
	lb := read("lokalebasen-push-events.txt")
	_, after, ok := strings.Cut(lb, "Here is an example of the event body:\n")
	body, _, ok2 := strings.Cut(after, "Lokalebasen has two types")
	if !ok || !ok2 {
		t.Fatal("docs/senders/lokalebasen-push-events.txt: its example body is not where it was")
	}
	out = append(out, struct {
		path, typ string
		body      []byte
	}{"/hooks/lokalebasen/" + lbToken, "enquiry_created", []byte(body)})
	if len(out) != 5 {
		t.Fatalf("found %d examples in docs/senders; the senders' documentation gives 5 (4 of Estate Agent Feeds, 1 of Lokalebasen)", len(out))
	}
	return out
}

// TestSendersOwnExamplesAreStoredAsTheirTypes: every example body in the
// senders' documentation, posted as printed there to its source over
// HTTP, is answered 200 accepted and stored under the type it names, its
// bytes as sent; and the fixtures under testdata/webhooks, which the other
// tests post, are those examples byte for byte (testdata/webhooks/README.md
// says so).
func TestSendersOwnExamplesAreStoredAsTheirTypes(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	examples := senderExamples(t)
	for _, ex := range examples {
		a := r.post(t, ex.path, ex.body)
		if a.Code != 200 || a.Status != "accepted" {
			t.Fatalf("%s example: answer %+v; want 200 accepted", ex.typ, a)
		}
		id, _ := strconv.ParseInt(a.ID, 10, 64)
		ev, err := r.db.Event(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type != ex.typ || !bytes.Equal(ev.Body, ex.body) || ev.MapState == syncd.MapUnrecognised {
			t.Errorf("%s example: stored as type %q (%s), body as sent %v", ex.typ, ev.Type, ev.MapState, bytes.Equal(ev.Body, ex.body))
		}
	}
	fixtures, err := filepath.Glob("../../testdata/webhooks/*/*.json")
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range fixtures {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, ex := range examples {
			found = found || bytes.Equal(bytes.TrimRight(b, "\n"), bytes.TrimRight(ex.body, "\n"))
		}
		if !found {
			t.Errorf("%s is none of the examples in docs/senders, byte for byte", f)
		}
	}
}

// TestBodyIsReadWhateverItsContentTypeSays: both senders document a JSON
// body, and a sender's HTTP client may label it otherwise (PHP's curl
// posts a string as application/x-www-form-urlencoded unless told; none,
// text/plain, any case of the header's name and value): syncd reads the
// body as sent, and each is the same delivery as the first.
func TestBodyIsReadWhateverItsContentTypeSays(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	body := fixture(t, "eaf/email_lead.json")
	url := r.url + "/hooks/eaf/" + eafToken
	post := func(name, value string) answer {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if name != "" {
			req.Header[name] = []string{value} // sent with its name as written
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		a := answer{Code: resp.StatusCode}
		a.Status, a.ID = gjson.GetBytes(raw, "status").Str, gjson.GetBytes(raw, "event_id").Str
		return a
	}
	first := post("Content-Type", "application/json")
	if first.Code != 200 || first.Status != "accepted" {
		t.Fatalf("application/json: %+v; want 200 accepted", first)
	}
	for _, h := range []struct{ name, value string }{
		{"", ""},
		{"Content-Type", "text/plain"},
		{"Content-Type", "application/x-www-form-urlencoded"},
		{"content-type", "APPLICATION/JSON; CHARSET=UTF-8"},
		{"CONTENT-TYPE", "application/json;charset=utf-8"},
	} {
		if a := post(h.name, h.value); a.Code != 200 || a.Status != "duplicate" || a.ID != first.ID {
			sent := "no Content-Type"
			if h.name != "" {
				sent = h.name + ": " + h.value
			}
			t.Errorf("%s: %+v; want 200 duplicate of event %s", sent, a, first.ID)
		}
	}
}
