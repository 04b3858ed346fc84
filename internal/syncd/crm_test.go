package syncd

import "testing"

// TestCRMErrorSaysAStatusOnlyWhenTheCRMAnswered: an error with no answer
// from the CRM (a network failure, or a refusal of syncd's own such as a
// merged contact it would not delete) printed "crm 0 MERGED_CONTACT: …",
// a status no CRM gave, in outbox show, status and the log.
func TestCRMErrorSaysAStatusOnlyWhenTheCRMAnswered(t *testing.T) {
	for _, c := range []struct {
		err  CRMError
		want string
	}{
		{CRMError{Status: 400, Code: "INVALID_EMAIL", Message: "bad"}, "crm 400 INVALID_EMAIL: bad"},
		{CRMError{Status: 504, Message: "Gateway Timeout"}, "crm 504: Gateway Timeout"},
		{CRMError{Code: CodeMergedContact, Message: "contact 7 is a merge"}, "crm MERGED_CONTACT: contact 7 is a merge"},
		{CRMError{Code: CodeNetwork, Message: "connection refused"}, "crm NETWORK: connection refused"},
		{CRMError{Message: "no answer"}, "crm: no answer"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.err, got, c.want)
		}
	}
}
