package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestRefusedSenderNamesTheSetting: a server refusing the sender address
// (553 to MAIL FROM: not one the login may send as) or asking for a login
// syncd was not given (530) failed as "sending SMTP MAIL FROM command: 553
// ...", and `syncd report -mail` advised mending "report.mail's recipients
// or login, or the server's message size limit": neither named from. Each
// now says which setting to change, and is not retried.
func TestRefusedSenderNamesTheSetting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, user, from string
		want             []string
	}{
		{"sender refused", "reports", "syncd <syncd@refused.example>",
			[]string{"refuses the sender address syncd@refused.example", "553 5.7.1 sender address not owned by user", "from:", "reports"}},
		{"login needed", "", "syncd@example.com",
			[]string{"530", "login", "username", "password_file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t, "reports", "s3cret")
			s := sender(t, srv, tc.user, "s3cret", func(o *mail.Options) {
				o.From = tc.from
				if tc.user == "" {
					o.Auth = ""
				}
			})
			err := s.Send(context.Background(), "12 leads", "12 leads.\n")
			if err == nil || mail.Temporary(err) || !mail.Misfit(err) {
				t.Fatalf("err = %v (temporary %v, misfit %v): want a setting to change, not retried", err, mail.Temporary(err), mail.Misfit(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to say %q", err, w)
				}
			}
			if n := len(srv.Messages()); n != 0 {
				t.Fatalf("%d messages arrived", n)
			}
		})
	}
}
