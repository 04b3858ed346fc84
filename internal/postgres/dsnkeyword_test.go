package postgres_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestAMisspeltDSNKeywordIsSaid: a DSN keyword misspelt (ssl_mode=require,
// application_nme=x), as a URL's query or as keyword=value, is no keyword
// pgx reads, so it was sent to the server as a setting, and validate,
// serve and every command said the server's words alone, `unrecognized
// configuration parameter "ssl_mode"`. They now say which keyword was
// probably meant, never the value the DSN gave it (a password, for a
// misspelt password=); a name close to no keyword is said as before.
// Another tool's word for a keyword, too far from it to be a misspelling
// (passwd=, pass=, db=), was said as such a name: it is now said as one
// misspelt.
func TestAMisspeltDSNKeywordIsSaid(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	keywords := "host=" + u.Hostname() + " port=" + u.Port() + " user=" + u.User.Username() +
		" dbname=" + strings.TrimPrefix(u.Path, "/") + " sslmode=disable"
	for _, c := range []struct{ dsn, name, meant string }{
		{dsn + "&ssl_mode=require", "ssl_mode", "sslmode"},
		{keywords + " application_nme=x", "application_nme", "application_name"},
		{dsn + "&pasword=Zq9xKw7p", "pasword", "password"},
		{keywords + " passwd=Zq9xKw7p", "passwd", "password"},
		{dsn + "&pass=Zq9xKw7p", "pass", "password"},
		{keywords + " db=x", "db", "dbname"},
		{dsn + "&sslmod=disable", "sslmod", "sslmode"},
		{keywords + " zzqqx_frob=1", "zzqqx_frob", ""},
	} {
		for _, open := range []func() error{
			func() error {
				db, err := postgres.Open(context.Background(), c.dsn)
				if err == nil {
					db.Close()
				}
				return err
			},
			func() error { _, err := postgres.Check(context.Background(), c.dsn); return err },
		} {
			err := open()
			if err == nil {
				t.Fatalf("%s: the server took it", c.name)
			}
			msg := err.Error()
			said := "the DSN names " + c.name + ", which is no DSN keyword (" + c.meant + " was probably meant)"
			if c.meant == "" {
				if strings.Contains(msg, "probably meant") || !strings.Contains(msg, `unrecognized configuration parameter "`+c.name+`"`) {
					t.Errorf("%s: %s", c.name, msg)
				}
			} else if !strings.Contains(msg, said) || !strings.Contains(msg, "unrecognized configuration parameter") {
				t.Errorf("%s:\n%s\nwant %q and the server's words", c.name, msg, said)
			}
			if strings.Contains(msg, "Zq9x") {
				t.Errorf("the password is said: %s", msg)
			}
		}
	}
}
