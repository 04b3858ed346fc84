package mapping

import (
	"strings"
	"testing"
)

// TestAFieldTheSenderDoesNotSendNamesWhatItSends: an operator sending the
// listing's area and rent from a Lokalebasen enquiry, which carries
// neither, wrote payload.location.area and payload.location.rent. The
// path was refused with `unknown field "payload.location.rent"` alone; the
// expression with `unknown field area (did you mean "href"?)`, a word
// sharing two letters with it, and one of no near field named the fields
// of payload.requested_location, whichever of the two paths to a location
// came first, not of the location written. Each now names the fields of
// the object written, and a short name is said to be a misspelling only
// of one with its letters.
func TestAFieldTheSenderDoesNotSendNamesWhatItSends(t *testing.T) {
	const head = `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: payload.location.id
`
	const location = "(payload.location has external_key, href, id)"
	for _, tc := range []struct{ prop, want string }{
		{"rent: payload.location.rent", `deal.rent: bad path "payload.location.rent": unknown field "payload.location.rent" ` + location},
		{"area: {expr: 'number(payload.location.area)'}", `deal.area: expression: unknown field "payload.location.area" ` + location},
		{"size: {expr: 'number(payload.location.size)'}", `deal.size: expression: unknown field "payload.location.size" ` + location},
		{"size: {expr: 'payload.requested_location.size'}", `deal.size: expression: unknown field "payload.requested_location.size" (payload.requested_location has external_key, href, id)`},
		{"name: {expr: 'payload.client.nmae'}", `deal.name: expression: unknown field "payload.client.nmae" (did you mean "payload.client.name"?)`},
		{"url: payload.location.hre", `unknown field "payload.location.hre" (did you mean "payload.location.href"?)`},
	} {
		// each several times: the two paths to a location were met in a map's order
		for range 20 {
			_, err := Parse("test.yaml", []byte(head+"      "+tc.prop+"\n"), "hubspot")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s:\ngot  %v\nwant %s", tc.prop, err, tc.want)
				break
			}
		}
	}
}

// TestAnExpressionsUnknownFieldIsNamedByItsPath: a field an expression
// reads that does not exist was named alone ("unknown field nmae", of
// syncd.nmae, with nothing of what syncd has; "unknown field first", of
// payload.client.name.first), where a path's problem names the field's
// path ("unknown field \"payload.client.mail\""). It is now named by the
// path the expression writes, and syncd's own fields are listed.
func TestAnExpressionsUnknownFieldIsNamedByItsPath(t *testing.T) {
	const head = `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: payload.location.id
`
	for _, tc := range []struct{ prop, want string }{
		{"x: {expr: 'syncd.nmae'}", `deal.x: expression: unknown field "syncd.nmae" (syncd has id, key, kind, lead_id, received_at, source, type)`},
		{"x: {expr: 'upper(syncd.sorce)'}", `deal.x: expression: unknown field "syncd.sorce" (did you mean "syncd.source"?)`},
		{"x: {expr: 'payload.client.name.first'}", `deal.x: expression: unknown field "payload.client.name.first"`},
		{"x: {expr: 'payload.nmae'}", `deal.x: expression: unknown field "payload.nmae" (payload has client, comment, enquiry, location, requested_location)`},
	} {
		_, err := Parse("test.yaml", []byte(head+"      "+tc.prop+"\n"), "hubspot")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\ngot  %v\nwant %s", tc.prop, err, tc.want)
		}
	}
}
