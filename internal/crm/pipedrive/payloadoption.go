package pipedrive

import (
	"errors"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// codeOption is the code of a value that is no option of its enum or set
// field.
const codeOption = "INVALID_OPTION"

// SetFields replaces what the adapter knows of the fields the mappings
// write (Options.Fields), as when they are reloaded on SIGHUP.
func (a *Adapter) SetFields(fs []syncd.FieldSpec) {
	m := syncd.IndexFields(fs)
	a.fields.Store(&m)
}

// payloadOption makes a value that is no option of its field the record's
// own fault (ErrPermanent) when it came from the payload: the mappings
// fill the field from the payload and write no such constant into it.
// Otherwise it stays the account's (ErrConfig: a pause naming it, which
// `syncd crm check` explains and which lifts once it passes): a constant
// the mappings write, or an option their fields: section declares for the
// field (renamed or deleted in Pipedrive, as the check says), which every
// lead carrying it was dead-lettered for. props are the record's
// properties.
func (a *Adapter) payloadOption(kind syncd.RecordKind, props map[string]string, r syncd.Result) syncd.Result {
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrConfig || ce.Code != codeOption {
		return r
	}
	f, ok := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: ce.Property}]
	if !ok || !f.Dynamic || slices.Contains(f.Values, props[ce.Property]) || a.declaredMissing(f, props[ce.Property]) {
		return r
	}
	own := *ce
	own.Class = syncd.ErrPermanent
	return syncd.Result{Err: &own}
}

// declaredMissing reports whether value v carries an option the fields:
// section declares for spec's field that the field, as last read, lacks.
func (a *Adapter) declaredMissing(spec syncd.FieldSpec, v string) bool {
	sc := a.schema.Load()
	if sc == nil || len(spec.Options) == 0 {
		return false
	}
	f, err := sc.field(spec.Kind, spec.Name)
	if err != nil {
		return false
	}
	for _, o := range spec.Options {
		has := slices.ContainsFunc(f.Options, func(fo fieldOption) bool { return strings.EqualFold(strings.TrimSpace(fo.Label), strings.TrimSpace(o)) })
		if !has && carries(v, o) {
			return true
		}
	}
	return false
}

// carries reports whether value, an enum's option or a set's options
// separated by ";" or ",", holds option (case ignored, as options are
// matched): the whole of it, or a part between separators.
func carries(value, option string) bool {
	option = strings.TrimSpace(option)
	if option == "" {
		return false
	}
	lv, lo := strings.ToLower(value), strings.ToLower(option)
	for from := 0; ; {
		i := strings.Index(lv[from:], lo)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(lo)
		before := strings.TrimRight(lv[:start], " \t")
		if optionEnds(lv[end:]) && (before == "" || strings.HasSuffix(before, ";") || strings.HasSuffix(before, ",")) {
			return true
		}
		from = start + 1
	}
}
