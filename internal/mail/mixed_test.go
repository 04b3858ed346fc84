package mail_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestEachRecipientGetsWhatItsAnswerMeans: recipients answered
// differently in one message (one refused for good, 550; one for now, 450:
// greylisting) were judged by the last answer alone (go-mail keeps only
// its code): the 450 last had the whole message counted temporary, and
// retried until greylisting passed or the attempts ran out, nobody getting
// it meanwhile; the 550 last had the copies sent apart, where the one
// greylisted was counted refused for good and never tried again. A copy
// sent apart whose data the server answered 451 was counted refused too.
// Now the others get it at once, the one refused for good is said and not
// retried, and the one answered for now is said as such (Pending) and can
// be sent to alone (SendHTMLTo) without mailing the others again.
func TestEachRecipientGetsWhatItsAnswerMeans(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		to       []string
		failData int // data answers 451 for this many copies
		pending  []string
	}{
		{"550 then 450", []string{"a@example.com", "gone@refused.example", "d@greylist.example"}, 0, []string{"d@greylist.example"}},
		{"450 then 550", []string{"a@example.com", "d@greylist.example", "gone@refused.example"}, 0, []string{"d@greylist.example"}},
		{"451 to a copy's data", []string{"d@example.com", "gone@refused.example", "a@example.com"}, 1, []string{"d@example.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t, "reports", "s3cret")
			s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = tc.to })
			srv.FailNext(tc.failData)
			err := s.SendHTML(context.Background(), "12 leads", "12 leads.", "<p>12 leads.</p>")
			var me *mail.Error
			if !errors.As(err, &me) || !mail.Partial(err) || !mail.Temporary(err) {
				t.Fatalf("err = %v (partial %v, temporary %v): want sent to some, and worth trying again", err, mail.Partial(err), mail.Temporary(err))
			}
			if strings.Join(me.Refusals(), ";") != "gone@refused.example (550 5.1.1 no such user)" {
				t.Errorf("refusals %q: want the 550 alone", me.Refusals())
			}
			if !slices.Equal(me.Pending(), tc.pending) {
				t.Errorf("pending %q, want %q", me.Pending(), tc.pending)
			}
			if got := delivered(srv); got != "a@example.com" {
				t.Fatalf("delivered to %q, want a@ alone", got)
			}
			srv.Greylist(1) // d@greylist.example has been refused once already: taken now
			if err := s.SendHTMLTo(context.Background(), me.Pending(), "12 leads", "12 leads.", "<p>12 leads.</p>"); err != nil {
				t.Fatal(err)
			}
			if got := delivered(srv); got != "a@example.com,"+tc.pending[0] {
				t.Fatalf("delivered to %q, want a@ once, then the one answered for now", got)
			}
		})
	}
}

// delivered is the recipients of each message srv took, in order.
func delivered(srv *mailtest.Server) string {
	var got []string
	for _, m := range srv.Messages() {
		got = append(got, m.To...)
	}
	return strings.Join(got, ",")
}
