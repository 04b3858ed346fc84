package crmfake

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const cfPrefix = "custom_fields."

func (s *Server) routesPipedrive(m *http.ServeMux) {
	m.HandleFunc("GET /api/v2/persons/search", s.pdSearchPersons)
	m.HandleFunc("GET /api/v2/persons", s.pdListPersons)
	m.HandleFunc("POST /api/v2/persons", s.pdCreatePerson)
	m.HandleFunc("GET /api/v2/persons/{id}", s.pdGet(false))
	m.HandleFunc("PATCH /api/v2/persons/{id}", s.pdPatchPerson)
	m.HandleFunc("GET /api/v2/deals/search", s.pdSearchDeals)
	m.HandleFunc("GET /api/v2/deals", s.pdListDeals)
	m.HandleFunc("POST /api/v2/deals", s.pdCreateDeal)
	m.HandleFunc("GET /api/v2/deals/{id}", s.pdGet(true))
	m.HandleFunc("PATCH /api/v2/deals/{id}", s.pdPatchDeal)
	s.routesPipedriveSchema(m)
	s.routesPipedriveMerge(m)
}

// pdContact is a value with a label, as persons carry emails and phones.
type pdContact struct {
	Value   string `json:"value"`
	Primary bool   `json:"primary"`
	Label   string `json:"label,omitempty"`
}

type pdPersonIn struct {
	Name         *string        `json:"name"`
	Emails       []pdContact    `json:"emails"`
	Phones       []pdContact    `json:"phones"`
	VisibleTo    *int64         `json:"visible_to"`
	CustomFields map[string]any `json:"custom_fields"`
}

type pdDealIn struct {
	Title        *string        `json:"title"`
	PersonID     *int64         `json:"person_id"`
	PipelineID   *int64         `json:"pipeline_id"`
	StageID      *int64         `json:"stage_id"`
	Value        *json.Number   `json:"value"`
	Currency     *string        `json:"currency"`
	Status       *string        `json:"status"`
	VisibleTo    *int64         `json:"visible_to"`
	CustomFields map[string]any `json:"custom_fields"`
}

func pdOK(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": data})
}

func pdFail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, pipedriveErr(msg, "Please check developers.pipedrive.com for more information about Pipedrive API."))
}

// pdDecode reads a request's JSON into v, a number as its digits
// (json.Number): what Pipedrive keeps of one is its own, the fake keeps
// what was sent.
func pdDecode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		pdFail(w, http.StatusBadRequest, "Invalid JSON: "+err.Error())
		return false
	}
	return true
}

func primary(cs []pdContact) string {
	for _, c := range cs {
		if c.Primary {
			return c.Value
		}
	}
	if len(cs) > 0 {
		return cs[0].Value
	}
	return ""
}

func setCustom(props map[string]string, cf map[string]any) {
	for k, v := range cf {
		if v == nil {
			delete(props, cfPrefix+k)
			continue
		}
		props[cfPrefix+k] = fmt.Sprint(v)
	}
}

func customOf(props map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range props {
		if c, ok := strings.CutPrefix(k, cfPrefix); ok {
			out[c] = v
		}
	}
	return out
}

func pdTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func pdPerson(r *rec) map[string]any {
	p := map[string]any{"id": r.id, "name": r.props["name"], "emails": []pdContact{}, "phones": []pdContact{},
		"custom_fields": customOf(r.props), "add_time": pdTime(r.created), "update_time": pdTime(r.created)}
	p["emails"] = pdListOf(r.emails, r.props["email"], "work")
	p["phones"] = pdListOf(r.phones, r.phone, "mobile")
	return p
}

func pdDeal(r *rec) map[string]any {
	d := map[string]any{"id": r.id, "title": r.props["title"], "person_id": nil, "currency": r.props["currency"],
		"status": r.props["status"], "custom_fields": customOf(r.props), "add_time": pdTime(r.created), "update_time": pdTime(r.created),
		"is_deleted": pdDeleted(r)}
	if r.contactID != 0 {
		d["person_id"] = r.contactID
	}
	for _, k := range []string{"value", "pipeline_id", "stage_id"} {
		if v := json.Number(r.props[k]); v != "" && json.Valid([]byte(v)) {
			d[k] = v
		}
	}
	return d
}

// pdDeleted reports a soft-deleted deal (Options.SoftDeleteDeals).
func pdDeleted(r *rec) bool { return r.props["status"] == "deleted" }

func (s *Server) pdApplyPerson(r *rec, in pdPersonIn) {
	if in.Name != nil {
		r.props["name"] = *in.Name
	}
	pdLists(r, in.Emails, in.Phones)
	setCustom(r.props, in.CustomFields)
	r.email, r.phone = strings.ToLower(r.props["email"]), r.props["phone"]
}

func (s *Server) pdCreatePerson(w http.ResponseWriter, r *http.Request) {
	var in pdPersonIn
	if !pdDecode(w, r, &in) {
		return
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		pdFail(w, http.StatusBadRequest, "Name must be given.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pdVisibilityRefused(in.VisibleTo) {
		pdFailVisibility(w)
		return
	}
	if msg := s.pdCustomInvalid("person", in.CustomFields); msg != "" {
		pdFail(w, http.StatusBadRequest, msg)
		return
	}
	p := &rec{props: map[string]string{}, created: s.opts.Now()}
	s.pdApplyPerson(p, in)
	s.st.putContact(p, "")
	pdOK(w, pdPerson(p))
}

func (s *Server) pdPatchPerson(w http.ResponseWriter, r *http.Request) {
	var in pdPersonIn
	if !pdDecode(w, r, &in) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.contacts[id]
	if s.st.trash[id] != nil {
		pdFail(w, http.StatusBadRequest, "Person is deleted: restore it to edit it")
		return
	}
	if p == nil {
		pdFail(w, http.StatusNotFound, "Person not found")
		return
	}
	if s.pdVisibilityRefused(in.VisibleTo) {
		pdFailVisibility(w)
		return
	}
	if msg := s.pdCustomInvalid("person", in.CustomFields); msg != "" {
		pdFail(w, http.StatusBadRequest, msg)
		return
	}
	s.st.unindex(p, "")
	s.pdApplyPerson(p, in)
	s.st.index(p, "")
	pdOK(w, pdPerson(p))
}

func (s *Server) pdGet(deal bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		s.mu.Lock()
		defer s.mu.Unlock()
		if deal {
			if d := s.st.deals[id]; d != nil {
				if s.pdHiddenDeal(d) {
					pdFailHidden(w)
					return
				}
				pdOK(w, pdDeal(d))
				return
			}
			pdFail(w, http.StatusNotFound, "Deal not found")
			return
		}
		if p := s.st.contacts[id]; p != nil {
			pdOK(w, pdPerson(p))
			return
		}
		if p := s.st.trash[id]; p != nil {
			v := pdPerson(p)
			v["is_deleted"] = true
			pdOK(w, v)
			return
		}
		pdFail(w, http.StatusNotFound, "Person not found")
	}
}

// pdApplyDeal copies in onto d; it reports a validation message.
func (s *Server) pdApplyDeal(d *rec, in pdDealIn) string {
	if msg := s.pdCustomInvalid("deal", in.CustomFields) + s.pdStageInvalid(in.StageID); msg != "" {
		return msg
	}
	if msg := s.pdHiddenPlace(in); msg != "" {
		return msg
	}
	if in.StageID != nil && len(s.opts.Stages) > 0 && !slices.Contains(s.opts.Stages, strconv.FormatInt(*in.StageID, 10)) {
		return "Stage not found"
	}
	if in.PersonID != nil && s.st.contacts[*in.PersonID] == nil {
		return "Person not found"
	}
	s.pdPlace(&in)
	set := func(k string, v *string) {
		if v != nil {
			d.props[k] = *v
		}
	}
	num := func(k string, v *int64) {
		if v != nil {
			d.props[k] = strconv.FormatInt(*v, 10)
		}
	}
	set("title", in.Title)
	set("currency", in.Currency)
	set("status", in.Status)
	num("pipeline_id", in.PipelineID)
	num("stage_id", in.StageID)
	if in.Value != nil {
		d.props["value"] = in.Value.String()
	}
	if in.PersonID != nil {
		d.contactID = *in.PersonID
	}
	setCustom(d.props, in.CustomFields)
	if l := d.props[cfPrefix+s.opts.LeadField]; l != d.leadID {
		s.st.byLead[d.leadID] = removeID(s.st.byLead[d.leadID], d.id)
		d.leadID = l
		if l != "" {
			s.st.byLead[l] = append(s.st.byLead[l], d.id)
		}
	}
	return ""
}

func (s *Server) pdCreateDeal(w http.ResponseWriter, r *http.Request) {
	var in pdDealIn
	if !pdDecode(w, r, &in) {
		return
	}
	if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
		pdFail(w, http.StatusBadRequest, "Title must be given.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pdVisibilityRefused(in.VisibleTo) {
		pdFailVisibility(w)
		return
	}
	d := &rec{props: map[string]string{"status": "open"}, created: s.opts.Now()}
	d.id = s.st.newID()
	if msg := s.pdApplyDeal(d, in); msg != "" {
		pdFail(w, http.StatusBadRequest, msg)
		return
	}
	s.st.deals[d.id] = d
	pdOK(w, pdDeal(d))
}

func (s *Server) pdPatchDeal(w http.ResponseWriter, r *http.Request) {
	var in pdDealIn
	if !pdDecode(w, r, &in) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.st.deals[id]
	if d == nil {
		pdFail(w, http.StatusNotFound, "Deal not found")
		return
	}
	if s.pdHiddenDeal(d) {
		pdFailHidden(w)
		return
	}
	if pdDeleted(d) {
		pdFail(w, http.StatusBadRequest, "Deal is deleted: restore it to edit it")
		return
	}
	if s.pdVisibilityRefused(in.VisibleTo) {
		pdFailVisibility(w)
		return
	}
	old := maps.Clone(d.props)
	oldContact := d.contactID
	if msg := s.pdApplyDeal(d, in); msg != "" {
		d.props, d.contactID = old, oldContact
		pdFail(w, http.StatusBadRequest, msg)
		return
	}
	pdOK(w, pdDeal(d))
}

// pdMatch compares a search term with a value as exact_match does.
func pdMatch(v, term string, exact bool) bool {
	if v == "" {
		return false
	}
	if exact {
		return strings.EqualFold(v, term)
	}
	return strings.Contains(strings.ToLower(v), strings.ToLower(term))
}

func searchParams(r *http.Request) (term string, fields []string, exact bool) {
	q := r.URL.Query()
	fields = strings.Split(q.Get("fields"), ",")
	if q.Get("fields") == "" {
		fields = nil
	}
	return q.Get("term"), fields, q.Get("exact_match") == "true" || q.Get("exact_match") == "1"
}

func wants(fields []string, f string) bool { return fields == nil || slices.Contains(fields, f) }

// pdItems writes one page of search items as Pipedrive's v2 search pages
// them (pdCursor), additional_data.next_cursor while more are left
// (docs/crm-contracts.md).
// A client reading the first page alone misses the rest here as it
// would in Pipedrive.
func pdItems(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	from, to, next, ok := pdCursor(w, r, len(items))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": map[string]any{"items": items[from:to]},
		"additional_data": map[string]any{"next_cursor": next}})
}

func (s *Server) pdSearchPersons(w http.ResponseWriter, r *http.Request) {
	term, fields, exact := searchParams(r)
	if term == "" || !exact && len(term) < 2 {
		pdFail(w, http.StatusBadRequest, "term must be at least 2 characters long")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	items := []map[string]any{}
	for _, id := range sortedIDs(s.st.contacts) {
		p := s.st.contacts[id]
		if now.Sub(p.created) < s.opts.SearchLag {
			continue
		}
		hit := wants(fields, "email") && pdAnyMatch(p.emails, p.email, term, exact) ||
			wants(fields, "phone") && pdAnyMatch(p.phones, p.phone, term, exact) ||
			wants(fields, "name") && pdMatch(p.props["name"], term, exact)
		if wants(fields, "custom_fields") {
			for _, v := range customOf(p.props) {
				hit = hit || pdMatch(fmt.Sprint(v), term, exact)
			}
		}
		if hit {
			item := map[string]any{"id": p.id, "type": "person", "name": p.props["name"],
				"emails": values(pdListOf(p.emails, p.props["email"], "")), "phones": values(pdListOf(p.phones, p.phone, ""))}
			items = append(items, map[string]any{"result_score": 1.0, "item": item})
		}
	}
	pdItems(w, r, items)
}

func (s *Server) pdSearchDeals(w http.ResponseWriter, r *http.Request) {
	term, fields, exact := searchParams(r)
	if term == "" || !exact && len(term) < 2 {
		pdFail(w, http.StatusBadRequest, "term must be at least 2 characters long")
		return
	}
	person, _ := strconv.ParseInt(r.URL.Query().Get("person_id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	items := []map[string]any{}
	for _, id := range sortedIDs(s.st.deals) {
		d := s.st.deals[id]
		if now.Sub(d.created) < s.opts.SearchLag || person != 0 && d.contactID != person || pdDeleted(d) || s.pdHiddenDeal(d) {
			continue
		}
		hit := wants(fields, "title") && pdMatch(d.props["title"], term, exact)
		var cfs []string
		for _, v := range customOf(d.props) {
			cfs = append(cfs, fmt.Sprint(v))
			hit = hit || wants(fields, "custom_fields") && pdMatch(fmt.Sprint(v), term, exact)
		}
		if hit {
			item := map[string]any{"id": d.id, "type": "deal", "title": d.props["title"], "status": d.props["status"], "custom_fields": cfs}
			if d.contactID != 0 {
				item["person"] = map[string]any{"id": d.contactID}
			}
			items = append(items, map[string]any{"result_score": 1.0, "item": item})
		}
	}
	pdItems(w, r, items)
}
