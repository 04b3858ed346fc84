package crmfake

import (
	"net/http"
	"strconv"
)

// This file is how a person is erased: HubSpot's GDPR delete of a contact
// and Pipedrive's deletes of persons and deals (docs/crm-contracts.md: "HubSpot: GDPR
// delete", "Pipedrive: pipelines, stages, delete, merge").

func (s *Server) routesHubSpotErase(m *http.ServeMux) {
	m.HandleFunc("POST /crm/v3/objects/contacts/gdpr-delete", s.hsGDPRDelete)
	// More specific than DELETE /crm/v3/objects/{type}/{id} (contacts, in
	// hubspot_changes.go), so deals come here.
	m.HandleFunc("DELETE /crm/v3/objects/deals/{id}", s.hsDeleteDeal)
}

func (s *Server) routesPipedriveErase(m *http.ServeMux) {
	m.HandleFunc("DELETE /api/v2/persons/{id}", s.pdDelete(false))
	m.HandleFunc("DELETE /api/v2/deals/{id}", s.pdDelete(true))
}

// hsGDPRDelete deletes a contact for good: 204 without a body. An email
// matching no contact is also 204 (HubSpot blocklists it); an unknown id
// is 404.
func (s *Server) hsGDPRDelete(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ObjectID   string `json:"objectId"`
		IDProperty string `json:"idProperty"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	c := s.hsFind(false, body.IDProperty, body.ObjectID)
	s.mu.Unlock()
	switch {
	case c != nil:
		_ = s.DeleteContact(idStr(c.id)) // as a person deleting it in HubSpot would
	case body.IDProperty != "email":
		writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// hsDeleteDeal deletes a deal: 204, or 404 when there is none.
func (s *Server) hsDeleteDeal(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.st.deals[id]
	if d == nil {
		writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "Object not found."))
		return
	}
	s.removeDeal(d)
	w.WriteHeader(http.StatusNoContent)
}

// pdDelete deletes a person or a deal: 200 {"success":true,"data":{"id":N}},
// 404 when there is none. With Options.SoftDeleteDeals or
// SoftDeletePersons it goes to the trash, as in Pipedrive.
func (s *Server) pdDelete(deal bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		s.mu.Lock()
		defer s.mu.Unlock()
		what := "Person"
		rec := s.st.contacts[id]
		if deal {
			what, rec = "Deal", s.st.deals[id]
		}
		if rec == nil {
			pdFail(w, http.StatusNotFound, what+" not found")
			return
		}
		switch {
		case deal && s.opts.SoftDeleteDeals:
			rec.props["status"] = "deleted"
		case deal:
			s.removeDeal(rec)
		case s.opts.SoftDeletePersons:
			s.removeContact(rec)
			s.st.trash[id] = rec
		default:
			s.removeContact(rec)
		}
		pdOK(w, map[string]any{"id": id})
	}
}

// removeContact forgets a Pipedrive person and its indexes; its deals stay,
// without a person. Callers hold s.mu.
func (s *Server) removeContact(c *rec) {
	st := s.st
	st.unindex(c, s.opts.ContactKeyProperty)
	delete(st.contacts, c.id)
	for k := range st.assoc {
		if k[1] == c.id {
			delete(st.assoc, k)
		}
	}
	for _, d := range st.deals {
		if d.contactID == c.id {
			d.contactID = 0
		}
	}
}

// removeDeal forgets a deal and its associations. Callers hold s.mu.
func (s *Server) removeDeal(d *rec) {
	st := s.st
	if d.leadID != "" {
		st.byLead[d.leadID] = removeID(st.byLead[d.leadID], d.id)
	}
	delete(st.deals, d.id)
	for k := range st.assoc {
		if k[0] == d.id {
			delete(st.assoc, k)
		}
	}
}
