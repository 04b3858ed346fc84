package crmtest

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// FieldsOf is the fields that the mappings yaml, one file named m.yaml
// for the CRM crm, name, with their lines: what `syncd crm check` and
// `syncd crm setup` are given.
func FieldsOf(t testing.TB, crm, yaml string) []syncd.FieldSpec {
	t.Helper()
	r, err := mapping.Parse("m.yaml", []byte(yaml), crm)
	if err != nil {
		t.Fatalf("mappings: %v", err)
	}
	return r.Fields()
}

// CheckMappings runs a's check of the mappings yaml (one file, m.yaml, for
// the CRM crm) as `syncd crm check` does, and returns its findings.
func CheckMappings(t testing.TB, a syncd.Checker, crm, yaml string) []syncd.Finding {
	t.Helper()
	fs, err := a.Check(context.Background(), FieldsOf(t, crm, yaml))
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return fs
}

// FindingOf is the one finding about name, the zero Finding when there
// is none (Problem ""); more than one fails t.
func FindingOf(t testing.TB, fs []syncd.Finding, name string) syncd.Finding {
	t.Helper()
	var out []syncd.Finding
	for _, f := range fs {
		if f.Name == name {
			out = append(out, f)
		}
	}
	if len(out) > 1 {
		t.Fatalf("%d findings about %s, want at most 1: %+v", len(out), name, out)
	}
	if len(out) == 0 {
		return syncd.Finding{}
	}
	return out[0]
}

// FindingsOf is every finding about name, each as "severity: problem | fix".
func FindingsOf(fs []syncd.Finding, name string) []string {
	var out []string
	for _, f := range fs {
		if f.Name == name {
			out = append(out, string(f.Severity)+": "+f.Problem+" | "+f.Fix)
		}
	}
	return out
}
