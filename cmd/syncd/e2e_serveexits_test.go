package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeHelpSaysWhyAnAgencysAddressExits2: serve refused on an address
// another agency's file beside its own names exits 2 (a person gives one
// of them another port; the units do not restart it), but serve's help
// gave exit 1 to "the address another program holds" and named no such
// case under exit 2, nor did the manual page made from it: an operator
// reading it took the unit's failure for one systemd would retry.
func TestServeHelpSaysWhyAnAgencysAddressExits2(t *testing.T) {
	t.Parallel()
	etc := filepath.Join(t.TempDir(), "etc")
	if err := os.Mkdir(etc, 0o750); err != nil {
		t.Fatal(err)
	}
	listen := freeAddr(t)
	write := func(name string) string {
		yaml := strings.Replace(configYAML(filepath.Join(etc, "..", name), []string{e2eLBToken}, ""),
			"listen: 127.0.0.1:0", "listen: "+listen, 1)
		file := filepath.Join(etc, name+".yaml")
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	start(t, write("nordbolig"))
	serveRefused(t, write("sydbolig")) // exit 2

	out, errOut, _ := syncdRun(t, "serve", "-h")
	help := out + errOut
	_, exit2, ok := strings.Cut(help, "\n  2  ")
	if !ok {
		t.Fatalf("serve -h gives no exit 2:\n%s", help)
	}
	for _, next := range []string{"\n  3  ", "\n  4  ", "\n\n"} { // the lines of exit 2 alone
		exit2, _, _ = strings.Cut(exit2, next)
	}
	if !strings.Contains(strings.Join(strings.Fields(exit2), " "), "an address another agency's file beside this one names") {
		t.Errorf("serve -h's exit 2 does not name an address another agency's file names, which exits 2:\n%s", exit2)
	}
}
