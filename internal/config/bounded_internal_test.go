package config

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// TestBoundedKeysSayTheDefaultsInForce: the warnings and refusals of
// validateBounds name each key's default as written in boundedKeys, beside
// the defaults the loader sets; a default changed in one place only would
// have them tell the operator to write a value syncd does not use.
func TestBoundedKeysSayTheDefaultsInForce(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps + "\n"
	cfg, err := Parse("c.yaml", []byte(raw), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := yaml.Unmarshal(out, &tree); err != nil {
		t.Fatal(err)
	}
	for _, k := range boundedKeys() {
		var v any = tree
		for _, key := range k.path {
			m, _ := v.(map[string]any)
			v = m[key]
		}
		key := strings.Join(k.path, ".")
		switch {
		case key == "report.mail.port": // 0 in the file: the mail package chooses by tls
			if !strings.HasPrefix(k.def, "587") {
				t.Errorf("%s: says default %s", key, k.def)
			}
		case k.dur:
			want, err1 := time.ParseDuration(k.def)
			got, err2 := time.ParseDuration(strings.TrimSpace(toString(v)))
			if err1 != nil || err2 != nil || got != want {
				t.Errorf("%s: says default %s, the loader sets %v", key, k.def, v)
			}
		default:
			if toString(v) != k.def {
				t.Errorf("%s: says default %s, the loader sets %v", key, k.def, v)
			}
		}
	}
}

// toString is v as YAML wrote it.
func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	}
	return ""
}
