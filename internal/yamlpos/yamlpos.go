// Package yamlpos finds the line to fix from a syntax error of
// go.yaml.in/yaml/v3, so that configuration and mapping errors point at
// it. The library often reports another line: for its parser's errors
// (an unclosed { or [, "did not find expected key", ...) the 0-based line
// where the enclosing block or flow began, for a tab in the indentation
// the start of the value before it, and for a missing closing quote the
// line where the next quote closed the value (the line the quote opens on
// is named). A file that is not UTF-8 (saved as Latin-1) is told so, with
// the column of its first such byte; one in UTF-16 (with a byte order
// mark) gets its line as a UTF-8 one, and one without the mark is told
// so; a tab or a no-break space where
// YAML wants a space is named, and so is a value to put in quotes (one
// starting with * or @, as cron schedules do), a line indented in line
// with no key above it (a key one space off), with those keys' columns,
// a quoted value its own quote closed early (when: "a == "b""), and an
// IPv6 address YAML cannot read without quotes (listen: [::1]:8080,
// trusted_proxies: [::1]).
package yamlpos

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

var lineRE = regexp.MustCompile(`^line (\d+): `)

// maxSearch is how many lines past the library's the line to fix is
// looked for.
const maxSearch = 100

// Syntax splits the text of a syntax error from parsing src into the
// 1-based line to fix (0 when none is known) and the message. The line
// is the first one with which src, cut after it, fails with the same
// message: where the parser met what it could not take. When there is
// none, it is the library's.
func Syntax(text string, src []byte) (line int, msg string) {
	msg = strings.TrimPrefix(text, "yaml: ")
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	if utf16NoMark(src) {
		return 1, "UTF-16 without a byte order mark (\"Unicode\" as some editors and PowerShell write it): save the file as UTF-8"
	}
	if strings.Contains(msg, "UTF-8 octet") {
		if l, m := notUTF8(src); l > 0 {
			return l, m
		}
	}
	// The library's line is never after the one to fix, which is seldom
	// far from it; the search is bounded so that a long file stays quick.
	lines := bytes.SplitAfter(asUTF8(src), []byte("\n"))
	for k := max(line, 1); k <= min(len(lines), line+maxSearch); k++ {
		var n yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
		if err != nil && strings.HasSuffix(err.Error(), ": "+msg) {
			line = k
			break
		}
	}
	line, msg = openQuote(lines, line, msg)
	line, msg = blanks(lines, line, msg)
	if k, m := movedOut(lines, line, msg); k > 0 {
		return k, m
	}
	if k, m := dashAbove(lines, line, msg); k > 0 {
		return k, m
	}
	for _, say := range []func([][]byte, int, string) string{colonInValue, lineLacks, dashWithoutBlank, itemOutOfLine, ipv6Unquoted, flowUnclosed, tabIndent} {
		if m := say(lines, line, msg); m != msg {
			return line, m
		}
	}
	return line, indentation(lines, line, closedEarly(lines, line, indicator(lines, line, msg)))
}

// unquotedValue is a line's value after "key: " (or "- key: ") when it
// is not in quotes nor a {...}, [...], block scalar, alias or tag. The
// key holds no colon followed by a blank: that colon ends it (a {...}
// value's own "const: lead" is no key's).
var unquotedValue = regexp.MustCompile(`^\s*(?:-\s+)?[^\s#'"{\[-](?:[^#:]|:\S)*?:\s+([^\s#'"{\[|>&*!].*)$`)

// colonInValue says, of a line to fix that the library refused with
// "mapping values are not allowed in this context", whose value not in
// quotes holds a colon followed by a blank or ending it (note: Call:
// after 5pm), that YAML took that colon for another key's, with its
// column, and to quote the value. It is checked before the indentation:
// the first key of a block is in line with no key above it, so the
// indentation would be blamed. The value is not echoed: it may be a
// secret.
func colonInValue(lines [][]byte, line int, msg string) string {
	if msg != "mapping values are not allowed in this context" || line < 1 || line > len(lines) {
		return msg
	}
	text := strings.TrimRight(string(lines[line-1]), "\r\n")
	m := unquotedValue.FindStringSubmatchIndex(text)
	if m == nil {
		return msg
	}
	value := text[m[2]:]
	if c := strings.Index(value, " #"); c >= 0 { // a comment is no part of it
		value = value[:c]
	}
	value = strings.TrimRight(value, " \t")
	at, what := strings.Index(value+" ", ": "), "a colon and a blank"
	if at < 0 {
		at = strings.Index(value+"\t", ":\t")
	}
	if at < 0 {
		return msg
	}
	if at == len(value)-1 {
		what = "a colon at the end of"
	} else {
		what += " in"
	}
	col := utf8.RuneCountInString(text[:m[2]+at]) + 1
	return fmt.Sprintf("%s a value not in quotes, at column %d, which YAML reads as the start of another key: "+
		"put the whole value in quotes, 'like: this', or the key, if the colon is part of its name", what, col)
}

// quotedStart finds the opening quote of a line's value after "key: " or
// "- " (not one inside a {...} or [...] value).
var quotedStart = regexp.MustCompile(`^\s*(?:-\s+)?(?:[^\s#'"{\[][^#'"{\[]*?:\s+)?(["'])`)

// closedEarly says, of a line to fix whose quoted value the library
// refused ("did not find expected key" for when: "type == "client""),
// where its quote closed it, so that the rest is no YAML, and how a value
// holding quotes is written. The value is not echoed: it may be a secret.
func closedEarly(lines [][]byte, line int, msg string) string {
	if (msg != "did not find expected key" && msg != "did not find expected '-' indicator") || line < 1 || line > len(lines) {
		return msg
	}
	text := strings.TrimRight(string(lines[line-1]), "\r\n")
	m := quotedStart.FindStringSubmatchIndex(text)
	if m == nil {
		return msg
	}
	q, end := text[m[2]], -1
	for i := m[3]; i < len(text) && end < 0; i++ {
		switch {
		case q == '"' && text[i] == '\\':
			i++ // an escape: \" is no end
		case q == '\'' && text[i] == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i++ // '' is a quote in the text
		case text[i] == q:
			end = i
		}
	}
	if end < 0 {
		return msg
	}
	if rest := strings.TrimSpace(text[end+1:]); rest == "" || strings.HasPrefix(rest, "#") {
		return msg
	}
	kind := "double"
	if q == '\'' {
		kind = "single"
	}
	return fmt.Sprintf("the value in %s quotes ends at the %c in column %d, and what follows it is no YAML: "+
		`a value holding " is written in single quotes, 'a "b" c', a ' in it doubled`,
		kind, q, utf8.RuneCountInString(text[:end])+1)
}

// misplaced are the library's errors for a line indented so that it
// belongs to no block above it, which they do not say.
var misplaced = map[string]bool{
	"did not find expected key":                              true,
	"did not find expected '-' indicator":                    true,
	"mapping values are not allowed in this context":         true,
	"block sequence entries are not allowed in this context": true,
}

// keyLine is a line holding a key or a list item: "key:" or "- ".
var keyLine = regexp.MustCompile(`^ *(?:- |-$|[^\s#'"-][^#]*?:(?: |$))`)

// indentation says, of a line to fix that the library refused as one of
// misplaced, how far in it is and where the nearest keys above it are,
// when it is in line with none of the keys whose blocks are open there:
// a key one space off, or the first key of a block moved, for which the
// library names the block's next key.
func indentation(lines [][]byte, line int, msg string) string {
	if !misplaced[msg] || line < 2 || line > len(lines) || bytes.ContainsRune(indentOf(lines[line-1]), '\t') {
		return msg
	}
	at := len(indentOf(lines[line-1]))
	var above []string // "line N at C[ and C]", nearest first
	limit := math.MaxInt
	for k := line - 1; k >= 1 && limit > at; k-- {
		text := strings.TrimRight(string(lines[k-1]), "\r\n")
		if !keyLine.MatchString(text) {
			continue
		}
		cols := openColumns(text, limit)
		if len(cols) == 0 {
			continue
		}
		limit = cols[len(cols)-1]
		if slices.Contains(cols, at) {
			return underDash(lines[line-1], text, k, at, msg)
		}
		var named []string
		for _, c := range cols {
			named = append(named, strconv.Itoa(c))
		}
		above = append(above, fmt.Sprintf("line %d at %s", k, strings.Join(named, " and ")))
	}
	if len(above) == 0 {
		return msg
	}
	above = above[:min(len(above), 3)]
	above[0] = strings.Replace(above[0], " at ", " is at ", 1)
	spaces := "spaces"
	if at == 1 {
		spaces = "space"
	}
	return fmt.Sprintf("indented %d %s, where no key above it is (%s): the keys of one block start in the same column",
		at, spaces, strings.Join(above, ", "))
}

// keyValue is a key line with its value on it (not a block scalar's
// | or >, after which lines further in are its text, nor a comment).
var keyValue = regexp.MustCompile(`^ *[^\s#'"{\[-](?:[^#:]|:\S)*?:[ \t]+[^\s#|>]`)

// opener is a key line opening a block: nothing after its colon but a
// comment.
var opener = regexp.MustCompile(`^ *[^\s#'"{\[-](?:[^#:]|:\S)*?:[ \t]*(?:#.*)?$`)

// contentAbove is the nearest line above line (1-based) that is neither
// blank nor a comment, and its text; 0 when there is none.
func contentAbove(lines [][]byte, line int) (int, string) {
	for k := line - 1; k >= 1; k-- {
		text, _ := lineText(lines, k)
		if t := strings.TrimSpace(text); t != "" && !strings.HasPrefix(t, "#") {
			return k, text
		}
	}
	return 0, ""
}

// movedOut says, of a line to fix that the library refused as misplaced,
// further in than the key line with a value just above it (k), when it is
// k that is out of place: the key line above k is in line with the line
// to fix (k left its block, one of whose keys is before it), or opens a
// block in line with k (k, its first key, moved out to the block's own
// key). It returns k and what to say; 0 when k is not so. The library,
// and indentation, named the line after k, which is where it should be;
// when that line's value was a {...} one, colonInValue took a colon in
// the braces for one to quote.
func movedOut(lines [][]byte, line int, msg string) (int, string) {
	text, ok := lineText(lines, line)
	if !misplaced[msg] || !ok || bytes.ContainsRune(indentOf(lines[line-1]), '\t') {
		return 0, msg
	}
	at := len(text) - len(strings.TrimLeft(text, " "))
	k, above := contentAbove(lines, line)
	if k == 0 || !keyValue.MatchString(above) {
		return 0, msg
	}
	in := len(above) - len(strings.TrimLeft(above, " "))
	if in >= at {
		return 0, msg
	}
	k2, before := contentAbove(lines, k)
	if k2 == 0 || !keyLine.MatchString(before) {
		return 0, msg
	}
	in2 := len(before) - len(strings.TrimLeft(before, " "))
	spaces := "spaces"
	if in == 1 {
		spaces = "space"
	}
	switch {
	case in2 == at && !strings.HasPrefix(strings.TrimLeft(before, " "), "-"):
		return k, fmt.Sprintf("indented %d %s, out of its block (line %d and line %d are at %d): "+
			"the keys of one block start in the same column, and YAML stumbles only on line %d", in, spaces, k2, line, at, line)
	case in2 == in && opener.MatchString(before):
		return k, fmt.Sprintf("indented %d %s, in line with line %d, whose block's keys are at %d (line %d): "+
			"the keys of one block start in the same column, and YAML stumbles only on line %d", in, spaces, k2, at, line, line)
	}
	return 0, msg
}

// underDash says, of a key in line with the "- " of the list item above
// it at line k (text), that it belongs in line with the item's key: a
// rule's key moved under its "- name:", or its "- name:" moved further in
// than the keys after it, which the library names as "did not find
// expected '-' indicator" on the next key. In line with a key: msg, the
// indentation is not what is wrong.
func underDash(failing []byte, text string, k, at int, msg string) string {
	in := len(text) - len(strings.TrimLeft(text, " "))
	if in != at || text[in] != '-' || bytes.HasPrefix(bytes.TrimLeft(failing, " "), []byte("-")) {
		return msg
	}
	cols := openColumns(text, math.MaxInt)
	if len(cols) < 2 {
		return msg
	}
	return fmt.Sprintf("indented %d spaces, in line with the \"-\" of line %d, not with the key after it (at %d): "+
		"the keys of a list item start in the same column as its first, and a block that is no list has no \"-\"",
		at, k, cols[0])
}

// openColumns are the columns of a key line's blocks left of limit,
// rightmost first: a list item's key after its "- ", then the dash.
func openColumns(text string, limit int) []int {
	var cols []int
	col := len(text) - len(strings.TrimLeft(text, " "))
	if rest := text[col+1:]; text[col] == '-' && strings.TrimSpace(rest) != "" {
		if in := col + 1 + len(rest) - len(strings.TrimLeft(rest, " ")); in < limit {
			cols = append(cols, in)
		}
	}
	if col < limit {
		cols = append(cols, col)
	}
	return cols
}

// plainValue is a line's value after "key: " or "- ", up to a comment.
var plainValue = regexp.MustCompile(`^\s*(?:-\s+|[^\s#"'{\[][^#]*?:\s+)(\S.*?)\s*(?:\s#.*)?$`)

// flowTag is a value in a {...} or [...] that starts with ! (a tag), in
// a line without its quoted texts (quoted).
var (
	flowTag = regexp.MustCompile(`[{\[,]\s*(?:[^\s#'"{}\[\],:]+:\s+)?!`)
	quoted  = regexp.MustCompile(`'[^']*'|"(?:[^"\\]|\\.)*"`)
)

// MergeKey is what is said of a YAML merge key (<<: *NAME), which syncd
// does not follow, wherever it is found.
const MergeKey = "<<: a YAML merge key: anchors, aliases and merge keys are not supported, write the values out"

// indicator says, of a line to fix whose value starts with a character
// YAML reserves (* an alias, & an anchor, @ and ` for later use, % a
// directive, | and > block text), which a cron schedule (*/5 * * * *), a
// robfig one (@every 1m) or a generated password does, to quote the value:
// the library said only "did not find expected alphabetic or numeric
// character", "found character that cannot start any token" or "did not
// find expected comment or line break"; so of one starting with "- " (a
// list's item).
// So of a value that starts with ! (a tag), as an expression's not does:
// the library stumbles on what follows the tag ("did not find expected
// key"). The value is not echoed: it may be a secret.
func indicator(lines [][]byte, line int, msg string) string {
	if line < 1 || line > len(lines) || strings.Contains(msg, "(") {
		return msg
	}
	text := bytes.TrimRight(lines[line-1], "\r\n")
	if bytes.HasPrefix(bytes.TrimLeft(text, " -"), []byte("<<:")) {
		// <<: *NAME, its anchor elsewhere: quoting the alias would not help.
		return MergeKey
	}
	m := plainValue.FindSubmatch(text)
	switch {
	case m != nil && m[1][0] == '!', flowTag.Match(quoted.ReplaceAll(text, nil)):
		return "a value not in quotes that starts with ! is a YAML tag, not text: put the whole value in single quotes"
	case m != nil && bytes.HasPrefix(m[1], []byte("- ")) && msg == "block sequence entries are not allowed in this context":
		return "a value starting with - and a blank is a list's item, not text: put the value in quotes"
	case m != nil && strings.ContainsRune("|>", rune(m[1][0])) && msg == "did not find expected comment or line break",
		m != nil && m[1][0] == '%' && msg == "found character that cannot start any token":
	case m == nil || !strings.ContainsRune("*&@`", rune(m[1][0])):
		return msg
	}
	return fmt.Sprintf("a value starting with %c is YAML syntax, not text: put the value in quotes", m[1][0])
}

// endOfStream is the library's error for a quoted value still open at the
// end of the text; its line is the one the quote opens on.
const endOfStream = "found unexpected end of stream"

// openQuote names the line a quoted value opens on when the quote is
// still open on the line before the one to fix: its closing quote is
// missing, so the next quote in the file closed it, and the library
// stumbles only on what follows that, lines or a rule later.
func openQuote(lines [][]byte, line int, msg string) (int, string) {
	if msg == endOfStream {
		return line, "a quote opened on this line is never closed: close it where the value ends"
	}
	if line < 2 || line > len(lines) {
		return line, msg
	}
	var n yaml.Node
	err := yaml.Unmarshal(bytes.Join(lines[:line-1], nil), &n)
	if err == nil || !strings.HasSuffix(err.Error(), ": "+endOfStream) {
		return line, msg
	}
	m := lineRE.FindStringSubmatch(strings.TrimPrefix(err.Error(), "yaml: "))
	if m == nil {
		return line, msg
	}
	open, _ := strconv.Atoi(m[1])
	return open, fmt.Sprintf("a quote opened on this line is closed only on line %d, by the next quote, and what follows it there is no YAML: "+
		"close the quote where the value ends", line)
}

// blanks points at a blank that is not a space on the line to fix (or a
// no-break space on the one before it, which made a later line fail): a
// tab or a no-break space the operator cannot see.
func blanks(lines [][]byte, line int, msg string) (int, string) {
	if msg == "found character that cannot start any token" && line > 0 && line <= len(lines) &&
		bytes.ContainsRune(indentOf(lines[line-1]), '\t') {
		msg = fmt.Sprintf("a tab in the indentation (column %d): YAML indents with spaces only: replace the tab with spaces, "+
			"as many as the keys of the block take",
			bytes.IndexByte(indentOf(lines[line-1]), '\t')+1)
	}
	for k := max(line-1, 1); k <= min(line, len(lines)); k++ {
		if col := noBreakSpace(lines[k-1]); col > 0 {
			return k, fmt.Sprintf("a no-break space (U+00A0, pasted from a web page or an e-mail?) at column %d: type a plain space", col)
		}
	}
	return line, msg
}

// noBreakSpace gives the column of a no-break space where YAML needs a
// plain one (in the indentation, after "key:" or "-"), which YAML reads
// as text, so that the error shows only on a later line; 0 when none.
func noBreakSpace(line []byte) int {
	lead, prev := true, rune(0)
	for col, r := range []rune(string(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")))) {
		if r == '\u00a0' && (lead || prev == ':' || prev == '-') {
			return col + 1
		}
		lead = lead && (r == ' ' || r == '\t')
		prev = r
	}
	return 0
}

// indentOf is the blanks line begins with.
func indentOf(line []byte) []byte {
	return line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
}

// notUTF8 finds the first byte of src that is not UTF-8 and says where it
// is, for a file an editor saved in a legacy encoding (Latin-1 æøå, £).
// A UTF-8 byte order mark is no column. Line 0: src is UTF-8.
func notUTF8(src []byte) (line int, msg string) {
	rest := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	line, col := 1, 1
	for len(rest) > 0 {
		r, size := utf8.DecodeRune(rest)
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, fmt.Sprintf("not UTF-8 text: byte 0x%X at column %d (saved as Latin-1 or Windows \"ANSI\"?): save the file as UTF-8", rest[0], col)
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		rest = rest[size:]
	}
	return 0, ""
}

// utf16NoMark reports whether src looks like UTF-16 without a byte order
// mark: text whose first character, ASCII as YAML's are, has a NUL as its
// other byte. YAML text holds no NUL.
func utf16NoMark(src []byte) bool {
	return len(src) >= 2 && (src[0] == 0) != (src[1] == 0) && !bytes.HasPrefix(src, []byte{0xFF, 0xFE}) &&
		!bytes.HasPrefix(src, []byte{0xFE, 0xFF})
}

// LeadingTag is the tag written at the start of the value at line and
// column (1-based, as yaml.Node gives them) of lines (Lines): a "!" and
// what follows it up to a blank ("!s3cret", "!(payload.x", "!"), which
// YAML reads as a tag and leaves out of the value, out of quotes. "" when
// the value starts otherwise, or with "!!", a type YAML names (!!str).
func LeadingTag(lines []string, line, column int) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	text := []rune(lines[line-1])
	if column < 1 || column > len(text) || text[column-1] != '!' {
		return ""
	}
	tag := string(text[column-1:])
	if i := strings.IndexFunc(tag, unicode.IsSpace); i >= 0 {
		tag = tag[:i]
	}
	if strings.HasPrefix(tag, "!!") {
		return ""
	}
	return tag
}

// Lines is src's lines as the library reads them, to find a column in:
// UTF-16 with a byte order mark (Notepad's "Unicode") as UTF-8, without
// a byte order mark and without line ends (\n or \r\n).
func Lines(src []byte) []string {
	text := strings.TrimPrefix(string(asUTF8(src)), "\ufeff")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// asUTF8 gives src, when it is UTF-16 with a byte order mark (Notepad's
// "Unicode"), as UTF-8, which the library reads alike: cut at line ends,
// UTF-16 would split its characters.
func asUTF8(src []byte) []byte {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return src
	}
	units := make([]uint16, 0, len(src)/2)
	for i := 2; i+1 < len(src); i += 2 {
		units = append(units, order.Uint16(src[i:]))
	}
	return []byte(string(utf16.Decode(units)))
}

// lineText is line (1-based) of lines without its line end, and whether
// there is such a line.
func lineText(lines [][]byte, line int) (string, bool) {
	if line < 1 || line > len(lines) {
		return "", false
	}
	return strings.TrimRight(string(lines[line-1]), "\r\n"), true
}

// lineLacks says, of a line the library refused with "could not find
// expected ':'", what it lacks: the blank after its colon
// (company:payload.client.company reads as one word), or a colon.
func lineLacks(lines [][]byte, line int, msg string) string {
	text, ok := lineText(lines, line)
	if msg != "could not find expected ':'" || !ok {
		return msg
	}
	i := strings.Index(text, ":")
	switch {
	case i < 0:
		return `no colon on this line: a key and its value are written "key: value"`
	case i+1 < len(text) && text[i+1] != ' ' && text[i+1] != '\t':
		return fmt.Sprintf("the colon at column %d has no blank after it, so YAML reads the line as one word, "+
			"not a key and its value: type a space after the colon", utf8.RuneCountInString(text[:i])+1)
	}
	return msg
}

// tabIndent says, of a line the library refused for a tab in its
// indentation (an editor's Tab key), in which column the tab is and that
// YAML indents with spaces only: the library's words said neither.
func tabIndent(lines [][]byte, line int, msg string) string {
	if msg != "found a tab character that violates indentation" || line < 1 || line > len(lines) {
		return msg
	}
	lead := len(lines[line-1]) - len(bytes.TrimLeft(lines[line-1], " \t"))
	return fmt.Sprintf("a tab in the indentation (column %d): YAML indents with spaces only: replace the tab with spaces, "+
		"as many as the keys of the block take", bytes.IndexByte(lines[line-1][:lead], '\t')+1)
}

// dashWithoutBlank says, of a line the library refused with "did not
// find expected '-' indicator" that starts with a "-" and no blank after
// it (-name: x), that a list item is "- " and its first key.
func dashWithoutBlank(lines [][]byte, line int, msg string) string {
	text, ok := lineText(lines, line)
	if msg != "did not find expected '-' indicator" || !ok {
		return msg
	}
	body := strings.TrimLeft(text, " ")
	if len(body) < 2 || body[0] != '-' || body[1] == ' ' || body[1] == '\t' || body[1] == '-' {
		return msg
	}
	return fmt.Sprintf(`the "-" at column %d has no blank after it: a list item is written "- " and then its first key`,
		len(text)-len(body)+1)
}

// dashAbove says, of a line the library refused as misplaced, further in
// than the line just above it, which starts with a "-" and a letter
// (-name: x), that the "-" there has no blank after it. A list's first
// item so written is a key "-name" to YAML, which refuses the item's next
// key; the line to fix is the one with the "-". It returns that line, 0
// when it is not so.
func dashAbove(lines [][]byte, line int, msg string) (int, string) {
	text, ok := lineText(lines, line)
	if !misplaced[msg] || !ok || bytes.ContainsRune(indentOf(lines[line-1]), '\t') {
		return 0, msg
	}
	k, above := contentAbove(lines, line)
	body := strings.TrimLeft(above, " ")
	in := len(above) - len(body)
	if k == 0 || !strings.HasPrefix(body, "-") || in >= len(text)-len(strings.TrimLeft(text, " ")) {
		return 0, msg
	}
	if r, _ := utf8.DecodeRuneInString(body[1:]); !unicode.IsLetter(r) {
		return 0, msg
	}
	return k, fmt.Sprintf(`the "-" at column %d has no blank after it: a list item is written "- " and then its first key`,
		in+1)
}

// itemOutOfLine says, of a list item ("- ...") the library refused as
// misplaced, that the item above it has its "-" in another column: a new
// rule pasted at the margin, or one space off.
func itemOutOfLine(lines [][]byte, line int, msg string) string {
	text, ok := lineText(lines, line)
	if !misplaced[msg] || !ok || !strings.HasPrefix(strings.TrimLeft(text, " "), "- ") {
		return msg
	}
	at := len(text) - len(strings.TrimLeft(text, " "))
	for k := line - 1; k >= 1; k-- {
		above, _ := lineText(lines, k)
		body := strings.TrimLeft(above, " ")
		if !strings.HasPrefix(body, "- ") {
			continue
		}
		if in := len(above) - len(body); in != at {
			return fmt.Sprintf(`a list item whose "-" is at column %d, where that of line %d is at %d: `+
				"the items of one list start in the same column", at+1, k, in+1)
		}
		return msg
	}
	return msg
}

// bracketsAndPort is a line "key: [ADDRESS]:PORT" not in quotes: an IPv6
// address in brackets with its port, as listen takes it.
var bracketsAndPort = regexp.MustCompile(`^\s*(?:-\s+)?([^\s#'"{\[-][^#:]*?):\s+(\[[0-9A-Fa-f.:]*:[0-9A-Fa-f.:]*(?:%[\w.-]+)?\]:\S*)`)

// colonsFirst is an item of a [...] list, not in quotes, that begins with
// "::" (::1, ::ffff:10.0.0.1).
var colonsFirst = regexp.MustCompile(`^[^'"#]*?\[(?:[^\]'"#]*,)?\s*(::[0-9A-Fa-f.:]*(?:/\d+)?)\s*[,\]]`)

// urlInFlow is a URL not in quotes whose host is an IPv6 address in
// brackets (http://[::1]:8090), the value of a key inside a {...} value.
var urlInFlow = regexp.MustCompile(`[{,]\s*([^\s#'"{}\[\],:]+):\s+([A-Za-z][A-Za-z0-9+.-]*://\[[0-9A-Fa-f.:]+(?:%[\w.-]+)?\][^\s,{}#]*)`)

// aloneInBrackets is a line "key: [ADDRESS]" whose value is one address
// in brackets: a list of one, or an address alone written as a URL has it
// (report.mail.host: [::1]).
var aloneInBrackets = regexp.MustCompile(`^\s*(?:-\s+)?([^\s#'"{\[-][^#:]*?):\s+\[\s*([0-9A-Fa-f.:]+(?:/\d+)?)\s*\]\s*(?:#.*)?$`)

// ipv6Unquoted says, of a line the library refused with "did not find
// expected node content" or "did not find expected key", which IPv6
// address on it YAML cannot read without quotes, and how to write it: one
// in brackets with its port (listen: [::1]:8080), which YAML reads as a
// [...] list with more after it, or an item of a [...] list that begins
// with "::" (trusted_proxies: [::1]); and of one refused with "did not
// find expected ',' or '}'", a URL to an IPv6 address inside a {...}
// value ({base_url: http://[::1]:8090}), whose brackets YAML reads as a
// list's. An address is no secret to keep out of the message.
func ipv6Unquoted(lines [][]byte, line int, msg string) string {
	text, ok := lineText(lines, line)
	if !ok {
		return msg
	}
	if msg == "did not find expected ',' or '}'" || msg == "did not find expected ',' or ']'" {
		if m := urlInFlow.FindStringSubmatch(text); m != nil {
			return fmt.Sprintf(`%s, an address with an IPv6 address in brackets, is not in quotes inside a {...} value, `+
				`where YAML reads [ and ] as a list's: put it in quotes, %s: "%s"`, m[2], m[1], m[2])
		}
		return msg
	}
	if msg != "did not find expected node content" && msg != "did not find expected key" {
		return msg
	}
	if m := bracketsAndPort.FindStringSubmatch(text); m != nil {
		return fmt.Sprintf(`%s is an IPv6 address in brackets with its port, which YAML reads as a [...] list with more `+
			`after it: put it in quotes, %s: "%s"`, m[2], strings.TrimSpace(m[1]), m[2])
	}
	if m := colonsFirst.FindStringSubmatch(text); m != nil {
		said := fmt.Sprintf(`%s in a [...] list begins with "::", which YAML cannot read there without quotes: `+
			`put it in quotes, ["%s"], or write the list one item a line (- %s)`, m[1], m[1], m[1])
		if a := aloneInBrackets.FindStringSubmatch(text); a != nil && a[2] == m[1] { // host: [::1], an address in brackets
			said += fmt.Sprintf("; where %s takes one address, not a list, write it without brackets, %s: %s", a[1], a[1], a[2])
		}
		return said
	}
	return msg
}

// flowUnclosed says, of a line the library refused with "did not find
// expected ',' or '}'" (or ']'), which { or [ of it is never closed on
// it, or which colon inside a {...} value (x: Lead: web) YAML took for
// another key's. Quoted text is skipped.
func flowUnclosed(lines [][]byte, line int, msg string) string {
	text, ok := lineText(lines, line)
	if (msg != "did not find expected ',' or '}'" && msg != "did not find expected ',' or ']'") || !ok {
		return msg
	}
	var open []int // the columns of the brackets open, innermost last
	colons := 0    // in the current item of the innermost {...}
	quote := rune(0)
	runes := []rune(text)
	hash := -1 // where a comment starts
scan:
	for i, r := range runes {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && i > 0 && runes[i-1] == ' ': // a comment: the rest is no YAML
			hash = i
			break scan
		case r == '{' || r == '[':
			open, colons = append(open, i), 0
		case r == '}' || r == ']':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		case r == ',':
			colons = 0
		case r == ':' && len(open) > 0 && runes[open[len(open)-1]] == '{' && (i+1 == len(runes) || runes[i+1] == ' '):
			if colons++; colons == 2 {
				return fmt.Sprintf("a colon and a blank in a value not in quotes, at column %d, which YAML reads as the start of another key: "+
					"put the whole value in quotes, 'like: this', or the key, if the colon is part of its name", i+1)
			}
		}
	}
	if len(open) == 0 {
		return msg
	}
	closer := map[rune]string{'{': "}", '[': "]"}[runes[open[0]]]
	if hash >= 0 && strings.Contains(string(runes[hash:]), closer) { // closed in what YAML reads as a comment
		// the value is not echoed: in a configuration it may be a secret
		return fmt.Sprintf("the \" #\" at column %d starts a comment, so the %q after it is not read and the %q at column %d is never closed: "+
			"put the value holding the # in quotes, 'like #this'", hash+1, closer, string(runes[open[0]]), open[0]+1)
	}
	return fmt.Sprintf("the %q at column %d is not closed on its line: end the value with %q", string(runes[open[0]]), open[0]+1, closer)
}
