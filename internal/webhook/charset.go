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
// common mistake), and the normal delivery pays nothing for this.
//
// Charset names are the WHATWG Encoding Standard's labels, as browsers read
// them: ISO-8859-1 and latin1 are windows-1252.
func readDeclaredCharset(d *sender.Decoded, h http.Header, kind syncd.Kind, body []byte, maxDepth int) {
	if d.Code != sender.QuarantineNotUTF8 {
		return
	}
	_, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || params["charset"] == "" {
		return
	}
	enc, err := htmlindex.Get(params["charset"])
	if err != nil { // the label is the client's text: not for the log
		d.Reason += "; its Content-Type declares a charset syncd does not know"
		return
	}
	name, _ := htmlindex.Name(enc)
	if name == "utf-8" {
		return
	}
	text, err := enc.NewDecoder().Bytes(body)
	if err != nil || !utf8.Valid(text) || bytes.ContainsRune(text, utf8.RuneError) {
		// Bytes the charset has no character for: not guessed at.
		d.Reason += "; nor is it " + name + ", the charset its Content-Type declares"
		return
	}
	read := sender.Decode(kind, text, maxDepth)
	if read.Reason != "" {
		d.Reason, d.Code = read.Reason+" (read as "+name+", the charset its Content-Type declares)", read.Code
		return
	}
	if read.Payload == nil {
		read.Payload = text
	}
	read.Parse = syncd.ParseLenient
	*d = read
}
