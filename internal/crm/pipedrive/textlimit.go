package pipedrive

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// maxChars is the most characters a text field of each type holds
// (docs/crm-contracts.md, "Pipedrive: fields"): "up to 255" for varchar,
// varchar_auto and phone, "up to 65k" for text, read as 65,000. Pipedrive
// refuses a longer value, and the whole record with it.
var maxChars = map[string]int{"varchar": 255, "varchar_auto": 255, "phone": 255, "text": 65000}

// maxSystem is the most characters syncd writes into a deal's title or a
// person's name: their limits are not documented, and syncd assumes a
// varchar's.
const maxSystem = 255

// cutMark ends a short value cut to fit (255 characters leave little
// room); cutMarkLong a large text's.
const (
	cutMark     = " […] (cut by syncd)"
	cutMarkLong = " […] (cut by syncd: longer than the 65,000 characters a Pipedrive large-text field holds; the whole text is in syncd's event)"
)

// cutMarkFor is the mark that ends a value cut to most characters.
func cutMarkFor(most int) string {
	if most <= maxSystem {
		return cutMark
	}
	return cutMarkLong
}

// fitBody cuts, in place, the text values of a person's or deal's body
// longer than their fields hold (crm.Cut), and returns the names of the
// fields it cut, sorted: the title or name, and custom fields by the name
// a person sees. The field keyed keep (the deal's lead id) is never cut:
// a cut lead id would not find its deal again.
func fitBody(b map[string]any, sc *schema, kind syncd.RecordKind, keep string) []string {
	var cut []string
	fit := func(m map[string]any, k, name string, most int) {
		if v, ok := m[k].(string); ok && most > 0 {
			if fitted, ok := crm.Cut(v, most, cutMarkFor(most)); ok {
				m[k] = fitted
				cut = append(cut, name)
			}
		}
	}
	sys := "name"
	if kind == syncd.RecordDeal {
		sys = "title"
	}
	fit(b, sys, sys, maxSystem)
	custom, _ := b["custom_fields"].(map[string]any)
	for _, f := range sc.fields[kind] {
		if _, ok := custom[f.Code]; ok && f.Code != keep {
			fit(custom, f.Code, f.Name, maxChars[f.Type])
		}
	}
	sort.Strings(cut)
	return cut
}

// warnCut warns of the fields fitBody cut, naming a deal's lead id (a
// person's key is personal data: a person is not named).
func (a *Adapter) warnCut(cut []string, kind syncd.RecordKind, leadID string) {
	if len(cut) == 0 {
		return
	}
	ev := a.opts.Logger.Warn().Str("record", noun(kind)).Strs("fields", cut)
	if leadID != "" {
		ev = ev.Str("lead_id", leadID)
	}
	ev.Msg("pipedrive: text longer than its field holds, cut to fit; the whole text stays in the lead's event (syncd events show)")
}

// checkRoom warns when a field holds fewer characters than the type the
// mappings declare (a large-text field made by hand as a plain text
// field): crm check takes text types as one, and every longer value would
// be cut.
func checkRoom(f field, s syncd.FieldSpec) []syncd.Finding {
	has, want := maxChars[f.Type], maxChars[s.Type]
	if has == 0 || has >= want {
		return nil
	}
	where := s.Where
	if where == "" {
		where = "the mappings"
	}
	fd := finding(s, fmt.Sprintf("create a %s field in Pipedrive and write its name in %s, or declare %s in %s to keep this one", uiName[s.Type], s.Lines(), f.Type, where),
		"field %q is of type %s (%s), which holds %s characters; the mappings declare %s (%s), which holds %s: longer values are cut to fit",
		s.Name, f.Type, uiName[f.Type], count(has), s.Type, uiName[s.Type], count(want))
	fd.Severity = syncd.SevWarn
	return []syncd.Finding{fd}
}

// uiName is what Pipedrive's screens call a text field type.
var uiName = map[string]string{"varchar": `"Text"`, "varchar_auto": `"Autocomplete"`, "phone": `"Phone"`, "text": `"Large text"`}

// count writes n with a thousands comma: 65,000.
func count(n int) string {
	if n < 1000 {
		return strconv.Itoa(n)
	}
	return fmt.Sprintf("%d,%03d", n/1000, n%1000)
}
