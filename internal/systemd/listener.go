package systemd

import (
	"fmt"
	"net"

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
		for _, f := range files {
			f.Close()
		}
		return nil, fmt.Errorf("socket activation: %d sockets passed, want 1", len(files))
	}
	f := files[0]
	defer f.Close()
	ln, err := net.FileListener(f)
	if err != nil {
		return nil, fmt.Errorf("socket activation: fd %d (%s): %w", f.Fd(), f.Name(), err)
	}
	return ln, nil
}
