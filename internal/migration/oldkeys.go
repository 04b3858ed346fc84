package migration

import (
	"slices"
	"strings"

	"golang.org/x/net/idna"
)

// KeyForms returns key and the other forms a contact key of the same email
// may be stored in, key first. Before session 35 an internationalised
// domain was kept as the portal wrote it (IDNA's ASCII "xn--" form or
// Unicode); now each CRM keys it in one form. A database from before
// keeps links under either: a store seeking key seeks these too, so a
// person linked before an upgrade is the same CRM person after it. A key
// that is no such email (nearly all) is returned alone.
func KeyForms(key string) []string {
	at := strings.LastIndexByte(key, '@')
	if at < 0 {
		return []string{key}
	}
	d := key[at+1:]
	if !strings.Contains(d, "xn--") && isASCII(d) {
		return []string{key}
	}
	forms := []string{key}
	for _, to := range []func(string) (string, error){idna.Lookup.ToASCII, idna.Lookup.ToUnicode} {
		if o, err := to(d); err == nil && o != "" && o != d {
			forms = append(forms, key[:at+1]+o)
		}
	}
	return forms
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Sought returns keys with the older forms of each (KeyForms) added, for
// one query, and the forms of each key that has more than one.
func Sought(keys []string) (sought []string, forms map[string][]string) {
	sought = keys
	for _, k := range keys {
		f := KeyForms(k)
		if len(f) == 1 {
			continue
		}
		if forms == nil {
			forms = map[string][]string{}
			sought = slices.Clone(keys)
		}
		forms[k] = f
		sought = append(sought, f[1:]...)
	}
	return sought, forms
}

// ByKey returns the ids found (by the key they are stored under) by the
// keys asked for: each key's own link, else the first of its older forms'
// (Sought's forms).
func ByKey(keys []string, forms map[string][]string, found map[string]string) map[string]string {
	if forms == nil {
		return found
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		f, ok := forms[k]
		if !ok {
			f = []string{k}
		}
		for _, s := range f {
			if id, ok := found[s]; ok {
				out[k] = id
				break
			}
		}
	}
	return out
}
