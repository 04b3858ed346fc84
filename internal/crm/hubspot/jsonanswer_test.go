package hubspot

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// answers are batch answers HubSpot may give, with whether readBatch reads
// them itself (fast) or leaves them to encoding/json.
var answers = []struct {
	name, body string
	fast       bool
}{
	{"complete", `{"status":"COMPLETE","results":[{"id":"101","properties":{"email":"a@example.com","hs_object_id":"101","hs_additional_emails":"b@example.com;c@example.com"},"createdAt":"2026-11-30T08:00:00Z","archived":false,"new":true,"objectWriteTraceId":"syncd-0"}],"startedAt":"x","completedAt":"y"}`, true},
	{"partial 207", `{"status":"COMPLETE","results":[{"id":"1","properties":{"email":"a@example.com"}}],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid","context":{"ids":["b@example.com"],"objectWriteTraceId":["syncd-1"]},"subCategory":{"k":[1,2]}}]}`, true},
	{"null property values", `{"results":[{"id":"1","properties":{"email":"a@example.com","phone":null,"hs_additional_emails":null}}]}`, true},
	{"null fields", `{"status":null,"results":[{"id":null,"properties":null,"objectWriteTraceId":null},null],"errors":[{"status":null,"category":null,"message":null,"context":null},null]}`, true},
	{"null context values", `{"errors":[{"category":"OBJECT_NOT_FOUND","context":{"ids":null,"objectWriteTraceId":["syncd-0",null]}}]}`, true},
	{"null lists", `{"results":null,"errors":null}`, true},
	{"error details", `{"errors":[{"category":"MISSING_SCOPES","errors":[{"message":"m","context":{"missingScopes":["a","b"]},"n":1}]},{"errors":null},{"errors":  {"x" : [ ]}}]}`, true},
	{"empty lists", `{"results":[],"errors":[{"context":{}}]}`, true},
	{"missing fields", `{"results":[{},{"id":"7"}],"errors":[{}]}`, true},
	{"empty object", `{}`, true},
	{"unknown fields of any type", `{"a":1,"b":true,"c":null,"d":[1,{"e":"f"}],"results":[{"id":"1","new":false,"x":{"y":[null]}}],"errors":[{"category":"X","n":-1.5e3}]}`, true},
	{"names in any case", `{"Status":"COMPLETE","RESULTS":[{"Id":"1","PROPERTIES":{"Email":"A@x"},"objectwritetraceid":"syncd-0"}],"Errors":[{"Category":"C","CONTEXT":{"IDS":["1"]}}]}`, true},
	{"escaped names and values", `{"st\u0061tus":"a\"b\\c\/d\n\u00e6\ud83d\ude42","results":[{"\u0069d":"1","properties":{"\u0065mail":"x\u0026y","na\u00efve":"\u2028"}}]}`, true},
	{"lone surrogates", `{"status":"\ud800x\udc00\ud800\u0041","results":[{"id":"1","properties":{"\ud800":"\udfff"}}]}`, true},
	{"invalid UTF-8", "{\"status\":\"a\xffb\xe2\x80\",\"results\":[{\"id\":\"\xed\xa0\x80\",\"properties\":{\"k\xff\":\"v\xc0\"}}]}", false},
	{"duplicate property names", `{"results":[{"id":"1","properties":{"email":"a@x","email":null,"phone":"1","phone":"2"}}]}`, true},
	{"whitespace", " \n\t{ \"status\" : \"COMPLETE\" , \"results\" : [ ] } \r\n", true},
	{"null", `null`, false},
	{"array", `[{"id":"1"}]`, false},
	{"string", `"COMPLETE"`, false},
	{"html", `<html><body>502 Bad Gateway</body></html>`, false},
	{"empty", ``, false},
	{"truncated", `{"status":"COMPLETE","results":[{"id":"1","properties":{"email":"a@`, false},
	{"trailing garbage", `{"status":"COMPLETE"}x`, false},
	{"two documents", `{} {}`, false},
	{"number id", `{"results":[{"id":101}]}`, false},
	{"number property value", `{"results":[{"id":"1","properties":{"hs_object_id":101}}]}`, false},
	{"boolean property value", `{"results":[{"id":"1","properties":{"archived":false}}]}`, false},
	{"number in error context", `{"errors":[{"category":"X","context":{"ids":[101]}}]}`, false},
	{"boolean in error context", `{"errors":[{"category":"X","context":{"ok":true}}]}`, false},
	{"string as context value", `{"errors":[{"category":"X","context":{"ids":"1"}}]}`, false},
	{"object as results", `{"results":{"id":"1"}}`, false},
	{"string as result", `{"results":["1"]}`, false},
	{"number status", `{"status":200}`, false},
	{"duplicate field", `{"results":[{"id":"1","properties":{"a":"1"},"properties":{"b":"2"}}]}`, false},
	{"duplicate field in other case", `{"status":"A","STATUS":"B"}`, false},
}

// reference decodes body as the adapter did before: crm.DecodeJSON.
func reference(body string) (batchAnswer, error) {
	var ans batchAnswer
	err := crm.DecodeJSON(&crm.Response{Status: 207, Body: []byte(body)}, &ans)
	return ans, err
}

func TestDecodeBatchIsDecodeJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range answers {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErr := reference(tc.body)
			if _, fast := readBatch([]byte(tc.body)); fast != tc.fast {
				t.Fatalf("read without encoding/json: %v, want %v", fast, tc.fast)
			}
			got, err := decodeBatch(&crm.Response{Status: 207, Body: []byte(tc.body)})
			if !reflect.DeepEqual(err, wantErr) {
				t.Fatalf("error %v, want %v", err, wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("answer\n %#v\nwant\n %#v", got, want)
			}
		})
	}
}

func TestDecodeBatchNullPropertyIsEmpty(t *testing.T) {
	t.Parallel()
	ans, err := decodeBatch(&crm.Response{Status: 200, Body: []byte(answers[2].body)})
	if err != nil {
		t.Fatal(err)
	}
	p := ans.Results[0].Properties
	if v, ok := p["phone"]; !ok || v != "" || p["email"] != "a@example.com" {
		t.Fatalf("properties %#v: want phone present and empty", p)
	}
}

func TestDecodeBatchBadBodyIsRetryBadJSON(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `<html>502</html>`, `{"results":[`, `{"results":[{"id":1}]}`, `{"errors":[{"context":{"ids":[1]}}]}`} {
		_, err := decodeBatch(&crm.Response{Status: 200, Body: []byte(body)})
		var ce *syncd.CRMError
		if !errors.As(err, &ce) || ce.Class != syncd.ErrRetry || ce.Code != "BAD_JSON" || ce.Status != 200 {
			t.Fatalf("%q: error %#v, want a BAD_JSON retry error", body, err)
		}
	}
}

// TestDecodeBatchDeepNesting: encoding/json rejects more than 10,000
// nested levels, however deep in an unknown field.
func TestDecodeBatchDeepNesting(t *testing.T) {
	t.Parallel()
	nest := func(n int) []byte {
		return []byte(`{"x":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `,"status":"COMPLETE"}`)
	}
	ans, err := decodeBatch(&crm.Response{Status: 200, Body: nest(maxNesting - 1)})
	if err != nil || ans.Status != "COMPLETE" {
		t.Fatalf("%d levels: %q, %v", maxNesting, ans.Status, err)
	}
	for _, n := range []int{maxNesting, 1 << 20} {
		if _, err := decodeBatch(&crm.Response{Status: 200, Body: nest(n)}); err == nil {
			t.Fatalf("%d levels: no error", n+1)
		}
	}
}

// FuzzReadBatch checks that whatever readBatch reads by itself, encoding/json
// reads without error and into the same answer.
func FuzzReadBatch(f *testing.F) {
	for _, tc := range answers {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := readBatch(body)
		if !ok {
			return // left to encoding/json
		}
		var want batchAnswer
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("read %q, which encoding/json rejects: %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %#v\nwant %#v", body, got, want)
		}
	})
}
