package report

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
)

// sendReport mails the workbook at path with text and html to the
// recipients in to (nil: every configured one; others through
// pendingMailer). One the mail server takes as too large goes without the
// workbook, saying so and where it is kept: unattached says why ("" when
// it went attached, or failed whole).
func sendReport(ctx context.Context, m Mailer, to []string, subject, text, htmlText, path string) (unattached string, err error) {
	mail := func(text, htmlText string, attachments ...string) error {
		if to == nil {
			return m.SendHTML(ctx, subject, text, htmlText, attachments...)
		}
		pm, ok := m.(pendingMailer)
		if !ok {
			return errors.New("mail: the mailer sends to every recipient only")
		}
		return pm.SendHTMLTo(ctx, to, subject, text, htmlText, attachments...)
	}
	err = mail(text, htmlText, path)
	var big interface{ TooLarge() string }
	if !errors.As(err, &big) || big.TooLarge() == "" {
		return "", err
	}
	text, htmlText = withoutWorkbook(text, htmlText, path, big.TooLarge())
	subject += unattachedSubject // said in the inbox, not only in the mail opened
	why := big.TooLarge()
	err = mail(text, htmlText)
	if errors.As(err, &big) && big.TooLarge() != "" && !partly(err) {
		// Not the workbook: the server's limit is below any report's.
		return "", fmt.Errorf("%w, even without the workbook: raise the mail server's message size limit, "+
			"or send through one that takes it", err)
	}
	return why, err
}

// partly reports whether err says the mail reached some recipients.
func partly(err error) bool {
	var p interface{ Partial() bool }
	return errors.As(err, &p) && p.Partial()
}

// unattachedSubject ends the subject of a report mail sent without its
// workbook.
const unattachedSubject = " (workbook not attached: too large, kept on the server)"

// withoutWorkbook is a report mail's text and HTML saying, where they say
// the workbook at path is attached (Summary, HTML), that it is not: too
// large for the mail server (why says how), and where it is kept; at the
// top where they do not say so.
func withoutWorkbook(text, htmlText, path, why string) (string, string) {
	where := "on the server syncd runs on"
	if host, err := os.Hostname(); err == nil && host != "" {
		where += " (" + host + ")"
	}
	file := filepath.Base(path)
	note := fmt.Sprintf("The workbook %s is not attached: it is too large for the mail server (%s). It is kept %s, at %s.",
		file, why, where, path)
	if said := "The workbook " + file + " is attached."; strings.Contains(text, said) {
		text = strings.Replace(text, said, note, 1)
	} else if said := "The workbook is attached."; strings.Contains(text, said) { // deliver's own body
		text = strings.Replace(text, said, note, 1)
	} else {
		text = note + "\n\n" + text
	}
	if htmlText == "" {
		return text, ""
	}
	strong := "<p><strong>" + html.EscapeString(note) + "</strong></p>"
	if said := "<p>The workbook " + file + " is attached.</p>"; strings.Contains(htmlText, said) {
		return text, strings.Replace(htmlText, said, strong, 1)
	}
	return text, strong + "\n" + htmlText
}
