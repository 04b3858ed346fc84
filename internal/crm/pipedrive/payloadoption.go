package pipedrive

import (
	"errors"
	"slices"

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
// Otherwise (a constant the mappings write) it stays the account's
// (ErrConfig: an option deleted in Pipedrive, a pause naming it). props
// are the record's properties.
func (a *Adapter) payloadOption(kind syncd.RecordKind, props map[string]string, r syncd.Result) syncd.Result {
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrConfig || ce.Code != codeOption {
		return r
	}
	f, ok := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: ce.Property}]
	if !ok || !f.Dynamic || slices.Contains(f.Values, props[ce.Property]) {
		return r
	}
	own := *ce
	own.Class = syncd.ErrPermanent
	return syncd.Result{Err: &own}
}
