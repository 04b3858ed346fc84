package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
)

// leafKeys is every key of the configuration whose value is not a
// section of keys, by its path (a source's keys under sources.lb), with
// its Go type as fieldTypes names it; the sections are listed too when
// sections is set.
func leafKeys(sections bool) map[string]string {
	out := map[string]string{}
	var walk func(typ string, path []string)
	walk = func(typ string, path []string) {
		for key, field := range fieldTypes[typ] {
			p := append(slices.Clone(path), key)
			switch {
			case field == "map[string]config.Source":
				if sections {
					out[strings.Join(p, ".")] = field
				}
				walk("config.Source", append(p, "lb"))
			case fieldTypes[field] != nil:
				if sections {
					out[strings.Join(p, ".")] = field
				}
				walk(field, p)
			default:
				out[strings.Join(p, ".")] = field
			}
		}
	}
	walk("config.Config", nil)
	return out
}

// yamlAt writes value at the dotted key path as block YAML, a source
// given its kind beside it; the value's line is the last.
func yamlAt(path, value string) string {
	keys := strings.Split(path, ".")
	var b strings.Builder
	for i, k := range keys {
		indent := strings.Repeat("  ", i)
		if i == len(keys)-1 {
			fmt.Fprintf(&b, "%s%s: %s\n", indent, k, value)
			break
		}
		fmt.Fprintf(&b, "%s%s:\n", indent, k)
		if i == 1 && keys[0] == "sources" && keys[2] != "kind" {
			fmt.Fprintf(&b, "%s  kind: lokalebasen\n", indent)
		}
	}
	return b.String()
}

// library is what yaml's refusals are made of: its words, tags and the
// Go types of the keys, none of which an operator wrote or can act on.
var library = []string{"cannot unmarshal", "!!", "time.Duration", "int64", "[]string", "config.", "map[", "mapping key", "already defined"}

// TestTypeProblemsAreInSyncdsWordsAlone: a value of another type than its
// key's was said with yaml's refusal before syncd's words ("cannot
// unmarshal !!str `14d` into time.Duration: intake.dedup_window: a
// duration has no unit for days"), and a key given twice as yaml's
// `mapping key "sync" already defined`, read as syncd's mapping: section.
// For every key of every type (durations, whole numbers, true or false,
// lists, one value, sections, the sources' names, the file itself), and
// for a key given twice, the problem is syncd's words alone, naming the
// key at its line.
func TestTypeProblemsAreInSyncdsWordsAlone(t *testing.T) {
	wrong := map[string]string{
		"int": "ten", "int64": "1MiB", "bool": "yes please", "time.Duration": "14d", "[]string": "one two",
		"string": "[a, b]",
	}
	keys := leafKeys(true)
	paths := make([]string, 0, len(keys))
	for p := range keys {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		typ := keys[path]
		value, ok := wrong[typ]
		if !ok { // a section: a value where its keys go
			value = "x"
		}
		raw := yamlAt(path, value)
		line := strings.Count(raw, "\n")
		_, err := Parse("c.yaml", []byte(raw), func(string) string { return "" })
		got := fmt.Sprint(err)
		if want := fmt.Sprintf("c.yaml:%d: %s ", line, path); !strings.Contains(got, want) && !strings.Contains(got, want[:len(want)-1]+": ") {
			t.Errorf("%s (%s) written %s:\n%s\nwant a problem beginning %q", path, typ, value, got, want)
		}
		for _, w := range library {
			if strings.Contains(got, w) {
				t.Errorf("%s (%s) written %s: the YAML library's %q in\n%s", path, typ, value, w, got)
			}
		}
	}
	for raw, want := range map[string]string{
		// two keys on one line, of the same value: no single key is known
		"http: {read_timeout: 14d, idle_timeout: 14d}\n":                "c.yaml:1: a value on this line is not a duration: a duration has no unit for days: write 336h (14 days)",
		"crm: {hubspot: {requests: ten}, pipedrive: {requests: ten}}\n": "c.yaml:1: a value on this line is not a whole number",
		"- listen: x\n":                                    "c.yaml:1: the file is not a configuration: it holds keys",
		"sync:\n  lease: 1m\n  lease: 2m\n":                `c.yaml:3: key "sync.lease" given twice (first at line 2): give each key once`,
		"sources:\n  lb: {kind: eaf}\n  lb: {kind: eaf}\n": `c.yaml:3: key "sources.lb" given twice (first at line 2)`,
		"sync: {}\nsync: {}\n":                             `c.yaml:2: key "sync" given twice (first at line 1)`,
	} {
		_, err := Parse("c.yaml", []byte(raw), func(string) string { return "" })
		got := fmt.Sprint(err)
		if !strings.Contains(got, want) {
			t.Errorf("%s:\n%s\nwant %q", raw, got, want)
		}
		for _, w := range library {
			if strings.Contains(got, w) {
				t.Errorf("%s: the YAML library's %q in\n%s", raw, w, got)
			}
		}
	}
}

// TestEveryNegativeRefusalNamesTheDefault: docs/configuring.md says a
// negative number or duration is refused naming the default, but
// retention's said "must be 0 (keep) or more days" alone. Every whole
// number and duration key written negative is refused at its line, naming
// its default; report.keep_days, whose negative keeps every workbook for
// ever, is a warning that says so (docs/configuration.md).
func TestEveryNegativeRefusalNamesTheDefault(t *testing.T) {
	keys := leafKeys(false)
	paths := make([]string, 0, len(keys))
	for p, typ := range keys {
		if typ == "int" || typ == "int64" || typ == "time.Duration" {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	if len(paths) < 25 {
		t.Fatalf("%d number and duration keys: %v", len(paths), paths)
	}
	for _, path := range paths {
		value := "-1"
		if keys[path] == "time.Duration" {
			value = "-1s"
		}
		raw := yamlAt(path, value)
		if path == "report.mail.port" { // checked when reports are mailed (to:)
			raw = "report:\n  mail:\n    host: smtp.example.com\n    from: r@example.com\n    to: [m@example.com]\n    port: -1\n"
		}
		at := fmt.Sprintf("c.yaml:%d: ", strings.Count(raw, "\n"))
		cfg, err := Parse("c.yaml", []byte(raw), func(string) string { return "" })
		var said string
		for _, line := range strings.Split(fmt.Sprint(err), "\n") {
			if strings.HasPrefix(line, at) {
				said = line
			}
		}
		if path == "report.keep_days" {
			if said != "" || cfg != nil {
				t.Errorf("%s %s: %s (a warning, not a refusal)", path, value, said)
			}
			continue
		}
		if said == "" || !strings.Contains(said, "default") {
			t.Errorf("%s %s: %q\nwant a refusal at its line naming the default, in\n%v", path, value, said, err)
		}
	}
}

// TestNumberTooLargeIsNotToldToWriteDigits: a whole number past what its
// key holds (yaml's "cannot unmarshal !!int `9999999...` into int64") was
// told "is a whole number: write digits only", which it is.
func TestNumberTooLargeIsNotToldToWriteDigits(t *testing.T) {
	raw := "http:\n  max_body_bytes: 99999999999999999999\nretention:\n  event_days: 99999999999999999999\n"
	_, err := Parse("c.yaml", []byte(raw), func(string) string { return "" })
	for _, want := range []string{
		"c.yaml:2: http.max_body_bytes is too large a number: write a smaller one, as 1048576, the default",
		"c.yaml:4: retention.event_days is too large a number: write a smaller one, as 90 (days)",
	} {
		if !strings.Contains(fmt.Sprint(err), want) {
			t.Errorf("%v\nwant %q", err, want)
		}
	}
}
