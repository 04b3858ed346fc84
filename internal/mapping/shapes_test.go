package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailscale/hujson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// shapeCase is a documented payload with one field sent in another shape
// than its sender documents, mapped by the shipped mappings of both CRMs.
type shapeCase struct {
	name  string
	kind  syncd.Kind
	file  string
	shape func(p map[string]any) // changes the documented payload
	check func(t *testing.T, target string, res Result, contact, deal map[string]string)
}

func (c shapeCase) run(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, c.file))
	if err != nil {
		t.Fatal(err)
	}
	if body, err = hujson.Standardize(body); err != nil {
		t.Fatal(err)
	}
	var payload map[string]any
	if err := json.Unmarshal(body, &payload); err != nil {
		t.Fatal(err)
	}
	c.shape(payload)
	if body, err = json.Marshal(payload); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"hubspot", "pipedrive"} {
		rules, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := EventFromBody(c.kind, string(c.kind), "", body)
		if err != nil {
			t.Fatal(err)
		}
		res := rules.Map(ev)
		if res.State != syncd.MapMapped {
			t.Errorf("%s, %s: %s (%s); want mapped", c.name, target, res.State, res.Reason)
			continue
		}
		var contact, deal map[string]string
		for _, op := range res.Ops {
			if op.Kind == syncd.RecordContact {
				contact = op.Properties
			} else {
				deal = op.Properties
			}
			for k, v := range op.Properties {
				if strings.ContainsAny(v, "{[") {
					t.Errorf("%s, %s: %s %s = %q: JSON text written to the CRM", c.name, target, op.Kind, k, v)
				}
			}
		}
		c.check(t, target, res, contact, deal)
	}
}

func client(p map[string]any) map[string]any {
	return p["payload"].(map[string]any)["client"].(map[string]any)
}

// dealName is the deal's name property of target.
func dealName(target string, deal map[string]string) string {
	if target == "pipedrive" {
		return deal["title"]
	}
	return deal["dealname"]
}

// TestClientSentAsAList: a Lokalebasen client sent as a list of one
// object (its documentation gives an object) made the whole lead
// unmappable, "contact has no email and no phone"; it is read as that
// object. A list of two is read as its first, and the lead says the
// others were left out.
func TestClientSentAsAList(t *testing.T) {
	for _, n := range []int{1, 2} {
		shapeCase{name: "client as a list", kind: syncd.KindLokalebasen, file: "lokalebasen/enquiry_created.json",
			shape: func(p map[string]any) {
				list := []any{client(p)}
				if n == 2 {
					list = append(list, map[string]any{"email": "other@example.com", "name": "Other Person"})
				}
				p["payload"].(map[string]any)["client"] = list
			},
			check: func(t *testing.T, target string, res Result, contact, deal map[string]string) {
				if contact["email"] != "angela7913@hotmail.com" || !strings.Contains(dealName(target, deal), "Angela Baker") {
					t.Errorf("%s, a list of %d: contact %v, deal %v; want Angela Baker's", target, n, contact, deal)
				}
				noted := strings.Contains(res.Reason, "payload.client is a list of 2") && strings.Contains(res.Reason, "the others left out")
				if noted != (n == 2) {
					t.Errorf("%s, a list of %d: reason %q", target, n, res.Reason)
				}
			},
		}.run(t)
	}
}

// TestClientNameSentAsAnObject: client.name sent as an object reached the
// CRM as split JSON text (first name `"last":"B"}`, deal "Lokalebasen
// EJ-593915GV: {"first":...}"). The name is left out, the deal named by
// the email as for a lead without a name, and the lead says why.
func TestClientNameSentAsAnObject(t *testing.T) {
	shapeCase{name: "client.name as an object", kind: syncd.KindLokalebasen, file: "lokalebasen/enquiry_created.json",
		shape: func(p map[string]any) {
			client(p)["name"] = map[string]any{"first": "Angela", "last": "Baker"}
		},
		check: func(t *testing.T, target string, res Result, contact, deal map[string]string) {
			if got := dealName(target, deal); got != "Lokalebasen EJ-593915GV: angela7913@hotmail.com" {
				t.Errorf("%s: deal name %q", target, got)
			}
			if contact["firstname"] != "" || contact["lastname"] != "" {
				t.Errorf("%s: contact %v: a name from the object's JSON text", target, contact)
			}
			if want := "payload.client.name is an object where text is expected: left out"; !strings.Contains(res.Reason, want) {
				t.Errorf("%s: reason %q; want it to say %q", target, res.Reason, want)
			}
		},
	}.run(t)
}

// TestClientEmailSentAsAList: client.email sent as a list of one gave
// the contact the right email (a path reads a list as its elements
// joined) but the deal's name, an expression, showed `["x@…"]`. Both
// read the list alike now.
func TestClientEmailSentAsAList(t *testing.T) {
	shapeCase{name: "client.email as a list", kind: syncd.KindLokalebasen, file: "lokalebasen/enquiry_created.json",
		shape: func(p map[string]any) {
			client(p)["email"] = []any{"angela7913@hotmail.com"}
			delete(client(p), "name")
		},
		check: func(t *testing.T, target string, res Result, contact, deal map[string]string) {
			if contact["email"] != "angela7913@hotmail.com" {
				t.Errorf("%s: contact %v", target, contact)
			}
			if got := dealName(target, deal); got != "Lokalebasen EJ-593915GV: angela7913@hotmail.com" {
				t.Errorf("%s: deal name %q", target, got)
			}
		},
	}.run(t)
}

// TestEnquiryDateSyncdCannotRead: an Estate Agent Feeds email_lead
// without eaf_date and eaf_timestamp whose email_date_time is in another format
// ("06/09/2021 06:28": day or month first?) was unmappable, the whole
// lead kept from the CRM for one date. The lead goes on without the
// enquiry date, and says so.
func TestEnquiryDateSyncdCannotRead(t *testing.T) {
	shapeCase{name: "email_date_time unreadable", kind: syncd.KindEAF, file: "eaf/email_lead.json",
		shape: func(p map[string]any) {
			delete(p, "eaf_date")
			delete(p, "eaf_timestamp")
			p["email_date_time"] = "06/09/2021 06:28"
		},
		check: func(t *testing.T, target string, res Result, contact, deal map[string]string) {
			prop := map[string]string{"hubspot": "syncd_enquiry_at", "pipedrive": "syncd enquiry at"}[target]
			if v, ok := deal[prop]; ok {
				t.Errorf("%s: %s = %q", target, prop, v)
			}
			if contact["email"] == "" || dealName(target, deal) == "" {
				t.Errorf("%s: contact %v, deal %v", target, contact, deal)
			}
			if want := prop + ` left out: cannot read "06/09/2021 06:28" as a date`; !strings.Contains(res.Reason, want) {
				t.Errorf("%s: reason %q; want it to say %q", target, res.Reason, want)
			}
		},
	}.run(t)
}
