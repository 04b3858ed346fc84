package webhook_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/syncd-dev/syncd/internal/syncd"
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
	t.Parallel()
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

// TestBodyInADeclaredCharsetThatIsNotJSONSaysWhy: a body that declares
// ISO-8859-1 and is read in it, but is not JSON even so, used to be
// quarantined as "invalid UTF-8 ... (sent in another charset, such as
// ISO-8859-1?)": the one thing it was not. Its reason is now what is wrong
// with the text, read in the charset it declares; a charset syncd does not
// know is named as such (never as the client wrote it).
func TestBodyInADeclaredCharsetThatIsNotJSONSaysWhy(t *testing.T) {
	t.Parallel()
	obs := &outcomes{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs })
	path := "/hooks/lokalebasen/" + lbToken
	if q := r.postAs(t, path, "application/json; charset=iso-8859-1", []byte("{\"event_type\":\"x\",\"name\":\"S\xf8ren\"")); q.Status != "quarantined" {
		t.Fatalf("%+v; want quarantined", q)
	}
	if q := r.postAs(t, path, "application/json; charset=x-jane-doe", []byte("{\"event_type\":\"x\",\"name\":\"S\xf8ren\"}")); q.Status != "quarantined" {
		t.Fatalf("%+v; want quarantined", q)
	}
	qs, err := r.db.Quarantined(context.Background(), syncd.EventFilter{})
	if err != nil || len(qs) != 2 {
		t.Fatalf("quarantine %+v, %v", qs, err)
	}
	if why := qs[0].Reason; strings.Contains(why, "UTF-8") || !strings.Contains(why, "windows-1252") {
		t.Fatalf("reason %q; want what is wrong with the text read as windows-1252", why)
	}
	if why := qs[1].Reason; !strings.Contains(why, "charset syncd does not know") || strings.Contains(why, "jane") {
		t.Fatalf("reason %q; want it to say the declared charset is unknown, without naming it", why)
	}
	if obs.n["lokalebasen quarantined invalid_json"] != 1 || obs.n["lokalebasen quarantined not_utf8"] != 1 {
		t.Fatalf("observed %v", obs.n)
	}
}

// TestBodyInDeclaredUTF16IsRead: the README says a body that declares a
// charset of the WHATWG Encoding Standard is read in it, but UTF-16 that
// writes only ASCII, without a byte-order mark, is valid UTF-8 ('{' is
// 00 7B), so it was never read in the charset it declares: quarantined as
// "invalid character '\x00'". It is now read in it when it is JSON there,
// the same delivery as the body in UTF-8; UTF-8 that is not JSON keeps
// its reason whatever charset it declares.
func TestBodyInDeclaredUTF16IsRead(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	path := "/hooks/lokalebasen/" + lbToken
	utf := []byte(`{"event_type":"enquiry_created","payload":{"client":{"name":"Kim","email":"kim@example.dk"}}}`)
	var be, le []byte
	for _, c := range utf {
		be, le = append(be, 0, c), append(le, c, 0)
	}
	a := r.postAs(t, path, "application/json; charset=utf-16be", be)
	if a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("UTF-16BE declared: %+v; want accepted", a)
	}
	for _, again := range []struct {
		contentType string
		body        []byte
	}{{"application/json; charset=UTF-16LE", le}, {"application/json", utf}} {
		if d := r.postAs(t, path, again.contentType, again.body); d.Status != "duplicate" || d.ID != a.ID {
			t.Fatalf("%s: %+v; want a duplicate of %s", again.contentType, d, a.ID)
		}
	}
	if q := r.postAs(t, path, "application/json", be); q.Status != "quarantined" {
		t.Fatalf("UTF-16BE undeclared: %+v; want quarantined", q)
	}
	if q := r.postAs(t, path, "application/json; charset=iso-8859-1", []byte(`{"event_type":"x",`)); q.Status != "quarantined" {
		t.Fatalf("UTF-8 that is not JSON: %+v; want quarantined", q)
	}
	qs, err := r.db.Quarantined(context.Background(), syncd.EventFilter{})
	if err != nil || len(qs) != 2 || !strings.HasPrefix(qs[1].Reason, "invalid JSON") || strings.Contains(qs[1].Reason, "windows-1252") {
		t.Fatalf("quarantine %+v, %v; want two, the UTF-8 one's reason its own", qs, err)
	}
}

// TestBodyInUTF16WithAByteOrderMarkIsRead: a body in UTF-16 that starts
// with its byte-order mark says which UTF-16 it is, as the WHATWG Encoding
// Standard's decode reads it whatever the label: Java's "UTF-16" writes
// big-endian after FE FF and labels it charset=UTF-16, which the Standard's
// label table makes UTF-16LE; PowerShell's and Notepad's "Unicode" files
// are little-endian after FF FE, posted with no charset. Both used to be
// quarantined, the one as "invalid character 'ï' (read as utf-16le)", the
// other as invalid UTF-8 "sent in another charset, such as ISO-8859-1?",
// advice that made iconv write garbage. Each is now read in the UTF-16 its
// mark says: an event keeping the bytes as sent, the same delivery as the
// body in UTF-8; one that is not JSON even so says so, naming the UTF-16.
func TestBodyInUTF16WithAByteOrderMarkIsRead(t *testing.T) {
	t.Parallel()
	obs := &outcomes{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs })
	path := "/hooks/eaf/" + eafToken
	utf := []byte(`{"eaf_type":"email_lead","eaf_id":"5550001","contact_name":"Søren Ærø","contact_email":"soren@example.dk","contact_message_flat":"Max 5000 € 😀"}`)
	be, le := utf16Of(utf, true), utf16Of(utf, false)

	a := r.postAs(t, path, "application/json; charset=UTF-16", append([]byte{0xfe, 0xff}, be...))
	if a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("UTF-16BE after its byte-order mark, labelled UTF-16: %+v; want accepted", a)
	}
	id, _ := strconv.ParseInt(a.ID, 10, 64)
	ev, err := r.db.Event(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ev.Body, append([]byte{0xfe, 0xff}, be...)) || !bytes.Equal(ev.Payload, utf) {
		t.Fatalf("body %q, document %q; want the bytes as sent and %q", ev.Body, ev.Payload, utf)
	}
	for _, again := range []struct {
		name, contentType string
		body              []byte
	}{
		{"UTF-16LE after its mark, no charset", "application/json", append([]byte{0xff, 0xfe}, le...)},
		{"UTF-16LE after its mark, labelled ISO-8859-1", "application/json; charset=iso-8859-1", append([]byte{0xff, 0xfe}, le...)},
		{"UTF-16BE after its mark, labelled UTF-16LE", "application/json; charset=utf-16le", append([]byte{0xfe, 0xff}, be...)},
		{"UTF-8", "application/json", utf},
	} {
		if d := r.postAs(t, path, again.contentType, again.body); d.Status != "duplicate" || d.ID != a.ID {
			t.Fatalf("%s: %+v; want a duplicate of %s", again.name, d, a.ID)
		}
	}
	notJSON := append([]byte{0xff, 0xfe}, utf16Of([]byte(`{"eaf_type":"email_lead","eaf_id":"5550002",`), false)...)
	if q := r.postAs(t, path, "application/json", notJSON); q.Status != "quarantined" {
		t.Fatalf("UTF-16 that is not JSON: %+v; want quarantined", q)
	}
	qs, err := r.db.Quarantined(context.Background(), syncd.EventFilter{})
	if err != nil || len(qs) != 1 {
		t.Fatalf("quarantine %+v, %v; want one body", qs, err)
	}
	if why := qs[0].Reason; !strings.HasPrefix(why, "invalid JSON") || !strings.Contains(why, "utf-16le") || strings.Contains(why, "ISO-8859-1") {
		t.Fatalf("reason %q; want what is wrong with the text read as utf-16le", why)
	}
	if obs.n["eaf accepted"] != 1 || obs.n["eaf quarantined invalid_json"] != 1 {
		t.Fatalf("observed %v", obs.n)
	}
}

// utf16Of is text in UTF-16, big- or little-endian, without a byte-order
// mark.
func utf16Of(text []byte, bigEndian bool) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(string(text))) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}
