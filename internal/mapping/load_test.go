package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadMappings loads each file under testdata/mapping/bad and compares
// the error with the .err file next to it (-update rewrites them).
func TestBadMappings(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdataRoot, "bad", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad mappings: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("bad/"+filepath.Base(f), data, "hubspot")
			if err == nil {
				t.Fatal("loaded without error")
			}
			checkGolden(t, strings.TrimSuffix(f, ".yaml")+".err", []byte(err.Error()+"\n"))
		})
	}
}

func TestLoadErrorsAreListed(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testdataRoot, "bad", "many.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("many.yaml", data, "hubspot")
	var list LoadErrors
	if !errors.As(err, &list) || len(list) < 5 {
		t.Fatalf("err = %v; want a LoadErrors with every problem", err)
	}
	var one *LoadError
	if !errors.As(err, &one) || one.File != "many.yaml" || one.Line == 0 {
		t.Fatalf("errors.As LoadError: %+v", one)
	}
	for i := 1; i < len(list); i++ {
		if list[i].Line < list[i-1].Line {
			t.Fatalf("not in line order: %v", err)
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir, "hubspot"); err == nil || !strings.Contains(err.Error(), "no *.yaml files") {
		t.Fatalf("empty dir: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing"), "hubspot"); err == nil {
		t.Fatal("missing dir: no error")
	}
	one := "rules:\n  - name: a\n    source: eaf\n    event: email_lead\n    contact:\n      email: contact_email\n"
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(one), 0o644)
	os.WriteFile(filepath.Join(dir, "b.yml"), []byte(one), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a mapping"), 0o644)
	_, err := Load(dir, "hubspot")
	// a copy of a file (eaf copy.yaml, eaf.old.yaml) loads too: said as such
	want := filepath.Base(dir) + `/b.yml:2: rule "a": duplicate rule name (first at ` + filepath.Base(dir) + `/a.yaml:2): ` +
		`this file and a.yaml are the same, and every .yaml and .yml file in the folder loads: move the copy out of the mapping folder`
	if err == nil || err.Error() != want {
		t.Fatalf("duplicate across files: %v\nwant %s", err, want)
	}
	os.WriteFile(filepath.Join(dir, "b.yml"), []byte(one+"      phone: contact_phone\n"), 0o644)
	_, err = Load(dir, "hubspot")
	want = filepath.Base(dir) + `/b.yml:2: rule "a": duplicate rule name (first at ` + filepath.Base(dir) + `/a.yaml:2): ` +
		`a rule's name is its own in the whole folder: rename one, or, if b.yml is an old copy of a.yaml, move it out of the mapping folder`
	if err == nil || err.Error() != want {
		t.Fatalf("duplicate across files: %v\nwant %s", err, want)
	}
	os.Remove(filepath.Join(dir, "b.yml"))
	r, err := Load(dir, "hubspot")
	if err != nil || r.Len() != 1 || r.Files()[0].Name != filepath.Base(dir)+"/a.yaml" || r.Target() != "hubspot" {
		t.Fatalf("Load = %+v, %v", r, err)
	}
}

func TestLoadOptions(t *testing.T) {
	src := "rules:\n  - name: a\n    source: lokalebasen\n    event: enquiry_created\n    contact:\n      phone: payload.client.phone\n"
	ev := testEvent("lokalebasen", "enquiry_created", "k", []byte(`{"payload":{"client":{"phone":"020 3870 4550"}}}`))
	if res := mustParse(t, src, WithCountry("lokalebasen", "gb")).Map(ev); res.Ops[0].Key != "+442038704550" {
		t.Fatalf("with GB: %+v", res)
	}
	if res := mustParse(t, src).Map(ev); res.State == "mapped" && res.Ops[0].Key == "+442038704550" {
		t.Fatalf("DK default read a GB number as GB: %+v", res)
	}
	if _, err := Parse("x", []byte(src), "hubspot", WithCountry("eaf", "XX")); err == nil {
		t.Fatal("unknown region accepted")
	}
	deal := "rules:\n  - name: a\n    source: eaf\n    event: email_lead\n    contact:\n      email: contact_email\n    deal:\n      title: eaf_reference\n"
	if _, err := Parse("x", []byte(deal), "pipedrive"); err != nil {
		t.Fatalf("pipedrive deal name is title: %v", err)
	}
	if _, err := Parse("x", []byte(deal), "hubspot", WithDealName("title")); err != nil {
		t.Fatalf("WithDealName: %v", err)
	}
}
