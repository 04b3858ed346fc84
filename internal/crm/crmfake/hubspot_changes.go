package crmfake

import (
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// What changes under a HubSpot client: contacts merged or deleted by a
// person in the CRM, batch answers that do not echo their inputs, and the
// account details that say where the daily limit resets.
//
//	POST   /crm/v3/objects/contacts/merge  {"primaryObjectId","objectIdToMerge"} -> 200 merged record
//	DELETE /crm/v3/objects/{type}/{id}     -> 204
//	GET    /account-info/v3/details        -> portalId, timeZone, utcOffset, ...

func (s *Server) routesHubSpotChanges(m *http.ServeMux) {
	m.HandleFunc("POST /crm/v3/objects/contacts/merge", s.hsMerge)
	m.HandleFunc("DELETE /crm/v3/objects/{type}/{id}", s.hsDelete)
	m.HandleFunc("GET /account-info/v3/details", s.hsAccountDetails)
	m.HandleFunc("GET /account-info/{version}/details", s.hsAccountDetails)
}

// zone is the account's time zone.
func (s *Server) zone() *time.Location {
	if s.opts.TimeZone == nil {
		return time.UTC
	}
	return s.opts.TimeZone
}

// hsBatchResult is one result of a batch upsert: the record, with the echo
// of its input unless NoEcho.
func (s *Server) hsBatchResult(r *rec, in hsInput, isNew bool) map[string]any {
	o := hsObject(r, &isNew)
	if !s.opts.NoEcho {
		if in.TraceID != "" {
			o["objectWriteTraceId"] = in.TraceID
		}
		return o
	}
	props := o["properties"].(map[string]string)
	delete(props, in.IDProperty)
	return o
}

// hsErrContext names a failed batch input the way HubSpot does: by its
// objectWriteTraceId when it has one, and by its id.
func hsErrContext(in hsInput) map[string][]string {
	c := map[string][]string{"ids": {in.ID}}
	if in.TraceID != "" {
		c["objectWriteTraceId"] = []string{in.TraceID}
	}
	return c
}

// resolve follows merges: the id of the record that absorbed id; s.mu held.
func (st *store) resolve(id int64) int64 {
	for i := 0; i < 100; i++ {
		next, ok := st.merged[id]
		if !ok {
			return id
		}
		id = next
	}
	return id
}

// MergeContacts merges contact mergeID into primaryID as HubSpot does: a
// new record with a new id takes the primary's properties, the other's
// email becomes a secondary email (hs_additional_emails) that finds the
// record like the primary one, both old ids read as the new record, and the
// deals of both are associated with it. It returns the new id.
func (s *Server) MergeContacts(primaryID, mergeID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	p, m := st.contacts[parseID(primaryID)], st.contacts[parseID(mergeID)]
	if p == nil || m == nil || p == m {
		return "", fmt.Errorf("merge %s into %s: no such pair of contacts", mergeID, primaryID)
	}
	props := maps.Clone(m.props)
	maps.Copy(props, p.props)
	var extra []string
	for _, e := range []string{p.props["hs_additional_emails"], m.props["hs_additional_emails"], m.email} {
		if e != "" && e != p.email {
			extra = append(extra, e)
		}
	}
	props["hs_additional_emails"] = strings.Join(extra, ";")
	props["hs_merged_object_ids"] = idStr(p.id) + ";" + idStr(m.id)
	key := s.opts.ContactKeyProperty
	st.unindex(p, key)
	st.unindex(m, key)
	delete(st.contacts, p.id)
	delete(st.contacts, m.id)
	n := &rec{props: props, email: p.email, phone: p.phone, created: s.opts.Now()}
	st.putContact(n, key) // its secondary emails find it too (index)
	if st.merged == nil {
		st.merged = map[int64]int64{}
	}
	st.merged[p.id], st.merged[m.id] = n.id, n.id
	for k := range st.assoc {
		if k[1] == p.id || k[1] == m.id {
			delete(st.assoc, k)
			st.assoc[[2]int64{k[0], n.id}] = true
		}
	}
	return idStr(n.id), nil
}

// DeleteContact deletes a contact (HubSpot keeps it restorable; the API
// no longer finds it by id) and its associations. Search, which lags
// behind writes, still finds it for Options.SearchLag.
func (s *Server) DeleteContact(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.contacts[parseID(id)]
	if c == nil {
		return fmt.Errorf("delete contact %s: no such contact", id)
	}
	s.st.unindex(c, s.opts.ContactKeyProperty)
	delete(s.st.contacts, c.id)
	if s.opts.SearchLag > 0 {
		s.st.unsearched[c.id] = deletedRec{rec: c, at: s.opts.Now()}
	}
	for k := range s.st.assoc {
		if k[1] == c.id {
			delete(s.st.assoc, k)
		}
	}
	return nil
}

// DeleteDeal deletes a HubSpot deal as a person does in the web UI: HubSpot
// keeps it restorable, the API no longer finds it (by id or by its unique
// lead-id property). What an upsert by that lead id does then is
// unconfirmed; the fake makes a new deal.
func (s *Server) DeleteDeal(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.st.deals[parseID(id)]
	if d == nil {
		return fmt.Errorf("delete deal %s: no such deal", id)
	}
	s.removeDeal(d)
	return nil
}

func parseID(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}

func (s *Server) hsMerge(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Primary string `json:"primaryObjectId"`
		Merge   string `json:"objectIdToMerge"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	id, err := s.MergeContacts(in.Primary, in.Merge)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", err.Error()))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, hsObject(s.st.contacts[parseID(id)], nil))
}

func (s *Server) hsDelete(w http.ResponseWriter, r *http.Request) {
	deal, ok := hsKind(w, r)
	if !ok {
		return
	}
	if deal {
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", "the fake deletes contacts only"))
		return
	}
	if err := s.DeleteContact(r.PathValue("id")); err != nil {
		writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "Object not found."))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// hsAccountDetails follows GET /account-info/v3/details.
func (s *Server) hsAccountDetails(w http.ResponseWriter, r *http.Request) {
	loc := s.zone()
	_, off := s.opts.Now().In(loc).Zone()
	sign, abs := "+", off
	if off < 0 {
		sign, abs = "-", -off
	}
	accountType := s.opts.AccountType
	if accountType == "" {
		accountType = "STANDARD"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"portalId": s.opts.AccountID, "accountType": accountType, "timeZone": loc.String(), "companyCurrency": "DKK",
		"additionalCurrencies": []string{}, "utcOffset": fmt.Sprintf("%s%02d:%02d", sign, abs/3600, abs%3600/60),
		"utcOffsetMilliseconds": off * 1000, "uiDomain": "app-eu1.hubspot.com", "dataHostingLocation": "eu1",
	})
}

// hsKeepPrimary: an upsert by an email that a merged record holds as a
// secondary email updates that record and leaves its primary email as it
// is; s.mu held.
func (s *Server) hsKeepPrimary(existing *rec, in hsInput, props map[string]string) {
	if existing != nil && in.IDProperty == "email" && existing.email != strings.ToLower(in.ID) {
		delete(props, "email")
	}
}
