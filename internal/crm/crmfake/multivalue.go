package crmfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Pipedrive persons hold lists of emails and phones; a POST or PATCH that
// sends emails or phones replaces the whole list, as Pipedrive v2 does.
// The first primary value is the person's email (phone) for State and the
// duplicate check; search matches any value in the lists.

// pdLists sets a person's lists from a request; nil leaves a list as it is.
func pdLists(r *rec, emails, phones []pdContact) {
	if emails != nil {
		r.emails = clean(emails)
		r.props["email"] = primary(r.emails)
	}
	if phones != nil {
		r.phones = clean(phones)
		r.props["phone"] = primary(r.phones)
	}
}

// clean drops empty values and makes exactly one value primary.
func clean(cs []pdContact) []pdContact {
	out := []pdContact{}
	hasPrimary := false
	for _, c := range cs {
		if strings.TrimSpace(c.Value) == "" {
			continue
		}
		c.Primary = c.Primary && !hasPrimary
		hasPrimary = hasPrimary || c.Primary
		out = append(out, c)
	}
	if !hasPrimary && len(out) > 0 {
		out[0].Primary = true
	}
	return out
}

// pdListOf is a person's list as answered: the stored list, or the one
// value a seeded record was given.
func pdListOf(list []pdContact, one, label string) []pdContact {
	if len(list) > 0 {
		return list
	}
	if one == "" {
		return []pdContact{}
	}
	return []pdContact{{Value: one, Primary: true, Label: label}}
}

func values(cs []pdContact) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Value)
	}
	return out
}

// pdAnyMatch reports whether any value in cs matches term.
func pdAnyMatch(cs []pdContact, one, term string, exact bool) bool {
	for _, v := range values(pdListOf(cs, one, "")) {
		if pdMatch(v, term, exact) {
			return true
		}
	}
	return false
}

// Edit is a change a person makes in the CRM between two syncs, as a
// salesperson would in the CRM's screens: it is applied as it is, without
// auth, rate limits, faults or the request log, and new values are visible
// to search and lists at once.
type Edit struct {
	// Properties to set, by the names State shows (Pipedrive custom fields
	// as "custom_fields.<key>"); "" removes one. On HubSpot, "email"
	// replaces the contact's email, the old one then finding nothing (what
	// HubSpot does with it is not documented: the fake keeps nothing), and
	// "hs_additional_emails" (";"-separated) are secondary emails, which
	// find the contact as its email does.
	Properties map[string]string `json:"properties,omitempty"`
	// Emails and Phones replace a Pipedrive person's lists (the first is
	// primary); nil leaves them.
	Emails []string `json:"emails,omitempty"`
	Phones []string `json:"phones,omitempty"`
}

// EditContact applies e to the contact (person) with id.
func (s *Server) EditContact(id string, e Edit) error { return s.edit(true, id, e) }

// EditDeal applies e to the deal with id.
func (s *Server) EditDeal(id string, e Edit) error { return s.edit(false, id, e) }

func (s *Server) edit(contact bool, id string, e Edit) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	m, keyProp := s.st.deals, ""
	if contact {
		m, keyProp = s.st.contacts, s.opts.ContactKeyProperty
	}
	r := m[n]
	if r == nil {
		return fmt.Errorf("no record %s", id)
	}
	if contact {
		s.st.unindex(r, keyProp)
	}
	for k, v := range e.Properties {
		if v == "" {
			delete(r.props, k)
		} else {
			r.props[k] = v
		}
	}
	pdLists(r, asContacts(e.Emails, "work"), asContacts(e.Phones, "mobile"))
	if contact {
		r.email, r.phone = strings.ToLower(r.props["email"]), r.props["phone"]
		s.st.index(r, keyProp)
	}
	return nil
}

func asContacts(vs []string, label string) []pdContact {
	if vs == nil {
		return nil
	}
	out := make([]pdContact, 0, len(vs))
	for i, v := range vs {
		out = append(out, pdContact{Value: v, Primary: i == 0, Label: label})
	}
	return out
}

// routesEdit serves POST /__admin/edit/{contacts|deals}/{id} with an Edit,
// refusing a key it does not know (a misspelt "emials" edited nothing, ok).
func (s *Server) routesEdit(m *http.ServeMux) {
	m.HandleFunc("POST /__admin/edit/{object}/{id}", func(w http.ResponseWriter, r *http.Request) {
		var e Edit
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		obj := r.PathValue("object")
		if obj != "contacts" && obj != "deals" {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "want contacts or deals"})
			return
		}
		if err := s.edit(obj == "contacts", r.PathValue("id"), e); err != nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
}
