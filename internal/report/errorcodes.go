package report

// errorCode is what syncd knows of one Estate Agent Feeds error code:
// what a person should do about it, and whether the portal side retries
// the submission by itself.
type errorCode struct {
	step    string
	retried bool
}

// errorCodes are the codes whose meaning is clear from their names and
// the messages that come with them. The sender's documentation gives one,
// ERR_ACCOUNT_ALLOWANCE; the others, and which of them Estate Agent Feeds
// retries by itself, are syncd's own reading (docs/senders/README.md says
// so). Estate Agent Feeds gives its complete list to account holders; a
// code missing here gets the general advice of unknownCodeStep.
var errorCodes = map[string]errorCode{
	"ERR_ACCOUNT_ALLOWANCE": {step: "The portal account is at its listing allowance: withdraw listings no longer " +
		"marketed, or ask the portal to raise the allowance; then resubmit."},
	"ERR_MISSING_PRICE":       {step: "Add the asking price to the listing in your software; it is resubmitted with the next feed."},
	"ERR_MISSING_POSTCODE":    {step: "Add the full postcode to the listing in your software; it is resubmitted with the next feed."},
	"ERR_INVALID_POSTCODE":    {step: "Correct the postcode of the listing in your software; it is resubmitted with the next feed."},
	"ERR_MISSING_IMAGES":      {step: "Add at least one photo to the listing in your software; it is resubmitted with the next feed."},
	"ERR_DUPLICATE_LISTING":   {step: "The portal already has this property under another reference: withdraw one of them."},
	"ERR_PORTAL_TIMEOUT":      {step: "Nothing to do: Estate Agent Feeds retries the submission by itself.", retried: true},
	"ERR_PORTAL_UNAVAILABLE":  {step: "Nothing to do: Estate Agent Feeds retries the submission by itself.", retried: true},
	"ERR_PORTAL_RATE_LIMITED": {step: "Nothing to do: Estate Agent Feeds retries the submission by itself.", retried: true},
}

// unknownCodeStep is the advice for a code syncd does not know.
const unknownCodeStep = "Read the portal's message; if it is unclear, ask Estate Agent Feeds support (support@estateagentfeeds.com)."

// nextStep is the plain-language next step for code.
func nextStep(code string) string {
	if c, ok := errorCodes[code]; ok {
		return c.step
	}
	return unknownCodeStep
}

// retriedByPortal reports whether the portal side retries a submission
// that failed with code by itself.
func retriedByPortal(code string) bool { return errorCodes[code].retried }
