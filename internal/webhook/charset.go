package webhook

import (
	"bytes"
	"mime"
	"net/http"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// readDeclaredCharset reads again, in the charset its Content-Type
// declares, a body that was not UTF-8 (d from sender.Decode): a sender
// writing ISO-8859-1 or windows-1252 and saying so. When the body reads as
// JSON in that charset, d becomes what Decode makes of the UTF-8 text, with
// that text as the payload (the event keeps the bytes as sent as its body);
// otherwise d stays quarantined (its key the raw bytes'), its reason saying
// what the declared charset made of it. Only a body that is
// not UTF-8 is read this way: UTF-8, whatever the header says, is read as
// it is (a sender declaring ISO-8859-1 for the UTF-8 it sends is the more
// common mistake), and the normal delivery pays nothing for this. A body
// that is UTF-8 but not JSON, as UTF-16 without a byte-order mark is when
// it writes only ASCII ('{' as 00 7B), is taken in the charset declared
// when it is JSON in that one, and otherwise keeps its reason.
//
// Charset names are the WHATWG Encoding Standard's labels, as browsers read
// them: ISO-8859-1 and latin1 are windows-1252.
func readDeclaredCharset(d *sender.Decoded, h http.Header, kind syncd.Kind, body []byte, maxDepth int) {
	if d.Code != sender.QuarantineNotUTF8 && d.Code != sender.QuarantineInvalidJSON {
		return
	}
	read, why, declared := readIn(h, kind, body, maxDepth)
	notUTF8 := d.Code == sender.QuarantineNotUTF8 // else UTF-8 text: its own reason stands
	switch {
	case !declared:
	case why != "":
		if notUTF8 {
			d.Reason += why
		}
	case read.Reason == "":
		*d = read
	case notUTF8:
		d.Reason, d.Code = read.Reason, read.Code
	}
}

// readIn decodes body in the charset h's Content-Type declares, other than
// UTF-8. declared is false when it declares none (or UTF-8); why says what
// stopped the reading before any JSON was read (a charset syncd does not
// know, bytes it has no character for); read is what Decode made of the
// text, its reason naming the charset, its payload the text.
func readIn(h http.Header, kind syncd.Kind, body []byte, maxDepth int) (read sender.Decoded, why string, declared bool) {
	_, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || params["charset"] == "" {
		return read, "", false
	}
	enc, err := htmlindex.Get(params["charset"])
	if err != nil { // the label is the client's text: not for the log
		return read, "; its Content-Type declares a charset syncd does not know", true
	}
	name, _ := htmlindex.Name(enc)
	if name == "utf-8" {
		return read, "", false
	}
	text, err := enc.NewDecoder().Bytes(body)
	if err != nil || !utf8.Valid(text) || bytes.ContainsRune(text, utf8.RuneError) {
		// Bytes the charset has no character for: not guessed at.
		return read, "; nor is it " + name + ", the charset its Content-Type declares", true
	}
	read = sender.Decode(kind, text, maxDepth)
	if read.Reason != "" {
		read.Reason += " (read as " + name + ", the charset its Content-Type declares)"
		return read, "", true
	}
	if read.Payload == nil {
		read.Payload = text
	}
	read.Parse = syncd.ParseLenient
	return read, "", true
}
