package sender

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// DefaultMaxDepth is the deepest nesting of arrays and objects a body may
// have when Options.MaxDepth is 0. Documented events nest 3 deep.
const DefaultMaxDepth = 256

// MaxDepthLimit is the deepest a maximum depth may be set: encoding/json,
// which checks every body, refuses deeper nesting as invalid JSON.
const MaxDepthLimit = 10000

// bom is the UTF-8 byte-order mark some senders put before the document.
var bom = []byte{0xEF, 0xBB, 0xBF}

// scanner states, for the passes below that read JSON without recursing.
const (
	stCode = iota
	stString
	stEscape
	stSlash     // a '/' outside a string: a comment may start
	stLine      // inside // ...
	stBlock     // inside /* ... */
	stBlockStar // a '*' inside a block comment
)

// errTooDeep is the quarantine reason for a body nested too deep to parse
// safely; it carries the limit so that the operator sees which setting.
type errTooDeep struct{ limit int }

func (e errTooDeep) Error() string {
	return fmt.Sprintf("nesting deeper than %d levels (intake.max_depth)", e.limit)
}

// names is what scan learns of the member names of a body's objects.
type names struct {
	twice   bool // an object gives a member twice, names compared as written
	escaped bool // a name has an escape: compare them decoded to be sure
}

// scan checks that body nests arrays and objects no deeper than limit, and
// looks for a member given twice in one object. It is one loop over the
// bytes with no recursion, run before any parser sees the body: a parser
// that recurses on a body of a million '[' overflows its stack or takes
// gigabytes. Strings are skipped whole; brackets inside strings and
// comments do not count. An ordinary body costs no allocation. What it
// says of names holds only if body is JSON, leniently.
func scan(body []byte, limit int) (names, error) {
	var keyBuf [64]keySpan
	var openBuf [32]object
	keys, open := keyBuf[:0], openBuf[:0]
	var n names
	depth, st, wantKey := 0, stCode, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		if st = commentState(st, c); st != stCode {
			continue
		}
		switch c {
		case '"':
			end := stringEnd(body, i)
			if wantKey {
				n.escaped = n.escaped || bytes.IndexByte(body[i+1:end], '\\') >= 0
				keys, wantKey = append(room(keys, limit), keySpan{i + 1, end}), false
			}
			i = end
		case '[', '{':
			if depth++; depth > limit {
				return n, errTooDeep{limit}
			}
			if c == '{' {
				open, wantKey = append(room(open, limit), object{len(keys), depth}), true
			}
		case ',':
			wantKey = len(open) > 0 && open[len(open)-1].depth == depth
		case ']', '}':
			if len(open) > 0 && open[len(open)-1].depth == depth {
				from := open[len(open)-1].from
				n.twice = n.twice || repeats(body, keys[from:])
				keys, open = keys[:from], open[:len(open)-1]
			}
			depth--
		}
	}
	return n, nil
}

// object is an object open where scan is: its first name in keys, its
// depth.
type object struct{ from, depth int }

// room is s with room for one more element: a body nested to the depth
// limit grows scan's stacks once or twice, not at every doubling.
func room[T any](s []T, limit int) []T {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(limit, len(s)))
}

// commentState is the comment part of the scanner: the state after c when
// outside a string. stCode means c itself is code to look at.
func commentState(st int, c byte) int {
	switch st {
	case stSlash:
		switch c {
		case '/':
			return stLine
		case '*':
			return stBlock
		}
		return stCode
	case stLine:
		if c == '\n' {
			return stCode
		}
		return stLine
	case stBlock, stBlockStar:
		if c == '*' {
			return stBlockStar
		}
		if st == stBlockStar && c == '/' {
			return stComment
		}
		return stBlock
	}
	if c == '/' {
		return stSlash
	}
	return stCode
}

// stComment is the state right after a block comment closed: the '/' that
// closed it is not code.
const stComment = -1

// standardize is the lenient pass: it returns a copy of body without
// comments and trailing commas (the HuJSON senders write, Lokalebasen's own
// example among them), in one loop and in memory the size of body. body is
// never changed: it is stored byte for byte as received. The result is not
// checked; the caller runs json.Valid on it.
func standardize(body []byte) []byte {
	out := make([]byte, 0, len(body))
	st, comma := stCode, false
	for _, c := range body {
		switch st {
		case stString:
			out = append(out, c)
			if c == '\\' {
				st = stEscape
			} else if c == '"' {
				st = stCode
			}
			continue
		case stEscape:
			out = append(out, c)
			st = stString
			continue
		}
		prev := st
		if st = commentState(st, c); st == stComment {
			st = stCode
			out = append(out, ' ') // a comment separates tokens like a space
			continue
		}
		if prev == stSlash && st == stCode {
			out = append(out, '/') // not a comment after all: invalid, kept for json.Valid to refuse
		}
		if st != stCode {
			if st == stLine && prev != stLine {
				out = append(out, ' ')
			}
			continue
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			out = append(out, c)
			continue
		case c == ',':
			if comma {
				out = append(out, ',') // ",," stays invalid
			}
			comma = true
			continue
		case comma && c != ']' && c != '}':
			out = append(out, ',')
		}
		comma = false
		if c == '"' {
			st = stString
		}
		out = append(out, c)
	}
	if comma {
		out = append(out, ',')
	}
	if st == stSlash || st == stBlock || st == stBlockStar {
		out = append(out, '/') // a lone '/' or an unclosed comment: invalid
	}
	return out
}

// Canonical is syncd's one canonical form of a JSON document, the input of
// every content-derived idempotency key: object members sorted by name at
// every level, no insignificant white space, numbers exactly as sent, and
// strings decoded and written again in one way (only '"', '\\' and control
// characters escaped), so that "\u00f8" and "ø", or "\/" and "/", are the
// same. doc must be valid JSON no deeper than the limit checked on intake.
func Canonical(doc []byte) []byte {
	// One allocation for the members of the objects open at once in a
	// lead (11 in Lokalebasen's), where growing from none took five.
	c := canonical{ms: make([]member, 0, 16)}
	return c.append(make([]byte, 0, len(doc)), gjson.ParseBytes(doc))
}

// canonical writes values in canonical form; ms is scratch space shared by
// every object of one document (each sorts its members in a segment at the
// end, released when it is written), so a document costs one allocation
// for its members, not one per object and growth.
type canonical struct{ ms []member }

// member is one member of an object: its key unescaped, its value as in
// the document (a gjson.Result is five times the size).
type member struct{ key, raw string }

// append writes v in canonical form. It recurses, but only on documents
// whose depth scan has bounded.
func (c *canonical) append(out []byte, v gjson.Result) []byte {
	switch {
	case v.IsObject():
		start := len(c.ms)
		v.ForEach(func(k, val gjson.Result) bool { c.ms = append(c.ms, member{k.Str, val.Raw}); return true })
		slices.SortStableFunc(c.ms[start:], func(a, b member) int { return compareStr(a.key, b.key) })
		out = append(out, '{')
		for i, end := start, len(c.ms); i < end; i++ {
			if i > start {
				out = append(out, ',')
			}
			m := c.ms[i] // c.ms may grow while the member is written
			out = appendString(out, m.key)
			out = append(out, ':')
			out = c.append(out, gjson.Parse(m.raw))
		}
		c.ms = c.ms[:start]
		return append(out, '}')
	case v.IsArray():
		out = append(out, '[')
		first := true
		v.ForEach(func(_, val gjson.Result) bool {
			if !first {
				out = append(out, ',')
			}
			first = false
			out = c.append(out, val)
			return true
		})
		return append(out, ']')
	case v.Type == gjson.String:
		return appendString(out, v.Str)
	}
	return append(out, v.Raw...)
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// appendString writes s as a JSON string, escaping only what must be.
func appendString(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		out = append(out, s[start:i]...)
		if c < 0x20 {
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		} else {
			out = append(out, '\\', c)
		}
		start = i + 1
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}

// parse is the decoder's first step for body, which it only reads: the
// byte-order mark dropped, depth checked, then strict JSON or the lenient
// pass, and of a member given twice only the last copy kept. doc is the
// standard JSON to read fields from; lenient says it differs from body.
func parse(body []byte, maxDepth int) (doc []byte, lenient bool, err error) {
	b := bytes.TrimPrefix(body, bom)
	n, err := scan(b, maxDepth)
	if err != nil {
		return nil, false, err
	}
	if err := checkUTF8(b); err != nil {
		return nil, false, err
	}
	if doc, lenient, err = standard(b); err != nil {
		return nil, false, err
	}
	if n.twice || n.escaped && twiceDecoded(gjson.ParseBytes(doc)) {
		return lastCopies(make([]byte, 0, len(doc)), gjson.ParseBytes(doc)), true, nil
	}
	return doc, lenient || len(b) != len(body), nil
}

// standard is b if it is JSON, else b without comments and trailing
// commas, compacted; lenient says which.
func standard(b []byte) (doc []byte, lenient bool, err error) {
	if json.Valid(b) {
		return b, false, nil
	}
	std := standardize(b)
	if !json.Valid(std) {
		return nil, false, invalid(b)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, std); err != nil {
		return nil, false, invalid(b)
	}
	return buf.Bytes(), true, nil
}

// checkUTF8 refuses a body that is not UTF-8, as JSON must be (RFC 8259):
// read as UTF-8, a body in Latin-1 would reach the CRM with U+FFFD for
// every letter such as ø, and two people's addresses become one contact.
// The raw body is kept in the quarantine for an operator to convert.
func checkUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	off := 0
	for off < len(b) {
		r, n := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		off += n
	}
	return errNotUTF8{off}
}

// errNotUTF8 is the quarantine reason for a body that is not UTF-8, with
// the offset of its first byte that is not.
type errNotUTF8 struct{ at int }

func (e errNotUTF8) Error() string {
	return fmt.Sprintf("invalid UTF-8 at byte %d: JSON must be UTF-8 (sent in another charset, such as ISO-8859-1?)", e.at)
}

// invalid says why body is not JSON.
func invalid(body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return errors.New("invalid JSON")
}
