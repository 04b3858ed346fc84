package webhook

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"

	"github.com/syncd-dev/syncd/internal/sender"
)

// compressed is the quarantine reason of a body that did not decode and
// was sent compressed: its Content-Encoding names a coding, or it starts as
// gzip does. syncd reads bodies as sent (neither sender compresses, and the
// quarantine keeps bodies byte for byte); the reason the decoder gives such
// a body, invalid UTF-8 "sent in another charset?", sent the operator to
// iconv, which cannot help. "" when the body is not compressed.
func compressed(h http.Header, body []byte) string {
	coding := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding")))
	switch {
	case coding == "" || coding == "identity":
		if !bytes.HasPrefix(body, gzipMagic) {
			return ""
		}
		return "body is gzip-compressed (without a Content-Encoding saying so), which syncd does not decode: " + compressedFix
	case !codingName.MatchString(coding):
		coding = "(other)" // the client's text: not for the log
	}
	return "body sent with Content-Encoding " + coding + ", which syncd does not decode: " + compressedFix
}

const compressedFix = "ask the sender to send plain JSON; decompress a copy and repair it"

// gzipMagic starts every gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// codingName is what a content coding's name looks like (gzip, deflate,
// br, zstd, x-gzip, a list of them).
var codingName = regexp.MustCompile(`^[a-z0-9-]{1,16}(, ?[a-z0-9-]{1,16}){0,3}$`)

// markCompressed gives d the reason and code of a compressed body when it
// did not decode and was sent compressed.
func markCompressed(d *sender.Decoded, h http.Header, body []byte) {
	if d.Reason == "" {
		return // it decoded: whatever the header said, the body is JSON
	}
	if why := compressed(h, body); why != "" {
		d.Reason, d.Code = why, sender.QuarantineCompressed
	}
}

// SentCompressed says whether reason, a quarantined body's, is that of a
// body sent compressed (see compressed): its copy must be decompressed
// before it is corrected and repaired.
func SentCompressed(reason string) bool {
	return strings.HasSuffix(reason, compressedFix)
}
