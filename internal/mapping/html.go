package mapping

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockAtoms are elements that start a new line in plain text, as browsers
// show them; the true ones are paragraphs, followed by an empty line.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Hr: true, atom.Div: false, atom.Li: false, atom.Tr: false, atom.Ul: false, atom.Ol: false,
	atom.Dl: false, atom.Dt: false, atom.Dd: false, atom.Caption: false, atom.Address: false,
	atom.Article: false, atom.Section: false, atom.Header: false, atom.Footer: false, atom.Main: false,
	atom.Nav: false, atom.Aside: false, atom.Figure: false, atom.Figcaption: false, atom.Center: false,
	atom.Form: false, atom.Fieldset: false, atom.Details: false, atom.Summary: false,
}

// hiddenAtoms are elements whose content is not the writer's text: a
// document's <title> (a mail client's subject line), styles, scripts and
// templates.
var hiddenAtoms = map[atom.Atom]bool{atom.Title: true, atom.Script: true, atom.Style: true, atom.Template: true}

// HTMLText turns HTML, a fragment or a whole document, into plain text as a
// reader of the CRM's plain text field should see it: tags are removed,
// entities decoded, a document's title and its scripts and styles dropped;
// block elements and <br> become line breaks, a table's cells of one row
// are separated by " | " (an empty cell before text is "| " where its
// column has text in another row: a blank in the data keeps its column,
// and so does a row under a cell spanning rows, rowspan, in that cell's),
// list items start with "- " (numbered "1. " in an ordered list), quoted
// lines with "> " (<blockquote>, and the original after Outlook's reply
// header or its "-----Original Message-----": replyState, also in text
// without markup; not a quote that is the whole message, a mail forwarded
// without a word or with the forwarder's signature alone after it), and a link's address follows its text in angle
// brackets when the text does not say it ("this listing <https://…>"); an
// emoji's image is its emoji, an image the mail carries "[image: alt]".
// Runs of spaces collapse, lines are trimmed
// and at most one empty line separates paragraphs. A "<" that starts no tag
// (escapeStrayLT) is text, as a person wrote it, and so are the line breaks
// of text without markup, a lone CR among them.
func HTMLText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		s = tidyLines(s)
		if strings.Contains(s, "---") {
			s = quotePlainOriginal(s)
		}
		return unquotePlainForward(s)
	}
	s = escapeStrayLT(s)
	// Markup that breaks lines makes the text's own line breaks white space,
	// as a browser shows them: "a<br />\nb" (PHP's nl2br) is two lines, not
	// three. Without such markup they are the writer's line breaks.
	wrap := hasBreakMarkup(s)
	z := html.NewTokenizer(strings.NewReader(s))
	w := textWriter{buf: make([]byte, 0, len(s)), fwdAt: -1} // the text is seldom longer than its HTML
	skip, pre := 0, 0                                        // depth inside hiddenAtoms, and <pre>
	for {
		switch z.Next() {
		case html.ErrorToken:
			w.endLink()
			for len(w.tables) > 0 {
				w.endTable()
			}
			w.unmarkForward()
			return unquotePlainForward(tidyLines(string(w.buf))) // a plain forward with a "<" in it
		case html.TextToken:
			switch {
			case skip > 0:
			case wrap && pre == 0:
				w.text(lineBreaks.Replace(string(z.Text())))
			default:
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch a := atom.Lookup(name); {
			case hiddenAtoms[a]:
				skip++
			case skip > 0: // markup of a <template>
			default:
				if a == atom.Pre {
					pre++
				}
				w.start(a, z, hasAttr)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); {
			case hiddenAtoms[a]:
				skip = max(skip-1, 0)
			case skip > 0:
			default:
				if a == atom.Pre {
					pre = max(pre-1, 0)
				}
				w.end(a)
			}
		}
	}
}

// textWriter writes the text of HTML's tokens, one after the other, with
// what the structure around it says (quote marks, list markers, table cell
// separators, link addresses). It keeps where the current line starts and
// the end of the last text written, so that no token costs a look back over
// what was written before it.
type textWriter struct {
	buf      []byte
	ls       int          // where the current line starts in buf
	content  bool         // the current line has more than HTML's white space (an &nbsp; makes a line)
	begun    bool         // the current line has its quote marks and list marker
	lastText int          // the end of the last text (not white space) in buf
	lastLS   int          // where its line starts
	quote    int          // depth inside <blockquote>: "> " before each line
	lists    []int        // the open lists: an ordered one's last number, -1 for <ul>
	mark     string       // a list item's marker, written before its first text
	tables   []tableState // the open tables, the innermost last
	msoP     bool         // the open <p> is Outlook's (class Mso…, x_Mso… once quoted on the web): a line, not a paragraph
	link     bool         // inside <a> with an address to show
	linkText bool         // the link's text has begun
	at       int          // where the link's text starts in buf
	href     string       // the address to show
	reply    replyState   // Outlook's reply header and the original after it
	// fwdAt is where a forward's original starts in buf (beginOriginal),
	// or a <blockquote> with nothing before it (Apple Mail's forward), -1
	// before one; fwdEnd where it ended, -1 while it runs; fwdQuote the
	// depth of that <blockquote>, 0 for Outlook's original.
	fwdAt, fwdEnd, fwdQuote int
}

// tableState is where the text is in a table.
type tableState struct {
	row      bool // the row being written has text
	cell     bool // a cell began after text of its row: " | " before its text
	inCell   bool // inside a cell, where a paragraph is a line of the cell
	cellText bool // the cell has text
	col, end int  // the cell's first column, and the column after it
	// textEnd is the column after the row's last cell with text (0 before
	// one): the cells from it to the next with text are empty, each
	// written as "| " before that text, so a data table's blank keeps its
	// column.
	textEnd int
	// filled has a bit for each of the first 64 columns with text in any
	// row; blanks are the "| " written for empty cells, taken out again
	// when the table ends in those of a column empty in every row (a
	// layout's spacer).
	filled uint64
	blanks []emptyCell
	// rows counts the table's <tr>s; under[c] is the count at which
	// column c is free again of a cell across rows above (rowspan) in the
	// first 64 columns, nil until a cell spans rows: a cell of a row below
	// starts after the columns such a cell takes.
	rows  int
	under []int
}

// replyState follows Outlook's reply header ("From: … Sent: … To: …
// Subject: …") and the original message after it, which Outlook, unlike
// Gmail and Apple Mail, puts in no <blockquote>: the header is the
// <div id="divRplyFwdMsg"> of Outlook on the web and for phones (an
// "x_" before the id once quoted again), or the <div> with Word's top
// border of Outlook for Windows and Mac, whose first text is a label
// ("From:", "Fra:", "Von:"). The original is what follows the header in
// the element holding it, or in the one holding that if nothing follows
// (Word closes a <div> of its own around the header first). An original
// with nothing before its header and nothing after it but a signature
// (signatureOnly) is a mail forwarded without a word of the forwarder's (a client's enquiry, the lead's only
// content), which the marks would set apart from nothing: its marks are
// taken out again at the end (textWriter.unmarkForward), as are those of a
// <blockquote> that is the whole message (Apple Mail's forward).
type replyState struct {
	depth  int        // the open <div>s and <blockquote>s
	header int        // the depth of the open header's <div>; 0 outside one
	label  int8       // whether the header's first text is a label: 0 not yet read, 1 yes, -1 no
	after  bool       // the open header (or plain separator) follows text, or is quoted
	ends   []original // for each original being written, the innermost first, where it ends
	quoted bool       // the innermost original has a line written
	// sep follows Outlook's plain separator (originalSeparator): 1 + the
	// label lines read after it, 0 outside one; sepLow is the least depth
	// since it, and sepGap that an empty line followed the last label.
	sep    int
	sepLow int
	sepGap bool
}

// original is where an original being written ends, the depth below
// which it does, and whether it may be a forward's: nothing written
// before its header, which is not quoted.
type original struct {
	depth int
	fwd   bool
}

// outlookBorder is the style of the <div> around the header Word writes
// above the original in Outlook for Windows and Mac (#B5C4DF in Outlook
// 2007 and 2010).
var outlookBorder = regexp.MustCompile(`(?i)border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)\s+1\.0pt`)

// openContainer is a <div>'s or <blockquote>'s start: a <div> may open
// Outlook's reply header.
func (w *textWriter) openContainer(a atom.Atom, z *html.Tokenizer, hasAttr bool) {
	r := &w.reply
	r.depth++
	// (the tokenizer copies each attribute it gives: a look at the raw tag
	// first spares that for nearly every <div>)
	if a != atom.Div || r.header != 0 || !hasAttr ||
		!containsFold(z.Raw(), "rplyfwdmsg") && !containsFold(z.Raw(), "border-top") {
		return
	}
	for more := hasAttr; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "id":
			if len(v) >= 13 && strings.EqualFold(string(v[len(v)-13:]), "divRplyFwdMsg") {
				r.header, r.label = r.depth, 1
			}
		case "style":
			if bytes.Contains(v, []byte("border-top")) && outlookBorder.Match(v) {
				r.header, r.label = r.depth, 0
			}
		}
	}
	if r.header != 0 {
		r.after = w.afterText()
	}
}

// afterText reports whether what comes next follows text written, or is
// quoted: where Outlook's header marks the original after it as quoted.
func (w *textWriter) afterText() bool {
	return w.lastText > 0 || w.quote > 0
}

// beginOriginal begins the original after Outlook's header, which ends
// below depth, marked as quoted; one whose header followed nothing is
// noted as a forward's, whose marks unmarkForward may take out.
func (w *textWriter) beginOriginal(depth int) {
	r := &w.reply
	r.ends = append(r.ends, original{depth, !r.after})
	r.quoted = false
	w.quote++
	if !r.after {
		w.fwdAt, w.fwdEnd = len(w.buf), -1
	}
}

// unmarkForward takes the marks out of the lines of a forward's original
// (beginOriginal), or of a <blockquote> with nothing before it, when no
// text followed it either, or the forwarder's signature alone
// (signatureOnly): it is the whole message, set apart from a header above
// it by an empty line alone. Quotes within it keep theirs less one.
func (w *textWriter) unmarkForward() {
	if w.fwdAt < 0 || w.fwdEnd >= 0 && w.lastText > w.fwdEnd && !signatureOnly(w.buf[w.fwdEnd:]) {
		return
	}
	end := len(w.buf)
	if w.fwdEnd >= 0 {
		end = w.fwdEnd
	}
	start := bytes.LastIndexByte(w.buf[:min(w.fwdAt, len(w.buf))], '\n') + 1
	kept := w.buf[:start:start] // (a copy: the lines are read from buf)
	if start >= 2 && w.buf[start-2] != '\n' {
		kept = append(kept, '\n')
	}
	for _, line := range bytes.SplitAfter(w.buf[start:end], []byte("\n")) {
		kept = append(kept, bytes.TrimPrefix(line, []byte("> "))...)
	}
	if w.lastText > end { // a signature: an empty line sets it apart from the client's words, as the marks did
		kept = append(kept, "\n\n"...)
	}
	w.buf = append(kept, w.buf[end:]...)
}

// signatureOnly reports whether text, what followed a forward's original,
// is a signature and nothing else: a block after the "-- " line mail
// programs write above one (RFC 3676), of at most six short lines (a
// name, a title, an agency, a phone), or the one line a phone's mail
// program adds ("Sent from my iPhone", "Get Outlook for Android",
// "Sendt fra min iPhone"). Anything else, a word of the forwarder's ("Can
// you call her?") or a reply written below a quote, keeps the original
// marked as quoted, set apart from it.
func signatureOnly(text []byte) bool {
	var lines [][]byte
	for _, l := range bytes.Split(text, []byte("\n")) {
		if l = bytes.TrimSpace(bytes.ReplaceAll(l, []byte("\u00a0"), []byte(" "))); len(l) > 0 {
			lines = append(lines, l)
		}
	}
	switch {
	case len(lines) == 0:
		return true
	case string(lines[0]) == "--":
		if len(lines) > 7 {
			return false
		}
		for _, l := range lines[1:] {
			if utf8.RuneCount(l) > 80 {
				return false
			}
		}
		return true
	}
	return len(lines) == 1 && utf8.RuneCount(lines[0]) <= 60 && mobileSignature.Match(lines[0])
}

// mobileSignature is the line a phone's or a tablet's mail program writes
// below what is written with it, in the languages of syncd's senders and
// their neighbours.
var mobileSignature = regexp.MustCompile(`(?i)^(sent from (my|mail|outlook|yahoo)|get outlook for|sendt fra (min|mail|outlook)|skickat från (min|e-post|outlook)|von meinem|gesendet von|envoyé de mon|verzonden (met|vanaf) mijn)\b`)

// closeContainer is a <div>'s or <blockquote>'s end: the end of Outlook's
// reply header quotes what follows it, which ends with the element
// holding it.
func (w *textWriter) closeContainer(a atom.Atom) {
	r := &w.reply
	if a == atom.Div && r.header != 0 && r.depth == r.header {
		if r.label == 1 {
			w.beginOriginal(r.depth - 1)
		}
		r.header = 0
	}
	r.depth = max(r.depth-1, 0)
	r.sepLow = min(r.sepLow, r.depth)
	for k := len(r.ends) - 1; k >= 0 && r.depth < r.ends[k].depth; k-- {
		if !r.quoted { // nothing followed the header in its element: the original is in the one holding it
			r.ends[k].depth = r.depth
			break
		}
		if r.ends[k].fwd {
			w.fwdEnd = len(w.buf)
		}
		r.ends = r.ends[:k]
		w.quote = max(w.quote-1, 0)
	}
}

// originalLine reads s, the first text of a line, for Outlook's plain
// reply header: "-----Original Message-----" (originalSeparator), then
// label lines ("From: …", "Sent: …"). After the separator and two labels
// or more, the first other line, or the first after an empty line, begins
// the original, which ends with the element holding the separator and
// its header (the document, if none does).
func (w *textWriter) originalLine(s string) {
	r := &w.reply
	switch {
	case r.sep == 0:
		if r.header == 0 && originalSeparator(s) {
			r.sep, r.sepLow, r.sepGap = 1, r.depth, false
			r.after = w.afterText()
		}
	case !r.sepGap && headerLabel(s):
		r.sep++
	case r.sep >= 3:
		w.beginOriginal(r.sepLow)
		r.sep = 0
	default: // not Outlook's header: a line as any other
		r.sep = 0
	}
}

// originalNames are the words of the separator Outlook writes above the
// original in a plain reply ("-----Original Message-----"), in the
// languages of its users here, in lower case.
var originalNames = []string{
	"original message", "oprindelig meddelelse", "opprinnelig melding", "ursprungligt meddelande",
	"alkuperäinen viesti", "ursprüngliche nachricht", "oorspronkelijk bericht", "message d'origine",
	"mensaje original", "mensagem original", "messaggio originale", "wiadomość oryginalna",
}

// originalSeparator reports whether s is Outlook's separator above the
// original: "-----Original Message-----", with spaces inside the dashes as
// Outlook Express writes it ("----- Original Message -----"). Gmail's
// "Forwarded message" is none.
func originalSeparator(s string) bool {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "---") || !strings.HasSuffix(s, "---") {
		return false
	}
	name := strings.TrimSpace(strings.Trim(s, "-"))
	return len(name) < 30 && slices.ContainsFunc(originalNames, func(n string) bool { return strings.EqualFold(name, n) })
}

// quotePlainOriginal marks with "> " the lines of the original after
// Outlook's plain reply header in text without markup (its lines tidied):
// the separator and two label lines or more, then, to the end, the
// original. One with nothing before its separator, a mail forwarded
// without a word of the forwarder's, is not marked (replyState).
func quotePlainOriginal(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if i == 0 || !originalSeparator(l) {
			continue
		}
		j := i + 1
		for j < len(lines) && headerLabel(lines[j]) {
			j++
		}
		if j-i-1 < 2 || j == len(lines) {
			continue
		}
		for k := j; k < len(lines); k++ {
			if lines[k] != "" {
				lines[k] = "> " + lines[k]
			}
		}
		return strings.Join(lines, "\n")
	}
	return s
}

// containsFold reports whether b holds lower, in any case of ASCII letters.
func containsFold(b []byte, lower string) bool {
	for i := 0; i+len(lower) <= len(b); i++ {
		j := 0
		for j < len(lower) && b[i+j]|0x20 == lower[j]|0x20 {
			j++
		}
		if j == len(lower) {
			return true
		}
	}
	return false
}

// headerLabel reports whether s, the first text of what may be Outlook's
// reply header, starts with a label: a word or two and a colon ("From:",
// "De :"), as Outlook writes the header in any language.
func headerLabel(s string) bool {
	label, _, ok := strings.Cut(strings.TrimSpace(s), ":")
	label = strings.TrimSpace(label)
	return ok && label != "" && len(label) <= 40 && strings.Count(label, " ") <= 1 &&
		!strings.ContainsFunc(label, func(r rune) bool { return !unicode.IsLetter(r) && r != ' ' })
}

// emptyCell is the "| " written for an empty cell: where it is in buf, and its column.
type emptyCell struct{ at, col int }

// table is the innermost open table's state, nil outside tables.
func (w *textWriter) table() *tableState {
	if len(w.tables) == 0 {
		return nil
	}
	return &w.tables[len(w.tables)-1]
}

// inCell reports whether the text is in a table's cell, where a paragraph
// is a line: Word and Outlook write each cell's text as one.
func (w *textWriter) inCell() bool {
	t := w.table()
	return t != nil && t.inCell
}

// endCell ends the cell being written, if any.
func (t *tableState) endCell() {
	t.inCell, t.cellText = false, false
}

// endRow ends the row being written: its empty cells after its last text
// hold no column of another's place, and are left out.
func (t *tableState) endRow() {
	t.row, t.cell, t.inCell, t.cellText = false, false, false, false
	t.col, t.end, t.textEnd = 0, 0, 0
}

// cellSpans reads a cell's colspan (at most 50: an empty cell is a "| "
// per column it spans) and rowspan (0, to the table's end, as many rows
// as any); 1 where it has none.
func cellSpans(z *html.Tokenizer, hasAttr bool) (cols, rows int) {
	cols, rows = 1, 1
	for more := hasAttr && containsFold(z.Raw(), "span"); more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) != "colspan" && string(k) != "rowspan" {
			continue
		}
		n, err := strconv.Atoi(string(bytes.TrimSpace(v)))
		switch {
		case err != nil:
		case string(k) == "colspan" && n > 1:
			cols = min(n, 50)
		case string(k) == "rowspan" && (n > 1 || n == 0):
			rows = 65534 // HTML's most
			if n > 1 {
				rows = min(n, rows)
			}
		}
	}
	return cols, rows
}

// free is the first column from c that no cell of a row above takes.
func (t *tableState) free(c int) int {
	for c < len(t.under) && t.under[c] > t.rows {
		c++
	}
	return c
}

// spanRows notes that the cell begun takes its columns in the down-1
// rows below its own.
func (t *tableState) spanRows(down int) {
	if t.col >= 64 {
		return
	}
	if len(t.under) < min(t.end, 64) {
		t.under = append(t.under, make([]int, min(t.end, 64)-len(t.under))...)
	}
	for c := t.col; c < min(t.end, 64); c++ {
		t.under[c] = t.rows + down
	}
}

// spacer reports whether column c had no text in any row; a column past
// the 64th is taken to have had some.
func (t *tableState) spacer(c int) bool {
	return c < 64 && t.filled&(1<<c) == 0
}

// endTable ends the innermost open table: of the "| " written for its
// empty cells, those of a column without text in any row (a layout's
// spacer, not a blank in the data) are taken out, and the places kept
// in buf after them move back.
func (w *textWriter) endTable() {
	t := w.table()
	t.endCell()
	w.tables = w.tables[:len(w.tables)-1]
	gone := make([]int, 0, len(t.blanks))
	for _, b := range t.blanks {
		if !t.spacer(b.col) || b.at+2 > len(w.buf) || w.buf[b.at] != '|' || w.buf[b.at+1] != ' ' {
			continue
		}
		gone = append(gone, b.at)
	}
	if len(gone) == 0 {
		return
	}
	shift := func(p int) int {
		n := 0
		for _, g := range gone {
			if g < p {
				n += 2
			}
		}
		return p - n
	}
	kept := w.buf[:gone[0]]
	for i, g := range gone {
		next := len(w.buf)
		if i+1 < len(gone) {
			next = gone[i+1]
		}
		kept = append(kept, w.buf[g+2:next]...)
	}
	w.buf = kept
	// (an outer table's blanks are all before this table's)
	w.ls, w.lastText, w.lastLS, w.at = shift(w.ls), shift(w.lastText), shift(w.lastLS), shift(w.at)
	if w.fwdAt >= 0 {
		w.fwdAt = shift(w.fwdAt)
	}
	if w.fwdEnd >= 0 {
		w.fwdEnd = shift(w.fwdEnd)
	}
}

// start is a start tag's effect on the text.
func (w *textWriter) start(a atom.Atom, z *html.Tokenizer, hasAttr bool) {
	switch a {
	case atom.Br:
		w.gap()
		w.lineBreak()
		return
	case atom.Blockquote:
		w.newline(true)
		switch {
		case w.fwdAt < 0 && (!w.afterText() || w.quote == 0 && forwardLead(w.buf[:w.lastText])):
			// perhaps the whole message: Apple Mail's forward, after its
			// "Begin forwarded message:" and an iPhone's signature, if any
			w.fwdAt, w.fwdEnd, w.fwdQuote = len(w.buf), -1, w.reply.depth+1
		case w.fwdEnd >= 0 && w.lastText <= w.fwdEnd && w.quote == 0:
			// the same forward's next quote: an iPhone quotes its line, header and text apart
			w.fwdEnd, w.fwdQuote = -1, w.reply.depth+1
		}
		w.quote++
		w.openContainer(a, z, hasAttr)
		return
	case atom.Div:
		w.newline(false)
		w.openContainer(a, z, hasAttr)
		return
	case atom.Ul, atom.Ol:
		w.newline(len(w.lists) == 0)
		n := -1
		if a == atom.Ol {
			n = 0
			if v, ok := attr(z, hasAttr, "start"); ok {
				if i, err := strconv.Atoi(string(bytes.TrimSpace(v))); err == nil {
					n = i - 1
				}
			}
		}
		w.lists = append(w.lists, n)
		return
	case atom.Li:
		w.newline(false)
		w.mark = "- "
		if k := len(w.lists) - 1; k >= 0 && w.lists[k] >= 0 {
			w.lists[k]++
			w.mark = strconv.Itoa(w.lists[k]) + ". "
		}
		return
	case atom.Table:
		w.newline(true)
		w.tables = append(w.tables, tableState{})
		return
	case atom.Tr, atom.Td, atom.Th:
		if len(w.tables) == 0 { // cells without their <table>
			w.tables = append(w.tables, tableState{})
		}
		t := w.table()
		t.endCell()
		if a == atom.Tr {
			t.endRow()
			t.rows++
		} else {
			span, down := cellSpans(z, hasAttr)
			t.cell, t.inCell, t.cellText = t.row, true, false
			t.col = t.free(t.end)
			t.end = t.col + span
			if down > 1 {
				t.spanRows(down)
			}
			return
		}
	case atom.P:
		class, _ := attr(z, hasAttr, "class")
		for bytes.HasPrefix(class, []byte("x_")) { // Outlook on the web's, of a message it quotes
			class = class[2:]
		}
		w.msoP = bytes.HasPrefix(class, []byte("Mso"))
		w.newline(!w.msoP && !w.inCell())
		return
	case atom.Img:
		w.image(z, hasAttr)
		return
	case atom.A:
		w.endLink()
		if href, ok := attr(z, hasAttr, "href"); ok {
			if w.href = shownAddress(string(href)); w.href != "" {
				w.link, w.linkText, w.at = true, false, len(w.buf)
			}
		}
		return
	}
	if para, ok := blockAtoms[a]; ok {
		w.newline(para)
	}
}

// end is an end tag's effect on the text.
func (w *textWriter) end(a atom.Atom) {
	switch a {
	case atom.A:
		w.endLink()
		return
	case atom.Blockquote:
		w.quote = max(w.quote-1, 0)
		w.newline(true)
		if w.fwdQuote != 0 && w.fwdQuote == w.reply.depth && w.fwdEnd < 0 {
			w.fwdEnd = len(w.buf)
		}
		w.closeContainer(a)
		return
	case atom.Div:
		w.newline(false)
		w.closeContainer(a)
		return
	case atom.Ul, atom.Ol:
		if len(w.lists) > 0 {
			w.lists = w.lists[:len(w.lists)-1]
		}
		w.newline(len(w.lists) == 0)
		return
	case atom.Li:
		w.mark = ""
	case atom.Table:
		if len(w.tables) > 0 {
			w.endTable()
		}
	case atom.Tr:
		if t := w.table(); t != nil {
			t.endCell()
			t.endRow()
		}
	case atom.Td, atom.Th:
		if t := w.table(); t != nil {
			t.endCell()
		}
		return
	case atom.P:
		w.newline(!w.msoP && !w.inCell())
		w.msoP = false
		return
	}
	if para, ok := blockAtoms[a]; ok {
		w.newline(para)
	}
}

// attr is the value of the start tag's attribute key, which
// z.TagAttr must not yet have read past; it is valid until z.Next.
func attr(z *html.Tokenizer, more bool, key string) ([]byte, bool) {
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) == key {
			return v, true
		}
	}
	return nil, false
}

// htmlSpace is HTML's white space, which a browser collapses.
const htmlSpace = " \t\n\f\r"

// lineBreak ends the current line, as <br> does.
func (w *textWriter) lineBreak() {
	w.buf = append(w.buf, '\n')
	w.ls, w.content, w.begun = len(w.buf), false, false
}

// gap notes, before a line ends, that it is empty (a second <br>, an
// &nbsp; alone), as one after Outlook's plain reply header ends it; the
// empty line between paragraphs does not.
func (w *textWriter) gap() {
	if w.reply.sep > 1 && w.lastText <= w.ls {
		w.reply.sepGap = true
	}
}

// newline ends the current line unless it is already ended (a line of
// HTML's white space alone, such as the indentation between two tags, is no
// line, but one of an &nbsp; is, as Outlook writes an empty line); para
// makes an empty line follow it.
func (w *textWriter) newline(para bool) {
	if w.content {
		w.gap()
		w.lineBreak()
	} else {
		w.buf = w.buf[:w.ls]
	}
	if para && len(w.buf) > 0 && !bytes.HasSuffix(w.buf, []byte("\n\n")) {
		w.lineBreak()
	}
}

// text writes s, the text of a token; a line of it that holds more than
// white space first gets what the structure puts before it.
func (w *textWriter) text(s string) {
	for {
		line, rest, more := strings.Cut(s, "\n")
		if strings.TrimSpace(line) != "" {
			if !w.begun && (w.reply.sep > 0 || strings.Contains(line, "---")) {
				w.originalLine(line)
			}
			if w.reply.header != 0 && w.reply.label == 0 {
				w.reply.label = -1
				if headerLabel(line) {
					w.reply.label = 1
				}
			}
			w.begin()
			w.buf = append(w.buf, line...)
			w.lastText, w.lastLS = len(w.buf), w.ls
		} else {
			w.buf = append(w.buf, line...)
			w.content = w.content || strings.Trim(line, htmlSpace) != ""
		}
		if !more {
			return
		}
		w.gap()
		w.lineBreak()
		s = rest
	}
}

// begin comes before text: a cell's separator from the one before it in
// its row (which may have ended its line, as Outlook's <p> in a cell does:
// the cell's text continues after its last text), and at the start of a
// line the quote marks and a list item's marker. A link whose text begins
// here has its text begin after them.
func (w *textWriter) begin() {
	t := w.table()
	if t != nil {
		if t.cell {
			w.buf = append(w.buf[:w.lastText], " | "...)
			w.ls, w.content, w.begun = w.lastLS, true, true
			t.cell = false
		}
		t.row = true
	}
	if !w.begun {
		if !w.content {
			w.buf = w.buf[:w.ls]
		}
		for range w.quote {
			w.buf = append(w.buf, "> "...)
		}
		w.buf = append(w.buf, w.mark...)
		w.mark, w.content, w.begun = "", true, true
		w.reply.quoted = true
	}
	if t != nil && t.inCell && !t.cellText {
		t.cellText = true
		for c := t.textEnd; c < t.col; c++ {
			t.blanks = append(t.blanks, emptyCell{len(w.buf), c})
			w.buf = append(w.buf, "| "...)
		}
		t.textEnd = t.end
		// A cell across columns ("Message" over a row) fills its first
		// alone: it tells nothing of the columns under it.
		if t.col < 64 {
			t.filled |= 1 << t.col
		}
	}
	if w.link && !w.linkText {
		w.at, w.linkText = len(w.buf), true
	}
}

// image writes what an <img> says in text: an emoji's image (Gmail's) is
// its emoji, the alt text; a picture the client pasted into the message,
// one the mail carries (src "cid:…") whose alt is its file name, as Gmail
// and Apple Mail write it, is "[image: plan.png]", as Gmail's own plain
// text writes it, so that "the plan is below:" is not followed by nothing.
// Other images show no text: a portal's logo, a tracking pixel, and the
// logo of an Outlook signature, whose alt Outlook writes as a description
// ("A logo with text Description automatically generated").
func (w *textWriter) image(z *html.Tokenizer, more bool) {
	more = more && containsFold(z.Raw(), "alt")
	var alt, src []byte
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "alt":
			alt = v
		case "src":
			src = v
		}
	}
	text := collapseSpace(string(alt))
	switch {
	case text == "":
	case isEmoji(text):
		w.text(text)
	case len(src) > 4 && strings.EqualFold(string(src[:4]), "cid:") && imageFile(text):
		w.text("[image: " + text + "]")
	}
}

// imageFile reports whether s is a picture's file name ("IMG_1234.jpeg").
func imageFile(s string) bool {
	switch strings.ToLower(path.Ext(s)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".heic", ".webp", ".bmp", ".tif", ".tiff":
		return !strings.ContainsAny(s, "/\\")
	}
	return false
}

// isEmoji reports whether s is emoji alone: symbols (at least one of
// Unicode's other symbols, So) with the joiners, variation selectors and
// skin tones between them, no letter, digit or punctuation ("|" and "-"
// are a layout's spacers).
func isEmoji(s string) bool {
	so := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.So, r):
			so = true
		case r == '\u200d' || r == '\ufe0f' || r == '\u20e3' || unicode.Is(unicode.Sk, r) && r >= 0x1f3fb || r == ' ':
		default:
			return false
		}
	}
	return so
}

// endLink ends the link being written: its address follows its text in
// angle brackets unless the text says it, and is the text of a link without
// any.
func (w *textWriter) endLink() {
	if !w.link {
		return
	}
	w.link = false
	text := ""
	if w.linkText {
		text = collapseSpace(string(w.buf[min(w.at, len(w.buf)):]))
	}
	switch {
	case text == "":
		w.text(w.href)
	case !saysAddress(text, w.href):
		w.text(" <" + w.href + ">")
	}
}

// shownAddress is the address of a link's href as a reader can use it: a
// web address as it is, a mail address or telephone number without its
// scheme; "" for one a reader cannot follow from plain text (a page's own
// "#part", a relative path, javascript:).
func shownAddress(href string) string {
	href = strings.TrimSpace(href)
	scheme, rest, ok := strings.Cut(href, ":")
	if !ok {
		return ""
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
		if strings.HasPrefix(rest, "//") && len(rest) > 2 {
			return href
		}
	case "mailto":
		rest, _, _ = strings.Cut(rest, "?")
		return strings.TrimSpace(rest)
	case "tel":
		return strings.TrimSpace(rest)
	}
	return ""
}

// saysAddress reports whether a link's text gives the reader its address
// or one of its own: the address itself (but for its scheme, "www." or a
// final "/"; a number in other spacing), or any web or mail address, as
// a link's text shows one a mail client or a tracker rewrote.
func saysAddress(text, addr string) bool {
	if strings.HasSuffix(text, "...") || strings.HasSuffix(text, "…") { // cut short
		return false
	}
	if strings.Contains(text, "://") || strings.HasPrefix(strings.ToLower(text), "www.") ||
		!strings.ContainsFunc(text, unicode.IsSpace) && strings.Contains(text, "@") {
		return true
	}
	if sameNumber(telDigits(text), telDigits(addr)) {
		return true
	}
	norm := func(s string) string {
		s = strings.ToLower(s)
		for _, p := range []string{"mailto:", "https://", "http://", "www."} {
			s = strings.TrimPrefix(s, p)
		}
		return strings.TrimRight(s, "/")
	}
	return norm(text) == norm(addr)
}

// telDigits is s's digits if s is written as a telephone number is
// (digits, spaces, "+-().", at least 6 digits), else "".
func telDigits(s string) string {
	var d []byte
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d = append(d, byte(r))
		case strings.ContainsRune(" +-().\u00a0", r):
		default:
			return ""
		}
	}
	if len(d) < 6 {
		return ""
	}
	return string(d)
}

// sameNumber reports whether the digits a and b are of one telephone
// number, written nationally ("07700 900123") or internationally
// ("+447700900123"): without leading zeros, one ends the other, which has at
// least 8 digits.
func sameNumber(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 8 && strings.HasSuffix(b, a)
}

// tidyLines collapses spaces within each line, trims lines and keeps at most
// one empty line in a row, with none at the start or end. A line ends at
// LF, CR LF, a lone CR (as old Mac software writes), NEL or U+2028; U+2029
// ends a paragraph.
func tidyLines(s string) string {
	// (strings.ContainsAny would read s rune by rune for these: most
	// messages, without markup, come here alone)
	if strings.IndexByte(s, '\r') >= 0 || strings.Contains(s, "\u0085") ||
		strings.Contains(s, "\u2028") || strings.Contains(s, "\u2029") {
		s = lineEnds.Replace(s)
	}
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = collapseSpace(strings.ReplaceAll(l, "\u00a0", " "))
		if l == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// lineEnds makes each way of ending a line a line feed.
var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n\n")

// hasBreakMarkup reports whether s has a tag that breaks lines: <br>, a
// block element (blockAtoms) or a table's cell, in any case of letters.
func hasBreakMarkup(s string) bool {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return false
		}
		s = s[i+1:]
		name := strings.TrimPrefix(s, "/")
		n := 0
		for n < len(name) && n < 10 && (name[n]|0x20 >= 'a' && name[n]|0x20 <= 'z' || name[n] >= '0' && name[n] <= '9') {
			n++
		}
		if n == 0 || n == len(name) || !strings.ContainsRune(" \t\n\f\r/>", rune(name[n])) {
			continue
		}
		var lower [10]byte
		for j := range n {
			lower[j] = name[j]
			if name[j] >= 'A' && name[j] <= 'Z' {
				lower[j] += 'a' - 'A'
			}
		}
		a := atom.Lookup(lower[:n])
		if _, block := blockAtoms[a]; block || a == atom.Br || a == atom.Td || a == atom.Th {
			return true
		}
	}
}

// lineBreaks turns line breaks into spaces.
var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// tagAt matches what a "<" starts in markup: a whole tag (its name, any
// attributes and the closing ">"), or a comment, doctype or CDATA section
// (<!--, <!DOCTYPE, <![CDATA[) or a processing instruction (<?xml).
var tagAt = regexp.MustCompile(`^(?:</?([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>|<![A-Za-z\[-]|<\?[A-Za-z])`)

// escapeStrayLT escapes each "<" that does not start a known HTML element's
// tag or a comment (an address in angle brackets, "Jo <jo@example.com>",
// is text too). The text a sender calls HTML is often a person's own
// with a few tags ("Budget <ca. 200 m2<br>Thanks", "5000<x<8000 kr"): an
// HTML parser takes such a "<" for a tag that runs to the next ">" or to
// the end, and what the person wrote after it was lost.
func escapeStrayLT(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		if m := tagAt.FindStringSubmatch(s); m != nil && isElement(m[1]) {
			b.WriteByte('<')
		} else {
			b.WriteString("&lt;")
		}
		s = s[1:]
	}
}

// isElement reports whether name, a tag's name as tagAt read it, is one to
// read as markup: an HTML element, or a namespaced or custom one (Word's
// <o:p>, <my-widget>). "" is a comment, doctype or the like.
func isElement(name string) bool {
	return name == "" || strings.ContainsAny(name, ":-") || atom.Lookup([]byte(strings.ToLower(name))) != 0
}
