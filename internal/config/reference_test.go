package config_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// referenceFile is the configuration reference operators read (the
// package ships it; they do not have this source).
const referenceFile = "../../docs/configuration.md"

// TestConfigurationReferenceIsCurrent renders every key of Config, with
// its type and the comment on its field, and compares the result with
// docs/configuration.md: a key added, renamed or re-documented here without
// the reference fails the test (-update rewrites the file).
func TestConfigurationReferenceIsCurrent(t *testing.T) {
	got := renderReference(t)
	if *update {
		if err := os.WriteFile(referenceFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(referenceFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not the reference of this package's configuration: run "+
			"go test ./internal/config -run TestConfigurationReferenceIsCurrent -update, and read the diff", referenceFile)
	}
}

// TestReferenceNamesEveryKey: the reference is walked from Config's
// reflect.Type, so every yaml key the decoder accepts is in it.
func TestReferenceNamesEveryKey(t *testing.T) {
	ref := string(renderReference(t))
	for _, key := range []string{"`listen`", "`http.max_connections`", "`sources.NAME.basic_auth.password_file`",
		"`crm.pipedrive.settle_time`", "`report.mail.to`", "`retention.link_days`", "`store.dsn_file`"} {
		if !strings.Contains(ref, "| "+key+" |") {
			t.Errorf("reference lacks %s", key)
		}
	}
}

// renderReference walks Config and writes one table per top-level key.
func renderReference(t *testing.T) []byte {
	t.Helper()
	docs := fieldDocs(t)
	var b bytes.Buffer
	b.WriteString(referenceHead)
	ct := reflect.TypeFor[config.Config]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		key := yamlKey(f)
		if key == "" {
			continue
		}
		fmt.Fprintf(&b, "\n## `%s`\n\n", key)
		if d := docs[structOf(f.Type).Name()]; d != "" {
			b.WriteString(d + "\n\n")
		}
		b.WriteString("| key | type | what it is |\n|---|---|---|\n")
		writeRows(&b, docs, key, f, ct.Name())
	}
	return b.Bytes()
}

const referenceHead = `# Configuration reference

Every key of syncd's configuration file, with its type and default. Generated from the source
(` + "`go test ./internal/config -run TestConfigurationReferenceIsCurrent -update`" + `): do not edit by hand.
` + "`configs/syncd.example.yaml`" + ` is a commented example; [configuring.md](configuring.md) says how the
file is read (` + "`${NAME}`" + ` expansion, secrets in files, strict keys).

Types: a *duration* is a number with a unit, ` + "`300ms`, `30s`, `5m`, `336h`" + ` (no days: 14 days is ` + "`336h`" + `);
a *list* is a YAML list; ` + "`NAME`" + ` stands for a name you choose. A key left out takes its default; a
key the file names that is not listed here is an error. A number or duration written 0 takes its
default too, which ` + "`syncd validate`" + ` warns of, except ` + "`sync.prompt_delay: 0s`" + ` (the prompt run off),
` + "`retention`" + `'s 0 (for ever) and ` + "`report.keep_days`" + ` (its warning says what 0 or a negative number
does); a negative number or duration is refused otherwise.
`

// writeRows writes the row of field f at key, or the rows of its fields.
func writeRows(b *bytes.Buffer, docs map[string]string, key string, f reflect.StructField, owner string) {
	ft := f.Type
	if ft.Kind() == reflect.Map {
		key += ".NAME"
		ft = ft.Elem()
	}
	if ft.Kind() != reflect.Struct {
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", key, typeName(ft), docs[owner+"."+f.Name])
		return
	}
	for i := range ft.NumField() {
		sub := ft.Field(i)
		if k := yamlKey(sub); k != "" {
			writeRows(b, docs, key+"."+k, sub, ft.Name())
		}
	}
}

func yamlKey(f reflect.StructField) string {
	k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if k == "-" {
		return ""
	}
	return k
}

// structOf is t, or a map's element type.
func structOf(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Map {
		return t.Elem()
	}
	return t
}

func typeName(t reflect.Type) string {
	switch {
	case t.String() == "time.Duration":
		return "duration"
	case t.Kind() == reflect.Slice:
		return "list of " + typeName(t.Elem())
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		return "integer"
	case t.Kind() == reflect.Bool:
		return "true or false"
	}
	return t.Kind().String()
}

// fieldDocs reads this package's source: the doc comment of each struct
// type ("Name") and the comments on each field ("Type.Field"), as one line
// of Markdown.
func fieldDocs(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	docs := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				typeDocs(docs, g)
			}
		}
	}
	return docs
}

func typeDocs(docs map[string]string, g *ast.GenDecl) {
	for _, s := range g.Specs {
		ts := s.(*ast.TypeSpec)
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			continue
		}
		docs[ts.Name.Name] = oneLine(g.Doc, ts.Doc)
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				docs[ts.Name.Name+"."+n.Name] = withoutName(n.Name, oneLine(f.Doc, f.Comment))
			}
		}
	}
}

// withoutName drops the Go name a field's comment starts with ("MaxDepth
// is the deepest ...", "EventDays: bodies ..."): the reader knows the key.
func withoutName(name, doc string) string {
	first, rest, _ := strings.Cut(doc, " ")
	if strings.TrimSuffix(first, ":") != name || rest == "" {
		return doc
	}
	rest = strings.TrimPrefix(rest, "is ")
	return strings.ToUpper(rest[:1]) + rest[1:]
}

// oneLine joins comment groups into one line fit for a table cell.
func oneLine(groups ...*ast.CommentGroup) string {
	var parts []string
	for _, g := range groups {
		if s := strings.Join(strings.Fields(g.Text()), " "); s != "" {
			parts = append(parts, strings.ReplaceAll(s, "|", `\|`))
		}
	}
	return strings.Join(parts, " ")
}
