package webhook

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"
	"regexp"

	"github.com/syncd-dev/syncd/internal/sender"
)

// formHint is what markForm adds to the reason of a body that is no JSON
// but an HTML form's fields: the reason said only "invalid JSON: invalid
// character 'p' looking for beginning of value", and nothing of the
// sender posting a form.
const formHint = "the body reads as a form's fields (name=value&…, application/x-www-form-urlencoded), not JSON: " +
	"ask the sender to post JSON; a field may hold the lead's JSON percent-encoded: decode a copy and repair it"

// formName is how a body of form fields starts: a field's name (PHP's
// a[b] too), then "=".
var formName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-\[\]]{0,63}=`)

// markForm adds formHint to d's reason when the body did not decode as
// JSON and was sent as a form: its Content-Type says so, or it starts as
// form fields do and parses as them. A body that starts as JSON does
// (an object or array, after white space and a byte-order mark) is JSON
// gone wrong whatever its label: PHP's curl labels every string it posts
// a form.
func markForm(d *sender.Decoded, h http.Header, body []byte) {
	if d.Code != sender.QuarantineInvalidJSON {
		return
	}
	start := bytes.TrimLeft(bytes.TrimPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(start) > 0 && (start[0] == '{' || start[0] == '[') {
		return
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		if !formName.Match(body) {
			return
		}
		if _, err := url.ParseQuery(string(body)); err != nil {
			return
		}
	}
	d.Reason += " (" + formHint + ")"
}
