package syncd

import "cmp"

// MergeContacts is what writing cs, updates of one record in the order
// given, one after another, leaves in the CRM, as one contact to write in
// their place: their properties merged, a later one's value winning
// property by property (an update sets only the properties it sends), but
// a property written only on create (modes), which keeps the first value
// given, as the updates after the create leave it out. Key and Email are
// the last one's, Phone the last one given; the emails and phones of
// those before the last go in EarlierEmails and EarlierPhones, for a list
// the CRM adds each value to. One contact is returned as it is.
func MergeContacts(cs []Contact, modes WriteModes) Contact {
	if len(cs) == 1 {
		return cs[0]
	}
	last := cs[len(cs)-1]
	out := Contact{Key: last.Key, Email: last.Email, Properties: make(map[string]string, len(last.Properties))}
	for i, c := range cs {
		for k, v := range c.Properties {
			if _, set := out.Properties[k]; set && modes.Of(RecordContact, k) == WriteCreate {
				continue
			}
			out.Properties[k] = v
		}
		if c.Phone != "" {
			out.Phone = c.Phone
		}
		out.EarlierEmails = appendSome(out.EarlierEmails, c.EarlierEmails...)
		out.EarlierPhones = appendSome(out.EarlierPhones, c.EarlierPhones...)
		if i < len(cs)-1 {
			out.EarlierEmails = appendSome(out.EarlierEmails, cmp.Or(c.Email, c.Properties["email"]))
			out.EarlierPhones = appendSome(out.EarlierPhones, cmp.Or(c.Phone, c.Properties["phone"]))
		}
	}
	return out
}

// appendSome appends the values of vs that are not "" to list.
func appendSome(list []string, vs ...string) []string {
	for _, v := range vs {
		if v != "" {
			list = append(list, v)
		}
	}
	return list
}
