package crmfake

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

func (s *Server) routesHubSpot(m *http.ServeMux) {
	m.HandleFunc("POST /crm/v3/objects/{type}", s.hsCreate)
	m.HandleFunc("POST /crm/v3/objects/{type}/batch/upsert", s.hsBatchUpsert)
	m.HandleFunc("POST /crm/v3/objects/{type}/batch/read", s.hsBatchRead)
	m.HandleFunc("POST /crm/v3/objects/{type}/search", s.hsSearch)
	m.HandleFunc("GET /crm/v3/objects/{type}/{id}", s.hsGet)
	m.HandleFunc("PATCH /crm/v3/objects/{type}/{id}", s.hsPatch)
	m.HandleFunc("PUT /crm/v4/objects/deal/{deal}/associations/default/contact/{contact}", s.hsAssociate)
	m.HandleFunc("PUT /crm/v4/objects/deals/{deal}/associations/default/contacts/{contact}", s.hsAssociate)
	m.HandleFunc("POST /crm/v4/associations/{from}/{to}/batch/associate/default", s.hsAssociateBatch)
	s.routesHubSpotSchema(m)
	s.routesHubSpotChanges(m)
}

// hsObject is HubSpot's JSON for a record.
func hsObject(r *rec, isNew *bool) map[string]any {
	props := maps.Clone(r.props)
	props["hs_object_id"] = idStr(r.id)
	ts := r.created.UTC().Format(time.RFC3339Nano)
	props["createdate"] = ts
	o := map[string]any{"id": idStr(r.id), "properties": props, "createdAt": ts, "updatedAt": ts, "archived": false}
	if isNew != nil {
		o["new"] = *isNew
	}
	return o
}

// hsKind maps the {type} path value to "contact" or "deal".
func hsKind(w http.ResponseWriter, r *http.Request) (deal bool, ok bool) {
	switch r.PathValue("type") {
	case "contacts", "0-1":
		return false, true
	case "deals", "0-3":
		return true, true
	}
	writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "Unable to infer object type from: "+r.PathValue("type")))
	return false, false
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", "Invalid input JSON on line 1: "+err.Error()))
		return false
	}
	return true
}

// hsValidate checks one record's properties as HubSpot would.
func (s *Server) hsValidate(deal bool, props map[string]string, creating bool) (int, map[string]any) {
	if st, body := hsTooLong(props); st != 0 {
		return st, body
	}
	if st, body := s.hsSchemaInvalid(deal, props); st != 0 {
		return st, body
	}
	if len(s.opts.KnownProperties) > 0 {
		for k := range props {
			if k != "email" && k != s.opts.ContactKeyProperty && k != s.opts.DealKeyProperty && !slices.Contains(s.opts.KnownProperties, k) {
				return 400, hubspotErr("VALIDATION_ERROR", fmt.Sprintf("Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"%s\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"%s\"}]", k, k),
					map[string]any{"message": fmt.Sprintf("Property \"%s\" does not exist", k), "code": "PROPERTY_DOESNT_EXIST", "context": map[string]any{"propertyName": []string{k}}})
			}
		}
	}
	if deal {
		if st, ok := props["dealstage"]; ok && len(s.opts.Stages) > 0 && !slices.Contains(s.opts.Stages, st) {
			return 400, hubspotErr("VALIDATION_ERROR", fmt.Sprintf("Property values were not valid: [{\"isValid\":false,\"message\":\"%s was not one of the allowed options\",\"error\":\"INVALID_OPTION\",\"name\":\"dealstage\"}]", st),
				map[string]any{"message": st + " was not one of the allowed options", "code": "INVALID_OPTION", "context": map[string]any{"propertyName": []string{"dealstage"}}})
		}
		return 0, nil
	}
	if e, ok := props["email"]; ok && e != "" && (!hsEmail.MatchString(e) || !hsTLD(e[strings.LastIndexByte(e, '.')+1:])) {
		// Real answers list the refused value in the message alone, without
		// errors[] (docs/crm-contracts.md).
		return 400, hubspotErr("VALIDATION_ERROR", refusedList("INVALID_EMAIL", "email", "Email address "+e+" is invalid"))
	}
	// A new contact needs one of these whatever else it holds, a unique
	// property it is upserted by included (docs/crm-contracts.md).
	if creating && props["email"] == "" && props["firstname"] == "" && props["lastname"] == "" {
		return 400, hubspotErr("VALIDATION_ERROR", "Contact must have one of email, firstname or lastname")
	}
	return 0, nil
}

// hsEmail is an address HubSpot takes: a dot-atom of ASCII before one @,
// a domain of at least two labels of letters, digits and inner hyphens
// after it, the last a top-level domain (hsTLD). Two @, a space, a
// leading, trailing or doubled dot and letters outside ASCII are
// INVALID_EMAIL (docs/crm-contracts.md).
var hsEmail = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")

// hsTLD reports whether label, an email's last, is a top-level domain:
// HubSpot refuses an address whose domain does not end in one of IANA's
// list ("kim@hotmail.con" is INVALID_EMAIL), a Unicode TLD read in ASCII
// (syncd sends "user@email.삼성" as user@email.xn--cg4bki). The ICANN part
// of the public suffix list holds those TLDs; a label is put before it, as
// a TLD the list holds by a wildcard alone ("*.ck") is the suffix of a
// name under it, not of the label alone.
func hsTLD(label string) bool {
	_, icann := publicsuffix.PublicSuffix("x." + strings.ToLower(label))
	return icann
}

// refusedList is HubSpot's message for a refused property value: the JSON
// list of what it refused, after "Property values were not valid: ".
func refusedList(code, name, msg string) string {
	type refused struct { // in HubSpot's order
		IsValid bool   `json:"isValid"`
		Message string `json:"message"`
		Error   string `json:"error"`
		Name    string `json:"name"`
	}
	b, _ := json.Marshal([]refused{{Message: msg, Error: code, Name: name}})
	return "Property values were not valid: " + string(b)
}

// hsMaxText is the most characters a HubSpot property value holds
// (docs/crm-contracts.md).
const hsMaxText = 65536

// hsTooLong refuses a value longer than HubSpot takes, naming its property
// (the first by name). HubSpot's code for it is unconfirmed: the fake's is
// its own.
func hsTooLong(props map[string]string) (int, map[string]any) {
	var long []string
	for k, v := range props {
		if len(v) > hsMaxText && utf8.RuneCountInString(v) > hsMaxText {
			long = append(long, k)
		}
	}
	if len(long) == 0 {
		return 0, nil
	}
	sort.Strings(long)
	msg := fmt.Sprintf("value of %s is %d characters long, more than the limit of %d", long[0], utf8.RuneCountInString(props[long[0]]), hsMaxText)
	return 400, hubspotErr("VALIDATION_ERROR", refusedList("VALUE_TOO_LONG", long[0], msg))
}

// hsFind returns the record whose idProperty equals id, if any; s.mu held.
func (s *Server) hsFind(deal bool, idProp, id string) *rec {
	st := s.st
	var ids []int64
	switch {
	case idProp == "" || idProp == "hs_object_id":
		n, _ := strconv.ParseInt(id, 10, 64)
		if deal {
			return st.deals[n]
		}
		return st.contacts[st.resolve(n)]
	case deal && idProp == s.opts.DealKeyProperty:
		ids = st.byLead[id]
	case !deal && idProp == "email":
		ids = st.byEmail[strings.ToLower(id)]
	case !deal && idProp == s.opts.ContactKeyProperty:
		ids = st.byKey[id]
	default: // another unique property: not indexed
		return st.byProperty(deal, idProp, id)
	}
	if len(ids) == 0 {
		return nil
	}
	if deal {
		return st.deals[ids[0]]
	}
	return st.contacts[ids[0]]
}

// hsWrite creates (r == nil) or updates a record with props; s.mu held.
func (s *Server) hsWrite(deal bool, r *rec, props map[string]string) *rec {
	st, key := s.st, s.opts.ContactKeyProperty
	props = s.hsAppended(deal, r, props)
	if r == nil {
		r = &rec{props: map[string]string{}, created: s.opts.Now()}
		maps.Copy(r.props, props)
		if deal {
			r.leadID = r.props[s.opts.DealKeyProperty]
			st.putDeal(r)
		} else {
			r.email, r.phone = strings.ToLower(r.props["email"]), r.props["phone"]
			st.putContact(r, key)
		}
		return r
	}
	if deal {
		if l, ok := props[s.opts.DealKeyProperty]; ok && l != r.leadID {
			st.byLead[r.leadID] = removeID(st.byLead[r.leadID], r.id)
			r.leadID = l
			st.byLead[l] = append(st.byLead[l], r.id)
		}
		maps.Copy(r.props, props)
		return r
	}
	st.unindex(r, key)
	maps.Copy(r.props, props)
	r.email, r.phone = strings.ToLower(r.props["email"]), r.props["phone"]
	st.index(r, key)
	return r
}

func (s *Server) hsConflict(deal bool, props map[string]string, self *rec) *rec {
	if deal {
		return nil
	}
	e := strings.ToLower(props["email"])
	if e == "" {
		return nil
	}
	if c := s.hsFind(false, "email", e); c != nil && c != self {
		return c
	}
	return nil
}

func (s *Server) hsCreate(w http.ResponseWriter, r *http.Request) {
	deal, ok := hsKind(w, r)
	if !ok {
		return
	}
	var in struct {
		Properties   map[string]string `json:"properties"`
		Associations []struct {
			To struct {
				ID string `json:"id"`
			} `json:"to"`
		} `json:"associations"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if st, body := s.hsValidate(deal, in.Properties, true); st != 0 {
		writeJSON(w, st, body)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, body := s.hsStageOutside(deal, in.Properties, nil); st != 0 {
		writeJSON(w, st, body)
		return
	}
	if c := s.hsConflict(deal, in.Properties, nil); c != nil {
		writeJSON(w, http.StatusConflict, hubspotErr("CONFLICT", "Contact already exists. Existing ID: "+idStr(c.id)))
		return
	}
	if deal && in.Properties[s.opts.DealKeyProperty] != "" && s.hsFind(true, s.opts.DealKeyProperty, in.Properties[s.opts.DealKeyProperty]) != nil {
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", "A deal with "+s.opts.DealKeyProperty+" "+in.Properties[s.opts.DealKeyProperty]+" already exists"))
		return
	}
	rec := s.hsWrite(deal, nil, in.Properties)
	if deal {
		for _, a := range in.Associations {
			cid, _ := strconv.ParseInt(a.To.ID, 10, 64)
			if s.st.contacts[cid] != nil {
				s.st.assoc[[2]int64{rec.id, cid}] = true
			}
		}
	}
	writeJSON(w, http.StatusCreated, hsObject(rec, nil))
}

func (s *Server) hsGet(w http.ResponseWriter, r *http.Request) {
	deal, ok := hsKind(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.hsFind(deal, r.URL.Query().Get("idProperty"), r.PathValue("id"))
	if rec == nil {
		writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."))
		return
	}
	writeJSON(w, http.StatusOK, hsObject(rec, nil))
}

func (s *Server) hsPatch(w http.ResponseWriter, r *http.Request) {
	deal, ok := hsKind(w, r)
	if !ok {
		return
	}
	var in struct {
		Properties map[string]string `json:"properties"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if st, body := s.hsValidate(deal, in.Properties, false); st != 0 {
		writeJSON(w, st, body)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.hsFind(deal, r.URL.Query().Get("idProperty"), r.PathValue("id"))
	if rec == nil {
		writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."))
		return
	}
	if st, body := s.hsStageOutside(deal, in.Properties, rec.props); st != 0 {
		writeJSON(w, st, body)
		return
	}
	if c := s.hsConflict(deal, in.Properties, rec); c != nil {
		writeJSON(w, http.StatusConflict, hubspotErr("CONFLICT", "Contact already exists. Existing ID: "+idStr(c.id)))
		return
	}
	writeJSON(w, http.StatusOK, hsObject(s.hsWrite(deal, rec, in.Properties), nil))
}

func (s *Server) hsAssociate(w http.ResponseWriter, r *http.Request) {
	did, _ := strconv.ParseInt(r.PathValue("deal"), 10, 64)
	cid, _ := strconv.ParseInt(r.PathValue("contact"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.deals[did] == nil || s.st.contacts[cid] == nil {
		writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "No deal or contact with those ids"))
		return
	}
	if e := s.hsAssocRefused(did, cid); e != nil {
		writeJSON(w, http.StatusBadRequest, e)
		return
	}
	s.st.assoc[[2]int64{did, cid}] = true
	writeJSON(w, http.StatusOK, map[string]any{
		"status": "COMPLETE",
		"results": []map[string]any{{
			"from": map[string]string{"id": idStr(did)}, "to": map[string]string{"id": idStr(cid)},
			"type": "deal_to_contact",
		}},
		"startedAt": time.Now().UTC().Format(time.RFC3339), "completedAt": time.Now().UTC().Format(time.RFC3339),
	})
}

// hsAssociateBatch follows POST /crm/v4/associations/deals/contacts/batch/associate/default.
// A partial fault leaves the last of two or more inputs unassociated, its
// error of the fault's category naming the deal's id, as a missing record's;
// an omit fault leaves it unassociated and out of a 200's results, named
// nowhere (docs/crm-contracts.md: a 2xx is checked input by input).
func (s *Server) hsAssociateBatch(w http.ResponseWriter, r *http.Request) {
	if f, t := r.PathValue("from"), r.PathValue("to"); (f != "deals" && f != "deal" && f != "0-3") || (t != "contacts" && t != "contact" && t != "0-1") {
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", "only deal to contact associations are supported by the fake"))
		return
	}
	var in struct {
		Inputs []struct {
			From struct {
				ID string `json:"id"`
			} `json:"from"`
			To struct {
				ID string `json:"id"`
			} `json:"to"`
		} `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if len(in.Inputs) == 0 || len(in.Inputs) > 2000 {
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", "inputs must hold 1 to 2000 associations"))
		return
	}
	partial := partialOf(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	results, errs := []map[string]any{}, []map[string]any{}
	for i, a := range in.Inputs {
		did, _ := strconv.ParseInt(a.From.ID, 10, 64)
		cid, _ := strconv.ParseInt(a.To.ID, 10, 64)
		if partial != nil && len(in.Inputs) > 1 && i == len(in.Inputs)-1 {
			if partial.Action == ActOmit {
				continue // left out of the answer, named nowhere
			}
			errs = append(errs, partialError(partial, fmt.Sprintf("partial fault: deal %s not associated with contact %s", a.From.ID, a.To.ID),
				map[string][]string{"ids": {a.From.ID}}))
			continue
		}
		if s.st.deals[did] == nil || s.st.contacts[cid] == nil {
			errs = append(errs, map[string]any{"status": "error", "category": "OBJECT_NOT_FOUND",
				"message": "No deal or contact with those ids", "context": map[string][]string{"ids": {a.From.ID}}})
			continue
		}
		if e := s.hsAssocRefused(did, cid); e != nil {
			e["context"] = map[string][]string{"ids": {a.From.ID}}
			errs = append(errs, e)
			continue
		}
		s.st.assoc[[2]int64{did, cid}] = true
		results = append(results, map[string]any{"from": map[string]string{"id": a.From.ID}, "to": map[string]string{"id": a.To.ID},
			"associationSpec": map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}})
	}
	now := time.Now().UTC().Format(time.RFC3339)
	out := map[string]any{"status": "COMPLETE", "results": results, "startedAt": now, "completedAt": now}
	if len(errs) > 0 {
		out["numErrors"], out["errors"] = len(errs), errs
		writeJSON(w, http.StatusMultiStatus, out)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// hsAppended is props with the multi-checkbox values that start with ";"
// added to what r holds, as HubSpot does: ";a;b" appends a and b to the
// record's values rather than replacing them, and the value stored has no
// empty element (docs/crm-contracts.md). props itself is left; s.mu held.
func (s *Server) hsAppended(deal bool, r *rec, props map[string]string) map[string]string {
	obj := pick(deal, "deals", "contacts")
	var out map[string]string
	for k, v := range props {
		p := s.hsAcct.props[obj][k]
		if p == nil || p.Type != "enumeration" || p.FieldType != "checkbox" || !strings.HasPrefix(v, ";") {
			continue
		}
		if out == nil {
			out = maps.Clone(props)
		}
		var held []string
		if r != nil && r.props[k] != "" {
			held = strings.Split(r.props[k], ";")
		}
		for _, e := range strings.Split(v, ";") {
			if e != "" && !slices.Contains(held, e) {
				held = append(held, e)
			}
		}
		out[k] = strings.Join(held, ";")
	}
	if out == nil {
		return props
	}
	return out
}
