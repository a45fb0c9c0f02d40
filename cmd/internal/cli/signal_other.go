//go:build !unix

package cli

import (
	"os"
	"syscall"
)

// stopSignals are the signals that stop a command cleanly: an interrupt
// (Ctrl-C, or closing the console window on Windows, which Go delivers as
// an interrupt) and a termination.
func stopSignals() []os.Signal { return []os.Signal{os.Interrupt, syscall.SIGTERM} }
