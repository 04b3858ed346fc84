package crmfake

import (
	"fmt"
	"net/http"
	"strings"
)

// A person merged into another by a salesperson, as Pipedrive does it (API
// v1 only; docs/crm-contracts.md "Pipedrive: pipelines, stages, delete, merge"):
//
//	PUT /api/v1/persons/{id}/merge {"merge_with_id": M} -> 200 the surviving person, plus "merge_what_id"
//
// Person id is removed and M survives: M's values win, the emails and
// phones of both are kept (M's first), and id's deals move to M. What a GET
// of the removed id answers is unconfirmed; the fake answers 404, as for a
// deleted person.

func (s *Server) routesPipedriveMerge(m *http.ServeMux) {
	m.HandleFunc("PUT /api/v1/persons/{id}/merge", s.pdMerge)
}

// MergePersons merges Pipedrive person id into mergeWith, as a salesperson
// (or PUT /api/v1/persons/{id}/merge) does.
func (s *Server) MergePersons(id, mergeWith string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	gone, keep := st.contacts[parseID(id)], st.contacts[parseID(mergeWith)]
	if gone == nil || keep == nil || gone == keep {
		return fmt.Errorf("merge person %s into %s: no such pair of persons", id, mergeWith)
	}
	st.unindex(keep, "")
	keep.emails = joinLists(pdListOf(keep.emails, keep.props["email"], "work"), pdListOf(gone.emails, gone.props["email"], "work"))
	keep.phones = joinLists(pdListOf(keep.phones, keep.phone, "mobile"), pdListOf(gone.phones, gone.phone, "mobile"))
	for k, v := range gone.props {
		if keep.props[k] == "" {
			keep.props[k] = v
		}
	}
	keep.props["email"], keep.props["phone"] = primary(keep.emails), primary(keep.phones)
	keep.email, keep.phone = strings.ToLower(keep.props["email"]), keep.props["phone"]
	st.index(keep, "")
	for _, d := range st.deals {
		if d.contactID == gone.id {
			d.contactID = keep.id
		}
	}
	s.removeContact(gone)
	return nil
}

// joinLists is a followed by the values of b it does not hold, none of
// them primary.
func joinLists(a, b []pdContact) []pdContact {
	out := append([]pdContact{}, a...)
	for _, c := range b {
		if !pdAnyMatch(out, "", c.Value, true) {
			c.Primary = false
			out = append(out, c)
		}
	}
	return clean(out)
}

func (s *Server) pdMerge(w http.ResponseWriter, r *http.Request) {
	var in struct {
		MergeWith int64 `json:"merge_with_id"`
	}
	if !pdDecode(w, r, &in) {
		return
	}
	id := r.PathValue("id")
	if err := s.MergePersons(id, idStr(in.MergeWith)); err != nil {
		pdFail(w, http.StatusNotFound, "Person not found")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := pdPerson(s.st.contacts[in.MergeWith])
	p["merge_what_id"] = parseID(id)
	pdOK(w, p)
}
