package systemd

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/coreos/go-systemd/v22/activation"
)

// Listener returns the TCP listener syncd serves on: the socket systemd
// passed through socket activation (syncd.socket; LISTEN_FDS and
// LISTEN_PID naming this process) when there is one, else a new listener
// on addr.
//
// Activation is consumed: LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES are
// unset and the descriptors are marked close-on-exec, so a second call (say
// for a separate metrics address) and any child process get ordinary
// listeners. syncd.socket passes exactly one socket; more is an error
// rather than a silent choice.
func Listener(addr string) (net.Listener, error) {
	files := activation.Files(true)
	switch len(files) {
	case 0:
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("listen: %w", err)
		}
		return ln, nil
	case 1:
	default:
		return nil, tooMany(files)
	}
	f := files[0]
	defer f.Close()
	ln, err := net.FileListener(f)
	if err != nil {
		return nil, fmt.Errorf("socket activation: fd %d (%s): %w", f.Fd(), f.Name(), err)
	}
	return activated{Listener: ln, unit: socketUnit(f.Name())}, nil
}

// activated is a listener systemd passed, with the socket unit it came
// from.
type activated struct {
	net.Listener
	unit string
}

// SocketUnit is the socket unit that passed ln (syncd.socket, or
// syncd@NAME.socket for an agency's instance), as systemd names it in
// LISTEN_FDNAMES; "" for a listener syncd opened itself, or one passed
// without a unit's name.
func SocketUnit(ln net.Listener) string {
	if a, ok := ln.(activated); ok {
		return a.unit
	}
	return ""
}

// socketUnit is name, a passed descriptor's name (FileDescriptorName=,
// by default its socket unit's), if it names a socket unit.
func socketUnit(name string) string {
	if strings.HasSuffix(name, ".socket") {
		return name
	}
	return ""
}

// tooMany is the error of more than one socket passed (files, which it
// closes): named by address, with the usual cause, a drop-in's
// ListenStream= added to the unit's own (syncd.socket's 127.0.0.1:8080) or
// to another drop-in's, and the socket unit to edit: syncd@NAME.socket's
// for an agency's instance, which systemd names in LISTEN_FDNAMES.
func tooMany(files []*os.File) error {
	addrs := make([]string, 0, len(files))
	unit := ""
	for _, f := range files {
		if ln, err := net.FileListener(f); err == nil {
			addrs = append(addrs, ln.Addr().String())
			ln.Close()
		} else {
			addrs = append(addrs, f.Name())
		}
		if unit == "" {
			unit = socketUnit(f.Name())
		}
		f.Close()
	}
	own := "the unit's (syncd.socket's 127.0.0.1:8080)"
	switch {
	case unit == "":
		unit = "syncd.socket"
	case unit != "syncd.socket":
		own = "the unit's (" + unit + " has none of its own: another drop-in's, systemctl cat " + unit + " shows them)"
	}
	return tooManyError{fmt.Errorf("socket activation: %d sockets passed (%s), want 1: a drop-in's ListenStream= adds to %s: "+
		"to replace it, write an empty ListenStream= line first (systemctl edit %s: [Socket] ListenStream= then "+
		"ListenStream=ADDRESS), and restart %s", len(files), strings.Join(addrs, ", "), own, unit, unit)}
}

// ErrTooManySockets is in the chain of Listener's error when systemd
// passed more than one socket: the socket unit's to mend.
var ErrTooManySockets = errors.New("more than one socket passed")

// tooManyError is tooMany's: its words alone, ErrTooManySockets in its
// chain.
type tooManyError struct{ err error }

func (e tooManyError) Error() string   { return e.err.Error() }
func (e tooManyError) Unwrap() []error { return []error{e.err, ErrTooManySockets} }
