package mapping_test

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestAMappingFileInUTF16NamesTheColumn: a mapping file saved by Notepad
// as "Unicode" (UTF-16 with a byte order mark) loads, but a mistake in an
// expression was said "at character 1 of the expression" where the same
// file in UTF-8 says the column in the file. Both now say the column.
func TestAMappingFileInUTF16NamesTheColumn(t *testing.T) {
	const doc = "rules:\r\n  - name: r\r\n    source: lokalebasen\r\n    event: enquiry_created\r\n" +
		"    contact:\r\n      email: payload.client.email\r\n" +
		"      phone: {expr: 'phnoe(payload.client.phone)'}\r\n" // the expression starts at column 22
	units := utf16.Encode([]rune("\ufeff" + doc))
	data := make([]byte, 0, 2*len(units))
	for _, u := range units {
		data = binary.LittleEndian.AppendUint16(data, u)
	}
	dir := filepath.Join(t.TempDir(), "hubspot")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lb.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := mapping.Load(dir, "hubspot")
	var les mapping.LoadErrors
	if !errors.As(err, &les) || len(les) != 1 {
		t.Fatalf("a UTF-16 file with one mistake: %v", err)
	}
	want := `hubspot/lb.yaml:7: rule "r": contact.phone: expression: unknown function phnoe (did you mean "phone"?) (at column 22)`
	if les[0].Error() != want {
		t.Errorf("a UTF-16 file:\ngot  %v\nwant %s", les[0], want)
	}
}
