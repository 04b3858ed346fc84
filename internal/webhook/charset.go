package webhook

import (
	"bytes"
	"mime"
	"net/http"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// readDeclaredCharset reads again, in the charset its Content-Type
// declares, a body that was not UTF-8 (d from sender.Decode): a sender
// writing ISO-8859-1 or windows-1252 and saying so, or UTF-16 after its
// byte-order mark, which says so whatever the header does (bomCharset). When the body reads as
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

// readIn decodes body in the charset it says it is in, other than UTF-8:
// the UTF-16 its byte-order mark names, else the one h's Content-Type
// declares. declared is false when neither says one (or UTF-8 is
// declared); why says what stopped the reading before any JSON was read (a
// charset syncd does not know, bytes it has no character for); read is
// what Decode made of the text, its reason naming the charset, its payload
// the text.
func readIn(h http.Header, kind syncd.Kind, body []byte, maxDepth int) (read sender.Decoded, why string, declared bool) {
	enc, name, said := bomCharset(body)
	if enc == nil {
		_, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil || params["charset"] == "" {
			return read, "", false
		}
		if enc, err = htmlindex.Get(params["charset"]); err != nil { // the label is the client's text: not for the log
			return read, "; its Content-Type declares a charset syncd does not know", true
		}
		name, _ = htmlindex.Name(enc)
		said = "the charset its Content-Type declares"
	}
	if name == "utf-8" {
		return read, "", false
	}
	text, err := enc.NewDecoder().Bytes(body)
	if err != nil || !utf8.Valid(text) || bytes.ContainsRune(text, utf8.RuneError) {
		// Bytes the charset has no character for: not guessed at.
		return read, "; nor is it " + name + ", " + said, true
	}
	read = sender.Decode(kind, text, maxDepth)
	if read.Reason != "" {
		read.Reason += " (read as " + name + ", " + said + ")"
		return read, "", true
	}
	if read.Payload == nil {
		read.Payload = text
	}
	read.Parse = syncd.ParseLenient
	return read, "", true
}

// bomCharset is the UTF-16 that body's byte-order mark says it is in, its
// name and how it was told, or nil when body starts with no such mark. The
// mark wins over any label, as in the WHATWG Encoding Standard's decode:
// Java's "UTF-16" writes big-endian after FE FF and labels it UTF-16, which
// the Standard's labels read as UTF-16LE, and a file saved as "Unicode" on
// Windows (little-endian after FF FE) is posted with no charset at all.
// Neither mark can start UTF-8 or JSON in any charset a label names.
func bomCharset(body []byte) (enc encoding.Encoding, name, said string) {
	const byMark = "as its byte-order mark says"
	switch {
	case bytes.HasPrefix(body, []byte{0xfe, 0xff}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be", byMark
	case bytes.HasPrefix(body, []byte{0xff, 0xfe}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le", byMark
	}
	return nil, "", ""
}
