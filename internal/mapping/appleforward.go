package mapping

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Apple Mail's forward: "Begin forwarded message:" on a line of its own,
// then the quoted mail (a <blockquote type="cite">, or in plain text every
// line marked "> "), its header's labels in the order and language of the
// forwarder's Mail ("From:", "Subject:", "Date:", "To:" on a Mac; "From:",
// "Date:", "To:", "Subject:" on an iPhone, which puts the line, the
// header and the text each in a quote of its own, below its "Sent from my
// iPhone").

// appleForward is Apple Mail's line above a forwarded mail, in the
// languages of syncd's senders and their neighbours (as Mail writes it on
// a Mac and on an iPhone: French has one of each).
var appleForward = regexp.MustCompile(`(?i)^(begin forwarded message|start på videresendt besked|videresendt melding|` +
	`vidarebefordrat mejl|anfang der weitergeleiteten nachricht|begin doorgestuurd bericht|välitetty viesti alkaa|` +
	`début du message réexpédié|début du message transféré|inicio del mensaje reenviado|inizio messaggio inoltrato|` +
	`início da mensagem reencaminhada|início da mensagem encaminhada|początek przekazywanej wiadomości)\s?:$`)

// forwardLead reports whether text, all that comes before a quote, is no
// word of the forwarder's: nothing, Apple Mail's line above a forward
// (appleForward) or a phone's signature line ("Sent from my iPhone", which
// an iPhone writes above what it forwards), one line or more of them.
func forwardLead(text []byte) bool {
	for l := range bytes.SplitSeq(text, []byte("\n")) {
		l = bytes.TrimSpace(bytes.ReplaceAll(l, []byte("\u00a0"), []byte(" ")))
		if len(l) > 0 && !appleForward.Match(l) && !(utf8.RuneCount(l) <= 60 && mobileSignature.Match(l)) {
			return false
		}
	}
	return true
}

// unquotePlainForward takes the marks out of the lines of a forward in
// text without markup (its lines tidied), as Apple Mail writes one: its
// line (appleForward), with nothing but a phone's signature line before it,
// then every line to the end marked "> " but for a signature after them
// (signatureOnly). Anything else is returned as it is: a word of the
// forwarder's before or after keeps the client's words set apart.
func unquotePlainForward(s string) string {
	if !strings.Contains(s, "\n>") {
		return s
	}
	lines := strings.Split(s, "\n")
	intro := -1
	for i, l := range lines {
		if appleForward.MatchString(l) {
			intro = i
			break
		}
	}
	if intro < 0 || !forwardLead([]byte(strings.Join(lines[:intro], "\n"))) {
		return s
	}
	last := -1 // the last quoted line
	for i := intro + 1; i < len(lines); i++ {
		switch {
		case strings.HasPrefix(lines[i], ">"):
			last = i
		case lines[i] != "" && last < 0:
			return s // a line between Apple's and the quote
		}
	}
	if last < 0 || !signatureOnly([]byte(strings.Join(lines[last+1:], "\n"))) {
		return s
	}
	for i := intro + 1; i <= last; i++ {
		if !strings.HasPrefix(lines[i], ">") && lines[i] != "" {
			return s // a word of the forwarder's between the quote's lines
		}
		lines[i] = strings.TrimPrefix(strings.TrimPrefix(lines[i], ">"), " ")
	}
	return tidyLines(strings.Join(lines, "\n"))
}
