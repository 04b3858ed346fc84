package crmfake

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
)

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func correlationID() string {
	return fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rand.Uint32(), rand.N(0x10000), rand.N(0x1000), rand.N(0x1000), rand.Uint64()&0xffffffffffff)
}

// hubspotErr is HubSpot's error body.
func hubspotErr(category, message string, details ...map[string]any) map[string]any {
	b := map[string]any{"status": "error", "message": message, "correlationId": correlationID(), "category": category}
	if len(details) > 0 {
		b["errors"] = details
	}
	return b
}

// pipedriveErr is Pipedrive's error body, as its API answers it
// (pipedrive/client-nodejs#171): additional_data null too.
func pipedriveErr(msg, info string) map[string]any {
	return map[string]any{"success": false, "error": msg, "error_info": info, "data": nil, "additional_data": nil}
}

func (s *Server) writeAuthError(w http.ResponseWriter) {
	if s.opts.Kind == KindPipedrive {
		writeJSON(w, http.StatusUnauthorized, pipedriveErr("unauthorized access", "Please check developers.pipedrive.com for more information about Pipedrive API."))
		return
	}
	writeJSON(w, http.StatusUnauthorized, hubspotErr("INVALID_AUTHENTICATION",
		"Authentication credentials not found. This API supports OAuth 2.0 authentication."))
}

// defaultError is the kind's documented body for an error status.
func (s *Server) defaultError(status int) any {
	if s.opts.Kind == KindPipedrive {
		msg := map[int]string{
			400: "Validation failed", 401: "unauthorized access", 402: "Payment required",
			403: "You do not have permission to perform this action", 404: "Resource not found",
			409: "Conflict", 410: "Gone", 422: "Unprocessable entity", 429: "Request over limit",
		}[status]
		if msg == "" {
			msg = "Internal server error"
		}
		return pipedriveErr(msg, "Please check developers.pipedrive.com for more information about Pipedrive API.")
	}
	switch status {
	case 400:
		return hubspotErr("VALIDATION_ERROR", "Property values were not valid: [{\"isValid\":false,\"message\":\"invalid value\",\"error\":\"INVALID_OPTION\",\"name\":\"dealstage\"}]",
			map[string]any{"message": "invalid value", "code": "INVALID_OPTION", "context": map[string]any{"propertyName": []string{"dealstage"}}})
	case 401:
		return hubspotErr("EXPIRED_AUTHENTICATION", "The access token used to make this call expired.")
	case 403:
		return hubspotErr("MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call.")
	case 404:
		return hubspotErr("OBJECT_NOT_FOUND", "resource not found")
	case 409:
		return hubspotErr("CONFLICT", "Contact already exists. Existing ID: 1")
	case 429:
		return map[string]any{"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
			"errorType": "RATE_LIMIT", "correlationId": correlationID(), "policyName": "TEN_SECONDLY_ROLLING"}
	}
	return hubspotErr("INTERNAL_ERROR", "internal error")
}

func htmlError(status int) string {
	t := fmt.Sprintf("%d %s", status, http.StatusText(status))
	return "<html><head><title>" + t + "</title></head><body><center><h1>" + t + "</h1></center><hr><center>nginx</center></body></html>\n"
}
