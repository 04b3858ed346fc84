package crm

import (
	"errors"
	"io"
	"net/http"
	"sync/atomic"
)

// errNotResent ends an attempt of a call not safe to resend that the
// transport underneath would have sent again after its body went out.
var errNotResent = errors.New("the CRM reset the request or closed the connection after it went out, " +
	"and a call not safe to resend is not sent again: the CRM may have carried it out")

// sendOnce keeps the transport underneath from sending req's body again
// once it has read any of it. net/http's HTTP/2 resends a request on its
// own, on a new connection, after a RST_STREAM with PROTOCOL_ERROR, which
// a server or a proxy may send having carried the request out: a create
// resent so makes a second record on a CRM without uniqueness
// (Pipedrive). It resends too after REFUSED_STREAM and a GOAWAY that left
// the stream unprocessed, which would be safe; told apart from the first
// they are not, so those go back to the syncer as well, whose guard looks
// the record up before it creates again. A request whose body was not
// read yet (its connection found unusable) may still go again.
func sendOnce(req *http.Request) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody == nil {
		return
	}
	read := new(atomic.Bool)
	get := req.GetBody
	req.Body = readFlag{req.Body, read}
	req.GetBody = func() (io.ReadCloser, error) {
		if read.Load() {
			return nil, errNotResent
		}
		b, err := get()
		if err != nil {
			return nil, err
		}
		return readFlag{b, read}, nil
	}
}

// readFlag is a request body that records that it was read.
type readFlag struct {
	io.ReadCloser
	read *atomic.Bool
}

func (r readFlag) Read(p []byte) (int, error) {
	r.read.Store(true)
	return r.ReadCloser.Read(p)
}
