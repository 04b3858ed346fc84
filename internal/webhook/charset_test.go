package webhook_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestBodyInADeclaredLegacyCharsetIsRead: a sender that writes its JSON in
// ISO-8859-1 or windows-1252 and says so in its Content-Type used to have
// every such delivery quarantined (invalid UTF-8), though the body says
// what it means. It is now read in the charset declared: the event keeps
// the bytes as sent and its document (what mapping, the report and
// `syncd events show` read) is the UTF-8 one, the same delivery as the
// body sent in UTF-8. Invalid UTF-8 that declares no charset, or UTF-8, is
// quarantined as before, and so is a body the declared charset cannot
// read.
func TestBodyInADeclaredLegacyCharsetIsRead(t *testing.T) {
	obs := &outcomes{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs })
	utf := []byte(`{"event_type":"enquiry_created","payload":{"client":{"name":"Søren Ærø","email":"soren@example.dk"},"comment":"Max 5000 € om måneden"}}`)
	latin := bytes.ReplaceAll(utf, []byte("ø"), []byte{0xf8})
	latin = bytes.ReplaceAll(latin, []byte("Æ"), []byte{0xc6})
	latin = bytes.ReplaceAll(latin, []byte("å"), []byte{0xe5})
	latin = bytes.ReplaceAll(latin, []byte("€"), []byte{0x80}) // windows-1252's euro sign
	path := "/hooks/lokalebasen/" + lbToken

	a := r.postAs(t, path, "application/json; charset=windows-1252", latin)
	if a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("windows-1252 declared: %+v; want accepted", a)
	}
	id, _ := strconv.ParseInt(a.ID, 10, 64)
	ev, err := r.db.Event(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ev.Body, latin) || !bytes.Equal(ev.Payload, utf) {
		t.Fatalf("body %q, document %q; want the bytes as sent and %q", ev.Body, ev.Payload, utf)
	}
	for _, again := range []struct{ contentType string }{
		{"application/json; charset=ISO-8859-1"}, {`application/json;charset="latin1"`},
	} {
		if d := r.postAs(t, path, again.contentType, latin); d.Status != "duplicate" || d.ID != a.ID {
			t.Fatalf("%s: %+v; want a duplicate of %s", again.contentType, d, a.ID)
		}
	}
	if d := r.postAs(t, path, "application/json", utf); d.Status != "duplicate" || d.ID != a.ID {
		t.Fatalf("the same in UTF-8: %+v; want a duplicate of %s", d, a.ID)
	}
	for _, contentType := range []string{"application/json", "application/json; charset=utf-8", "application/json; charset=no-such-charset"} {
		if q := r.postAs(t, path, contentType, latin); q.Status != "quarantined" {
			t.Fatalf("%s: %+v; want quarantined", contentType, q)
		}
	}
	// Shift_JIS declared, but the bytes are not Shift_JIS: not guessed at.
	if q := r.postAs(t, path, "application/json; charset=shift_jis", []byte(`{"event_type":"enquiry_created","comment":"`+"\x82\xff"+`"}`)); q.Status != "quarantined" {
		t.Fatalf("bytes the declared charset cannot read: %+v; want quarantined", q)
	}
	if obs.n["lokalebasen accepted"] != 1 || obs.n["lokalebasen quarantined not_utf8"] != 4 {
		t.Fatalf("observed %v", obs.n)
	}
}
