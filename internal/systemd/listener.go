package systemd

import (
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
	return ln, nil
}

// tooMany is the error of more than one socket passed (files, which it
// closes): named by address, with the usual cause, a drop-in of
// syncd.socket whose ListenStream= was added to the unit's own.
func tooMany(files []*os.File) error {
	addrs := make([]string, 0, len(files))
	for _, f := range files {
		if ln, err := net.FileListener(f); err == nil {
			addrs = append(addrs, ln.Addr().String())
			ln.Close()
		} else {
			addrs = append(addrs, f.Name())
		}
		f.Close()
	}
	return fmt.Errorf("socket activation: %d sockets passed (%s), want 1: a drop-in's ListenStream= adds to the unit's "+
		"(syncd.socket's 127.0.0.1:8080): to replace it, write an empty ListenStream= line first (systemctl edit "+
		"syncd.socket: [Socket] ListenStream= then ListenStream=ADDRESS), and restart syncd.socket", len(files), strings.Join(addrs, ", "))
}
