package main

import (
	"reflect"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
)

// A reload that changed settings read only at start named their sections
// alone: an operator who rotated the CRM's token, which a reload takes,
// and changed crm.timeout in the same edit read "crm: the daemon runs on
// them as it started, a reload does not take them", as if the token were
// not taken. Each key is named as the file writes it.

// liveSections are the configuration's top-level keys a reload takes as
// a whole: the agency's name (the reports from then on name it, as
// syncd status does from the file), the sources (their tokens,
// basic_auth, allow_ips) and the mappings.
var liveSections = []string{"agency", "sources", "mapping"}

// restartOnly names the settings that differ between old and new but are
// only read at start, each key as the configuration writes it
// (report.time_zone), in the file's order.
func restartOnly(old, new *config.Config) []string {
	var out []string
	changedKeys("", reflect.ValueOf(*old), reflect.ValueOf(*new), &out)
	return out
}

// changedKeys appends to out the key (under prefix) of each setting that
// differs between a and b, structs of one type: a nested section's keys
// one by one, a secret read from a file (password, token, dsn) by its
// _file key when that is set.
func changedKeys(prefix string, a, b reflect.Value, out *[]string) {
	t := a.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "" || name == "-" || prefix == "" && slices.Contains(liveSections, name) {
			continue
		}
		x, y := a.Field(i), b.Field(i)
		if f.Type.Kind() == reflect.Struct {
			changedKeys(prefix+name+".", x, y, out)
			continue
		}
		if same(x, y) {
			continue
		}
		key := prefix + name
		if file, ok := t.FieldByNameFunc(func(n string) bool { return n == f.Name+"File" }); ok &&
			(a.FieldByIndex(file.Index).String() != "" || b.FieldByIndex(file.Index).String() != "") {
			fileKey, _, _ := strings.Cut(file.Tag.Get("yaml"), ",")
			key = prefix + fileKey
		}
		if !slices.Contains(*out, key) {
			*out = append(*out, key)
		}
	}
}

// same says whether two values of one setting are the same, a list left
// out the same as one written empty (to: []).
func same(x, y reflect.Value) bool {
	if x.Kind() == reflect.Slice && x.Len() == 0 && y.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(x.Interface(), y.Interface())
}
