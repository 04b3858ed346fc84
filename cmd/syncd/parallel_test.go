package main_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryTestOfThisPackageRunsInParallel checks that each top-level test
// of cmd/syncd calls t.Parallel() (but for those Go forbids it to: a test
// that calls t.Setenv or t.Chdir). A test that does not runs alone, before
// every parallel one starts: fourteen such tests, most of them waiting (a
// heartbeat's settle time, promtool, a parent waiting for its parallel
// cases), held the whole package up for some 45 s of a 350 s run, on a
// machine half idle meanwhile.
func TestEveryTestOfThisPackageRunsInParallel(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) < 100 {
		t.Fatalf("%d test files read (%v): the pattern no longer finds them", len(files), err)
	}
	fset := token.NewFileSet()
	tests := 0
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Name.Name == "TestMain" {
				continue
			}
			param := testingParam(fn)
			if param == "" {
				continue
			}
			tests++
			calls := callsOn(fn.Body, param)
			if !calls["Parallel"] && !calls["Setenv"] && !calls["Chdir"] {
				t.Errorf("%s: %s does not call %s.Parallel(): it runs alone, before every parallel test starts",
					fset.Position(fn.Pos()), fn.Name.Name, param)
			}
		}
	}
	if tests < 500 {
		t.Fatalf("%d tests read: the check no longer finds them", tests)
	}
}

// testingParam is the name of fn's *testing.T parameter, or "" when fn
// takes none.
func testingParam(fn *ast.FuncDecl) string {
	params := fn.Type.Params.List
	if len(params) != 1 || len(params[0].Names) != 1 {
		return ""
	}
	star, ok := params[0].Type.(*ast.StarExpr)
	if !ok {
		return ""
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "T" {
		return ""
	}
	return params[0].Names[0].Name
}

// callsOn is the methods called on name in body's own statements (not in
// the function literals it holds, such as subtests: their t is another).
func callsOn(body *ast.BlockStmt, name string) map[string]bool {
	calls := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
					calls[sel.Sel.Name] = true
				}
			}
		}
		return true
	})
	return calls
}
