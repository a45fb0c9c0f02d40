package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// screenID names a screen on the stack.
type screenID int

// The screens.
const (
	scrHome screenID = iota
	scrList
	scrDetail
	scrForm
	scrProblems
	scrHistory
	scrProgress
	scrExport
)

// Navigation messages: screens ask the root to switch by returning a
// command that yields one of these.
type (
	openListMsg     struct{}
	openProblemsMsg struct{}
	openProgressMsg struct{}
	openExportMsg   struct{}
	openCaseMsg     struct{ id string }
	openHistoryMsg  struct{ c *hecha.Case }
	// openFormMsg opens the result form for a case. Candidate is the
	// picked record (nil for none); Replaces names the result a correction
	// replaces.
	openFormMsg struct {
		c         *hecha.Case
		form      hecha.Form
		candidate *hecha.Candidate
		draft     *hecha.Draft
		replaces  string
		// prev is the result being corrected, when of the same form and
		// there is no draft: the form starts from its values. county is
		// what the county said of it (a rejection's field errors).
		prev   *hecha.Result
		county hecha.Errors
		// signName is the resident clerk who signed last (the settings),
		// for a new form's sign-off; the root fills it in.
		signName string
	}
	backMsg struct{}
	// syncNowMsg asks for a sync round now.
	syncNowMsg struct{}
	// savedMsg reports a final result saved; the root returns to the list.
	savedMsg struct{ res *hecha.Result }
	// changedMsg says the local data changed: the counts reload, and with
	// reload (a sync round pulled cases or got answers) the lists too.
	changedMsg struct{ reload bool }
	errMsg     struct{ err error }
	noticeMsg  struct{ text string }
)

// QuitMsg asks the interface to quit as ctrl+c does: a form in progress
// is written to its draft first. The command sends it when the process is
// told to stop (a signal, the terminal hanging up).
type QuitMsg struct{}

// send returns a command that yields msg.
func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// fail returns a command that reports err on the message line.
func fail(err error) tea.Cmd { return send(errMsg{err}) }
