package config

import (
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
// misspells, or "".
func didYouMean(key, typ string) string {
	if near := suggest.Nearest(key, keysByType[typ]); near != "" {
		return " (did you mean " + near + "?)"
	}
	return ""
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
