//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"
)

// stopSignals are the signals that stop a command cleanly: an interrupt
// (Ctrl-C), a termination, and the terminal hanging up (SIGHUP: the SSH
// line dropped, the terminal window closed). A program started with
// SIGHUP ignored (nohup, a service manager) keeps ignoring it: asking
// for it would undo that.
func stopSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}
