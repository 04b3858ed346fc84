package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardResponse is an http.ResponseWriter that throws the body away.
type discardResponse struct{ h http.Header }

func (d discardResponse) Header() http.Header         { return d.h }
func (d discardResponse) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (d discardResponse) WriteHeader(int)             {}

func newRequest(b *testing.B) *http.Request {
	b.Helper()
	return httptest.NewRequest(http.MethodGet, "/metrics", nil)
}
