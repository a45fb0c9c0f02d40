package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"

	"hecha"
	"hecha/store"
)

// Exit statuses shared by hecha and hecha-county. They are part of the
// programs' documented interface: scripts test them.
const (
	// ExitOK: the command did everything it was asked.
	ExitOK = 0
	// ExitFailure: the command failed, or an import rejected some rows
	// (the accepted rows are stored).
	ExitFailure = 1
	// ExitUsage: the command line was wrong, or the input file could not
	// be read at all; nothing was changed.
	ExitUsage = 2
	// ExitUnreachable: the county server could not be reached.
	ExitUnreachable = 3
	// ExitUnauthorized: the county server refused the token.
	ExitUnauthorized = 4
	// ExitLocked: the passphrase or recovery key did not unlock the
	// database; nothing was changed.
	ExitLocked = 5
)

// ExitError is an error that carries the program's exit status. A nil Err
// exits silently: the command has already said what went wrong (an import
// that listed its rejected rows).
type ExitError struct {
	Code int
	Err  error
}

// Exit returns an *ExitError with the given status and error.
func Exit(code int, err error) error {
	return &ExitError{Code: code, Err: err}
}

// Error implements the error interface.
func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns the wrapped error.
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode returns the exit status for err: ExitOK for nil, the code of
// an *ExitError, ExitLocked for a passphrase or recovery key that did not
// unlock the database, ExitUnreachable and ExitUnauthorized for the domain
// codes EUNAVAILABLE and EUNAUTHORIZED, else ExitFailure (also for a command
// cut short by Ctrl-C: it did not finish; a server that stops on a signal
// returns nil instead).
func ExitCode(err error) int {
	var ee *ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case store.WrongPassphrase(err):
		return ExitLocked
	}
	switch hecha.ErrorCode(err) {
	case hecha.EUNAVAILABLE:
		return ExitUnreachable
	case hecha.EUNAUTHORIZED:
		return ExitUnauthorized
	}
	return ExitFailure
}

// PrintError writes err to w as "prog: message" in lang, one line per
// domain error, sanitised for the terminal. An *ExitError without an error
// prints nothing; nor does nil.
func PrintError(w io.Writer, prog string, lang hecha.Lang, err error) {
	var ee *ExitError
	if err == nil || (errors.As(err, &ee) && ee.Err == nil) {
		return
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(w, "%s: %s\n", prog, hecha.T(lang, "cli.interrupted"))
		return
	}
	for _, e := range hecha.AsErrors(err) {
		msg := hecha.ErrorMessage(e, lang)
		if e.Code == hecha.EINTERNAL && e.MsgID == "" {
			// A plain Go error: its own text says more than "internal error".
			msg = e.Detail
		}
		fmt.Fprintf(w, "%s: %s\n", prog, Sanitize(msg))
	}
}

// SignalContext returns a context cancelled on SIGINT, SIGTERM or (on
// Unix, unless ignored from the start) SIGHUP, for main. After the first
// signal the handler is removed, so a second Ctrl-C stops the program at
// once. Call stop when done.
func SignalContext() (ctx context.Context, stop context.CancelFunc) {
	ctx, stop = signal.NotifyContext(context.Background(), stopSignals()...)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
