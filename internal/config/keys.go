package config

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/syncd-dev/syncd/internal/suggest"
)

// keysByType are the keys of each section of the configuration, by the
// name the YAML decoder gives its type (config.Sync).
var keysByType, fieldTypes = func() (map[string][]string, map[string]map[string]string) {
	out := map[string][]string{}
	types := map[string]map[string]string{} // section type -> key -> the key's Go type (int, config.Mail)
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Map || t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || out[t.String()] != nil {
			return
		}
		out[t.String()], types[t.String()] = []string{}, map[string]string{}
		for i := range t.NumField() {
			key, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if key != "" && key != "-" {
				out[t.String()] = append(out[t.String()], key)
				types[t.String()][key] = t.Field(i).Type.String()
				walk(t.Field(i).Type)
			}
		}
	}
	walk(reflect.TypeFor[Config]())
	return out, types
}()

// didYouMean names the key of the section of type typ that key probably
// misspells, or, when it is none, the sections key is a key of (a key
// indented one step too few, out of its section); "".
func didYouMean(key, typ string) string {
	if near := suggest.Nearest(key, keysByType[typ]); near != "" {
		return " (did you mean " + near + "?)"
	}
	homes := homesOf(key)
	if len(homes) == 0 {
		return ""
	}
	here := "not of this section"
	if typ == "config.Config" {
		here = "not a top-level one"
	}
	below := make([]string, len(homes))
	for i, h := range homes {
		below[i] = h[strings.LastIndex(h, ".")+1:] + ":"
		if h == "sources.NAME" {
			below[i] = "a source's name"
		}
	}
	if len(homes) == 1 {
		return fmt.Sprintf(": %s is a key of %s, %s: move it, with what is under it, below %s, indented as the keys there are",
			key, homes[0], here, below[0])
	}
	return fmt.Sprintf(": %s is a key of %s, %s: move it, with what is under it, below the one meant, %s, "+
		"indented as the keys there are", key, strings.Join(homes, " and of "), here, strings.Join(below, " or "))
}

// homeSection is the top-level section that has the key named key, when
// one alone has it (report for mail, log for level); "" when none or
// several do.
func homeSection(key string) string {
	section := ""
	for _, h := range homesOf(key) {
		top, _, _ := strings.Cut(h, ".")
		if section != "" && section != top {
			return ""
		}
		section = top
	}
	return section
}

// homesOf is the sections that have the key named key, as key paths
// (report.mail; a source's keys' is sources.NAME), in the order of
// Config's fields; none when no section has it.
func homesOf(key string) []string {
	var out []string
	var walk func(typ, path string)
	walk = func(typ, path string) {
		for _, k := range keysByType[typ] {
			field := fieldTypes[typ][k]
			if k == key && path != "" {
				out = append(out, path)
			}
			sub := strings.TrimLeft(path+"."+k, ".")
			switch {
			case field == "map[string]config.Source":
				walk("config.Source", sub+".NAME")
			case keysByType[field] != nil:
				walk(field, sub)
			}
		}
	}
	walk("config.Config", "")
	return out
}

// meant names the value of valid that v, none of them, probably is
// (HubSpot for hubspot: values are lower-case; postgresql for postgres;
// warning for warn),
// as ": write hubspot", or "".
func meant(v string, valid ...string) string {
	low := strings.ToLower(strings.TrimSpace(v))
	for _, w := range valid { // warning for warn, information for info
		if low != "" && (strings.HasPrefix(low, w) || strings.HasPrefix(w, low)) {
			return ": write " + w
		}
	}
	if near := suggest.Nearest(v, valid); near != "" {
		return ": write " + near
	}
	return ""
}
