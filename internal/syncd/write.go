package syncd

// WriteMode says when a mapped property is written to the CRM: the mapping
// files set it per property (`write:`), so that what salespeople change in
// the CRM is not overwritten by the next lead or a replay.
type WriteMode string

// Write modes.
const (
	WriteAlways WriteMode = ""       // on create and on every update (the default)
	WriteCreate WriteMode = "create" // only when the record is created
	WriteAdd    WriteMode = "add"    // multi-value fields: the value is added to the record's list, never replacing it
)

// WriteModes are the write modes of a CRM target's properties, by record
// kind and property name; a property not listed is WriteAlways.
type WriteModes map[RecordKind]map[string]WriteMode

// Of is the write mode of property on records of kind.
func (m WriteModes) Of(kind RecordKind, property string) WriteMode {
	return m[kind][property]
}

// OnUpdate returns the properties an update of a record of kind writes:
// all but the create-only ones. The result is props itself when nothing is
// left out.
func (m WriteModes) OnUpdate(kind RecordKind, props map[string]string) map[string]string {
	var out map[string]string
	for k := range props {
		if m.Of(kind, k) == WriteCreate {
			out = make(map[string]string, len(props))
			break
		}
	}
	if out == nil {
		return props
	}
	for k, v := range props {
		if m.Of(kind, k) != WriteCreate {
			out[k] = v
		}
	}
	return out
}
