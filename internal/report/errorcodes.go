package report

// errorCodes are the steps a person takes for each Estate Agent Feeds
// error code whose meaning is clear from its name and
// the messages that come with them. The sender's documentation gives one,
// ERR_ACCOUNT_ALLOWANCE; the others are syncd's own reading
// (docs/senders/README.md says so). Estate Agent Feeds gives its complete
// list to account holders; a code missing here gets the general advice of
// unknownCodeStep.
//
// Nothing Estate Agent Feeds publishes says it resubmits a listing the
// portal was too busy for, or did not answer (portalBusyStep): a listing
// whose last submission failed so stays still failing, on the to-do list
// and in the mail's count, until a later submission succeeds. Read as
// retried by the portal, it left the report for good when the reading was
// wrong: the next day's report lists only that day's submissions.
var errorCodes = map[string]string{
	"ERR_ACCOUNT_ALLOWANCE": "The portal account is at its listing allowance: withdraw listings no longer " +
		"marketed, or ask the portal to raise the allowance; then resubmit.",
	"ERR_MISSING_PRICE":       "Add the asking price to the listing in your software; it is resubmitted with the next feed.",
	"ERR_MISSING_POSTCODE":    "Add the full postcode to the listing in your software; it is resubmitted with the next feed.",
	"ERR_INVALID_POSTCODE":    "Correct the postcode of the listing in your software; it is resubmitted with the next feed.",
	"ERR_MISSING_IMAGES":      "Add at least one photo to the listing in your software; it is resubmitted with the next feed.",
	"ERR_DUPLICATE_LISTING":   "The portal already has this property under another reference: withdraw one of them.",
	"ERR_PORTAL_TIMEOUT":      portalBusyStep,
	"ERR_PORTAL_UNAVAILABLE":  portalBusyStep,
	"ERR_PORTAL_RATE_LIMITED": portalBusyStep,
}

// portalBusyStep is the step of the codes saying the portal was busy or
// did not answer: what is known, and what to do if nothing else happens.
const portalBusyStep = "The portal was busy or did not answer. Estate Agent Feeds may resubmit the listing by itself; " +
	"if no later submission of it succeeds, resubmit it."

// unknownCodeStep is the advice for a code syncd does not know.
const unknownCodeStep = "Read the portal's message; if it is unclear, ask Estate Agent Feeds support (support@estateagentfeeds.com)."

// nextStep is the plain-language next step for code.
func nextStep(code string) string {
	if step, ok := errorCodes[code]; ok {
		return step
	}
	return unknownCodeStep
}
