package postgres_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
)

// TestAKeywordOfTwoWordsIsSaid: a keyword=value DSN with a keyword written
// as two words ("user name=syncd") or a value holding a space not in
// quotes was refused as `missing "=" after … in connection info string`,
// the piece quoted left out (it may be a piece of the password), with
// nothing of what to write. It now says how keywords and values are
// written, still never the piece.
func TestAKeywordOfTwoWordsIsSaid(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{
		"host=127.0.0.1 user name=syncd dbname=syncd",
		"host=127.0.0.1 user=syncd password=Zq9x Kw7p dbname=syncd",
	} {
		_, err := postgres.Where(dsn)
		if err == nil {
			t.Fatalf("%s: parsed", dsn)
		}
		if msg := err.Error(); !strings.Contains(msg, "a keyword is one word (user=, dbname=, password=) and a value "+
			"holding a space is written in single quotes (password='a b')") || strings.Contains(msg, "Kw7p") {
			t.Errorf("%s: %s", strings.ReplaceAll(dsn, "Kw7p", "…"), msg)
		}
	}
}
