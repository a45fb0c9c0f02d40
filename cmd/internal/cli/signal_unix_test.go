//go:build unix

package cli

import (
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestSignalContextHangUp checks that the terminal hanging up (SIGHUP)
// cancels the context, as Ctrl-C does, so commands stop cleanly.
func TestSignalContextHangUp(t *testing.T) {
	if signal.Ignored(syscall.SIGHUP) {
		t.Skip("SIGHUP is ignored in this process (nohup): SignalContext leaves it so")
	}
	ctx, stop := SignalContext()
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGHUP did not cancel the context")
	}
}
