package main

import (
	"encoding/json"
	"io"
)

// writeJSON writes v to w as one JSON value and a line break, indented
// (one record, for a person to read) or not (a line of a listing). It
// writes <, > and & as they are: encoding/json's default wrote a lead's
// "Kim & Co" as "Kim \u0026 Co" and its HTML message as "\u003cp\u003e…",
// which an operator entering the lead in the CRM by hand copied from
// syncd events show, and the way out "syncd events show -quarantined -body
// 7 > FILE" as "\u003e FILE"; a JSON reader takes both alike.
func writeJSON(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
}
