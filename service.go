package hecha

import (
	"context"
	"time"
)

// CaseSummary is the small per-case record a case list needs: enough to
// show a row and to search by name (Chinese, full pinyin, initials), ID
// number and case id without loading the case.
type CaseSummary struct {
	ID        string `json:"id"`
	Kind      Kind   `json:"kind"`
	Name      string `json:"name"`
	Pinyin    string `json:"pinyin"`   // full pinyin, lower case, no spaces; other readings after PinyinSep (NamePinyinKeys)
	Initials  string `json:"initials"` // pinyin initials, lower case; other spellings after PinyinSep
	CitizenID string `json:"citizen_id"`
	Sex       Sex    `json:"sex"`
	BirthDate Date   `json:"birth_date"`
	// Unit is the township or village the case is assigned to; Village is
	// the village part of the household division when it reaches village
	// level (for the village filter), else "".
	Unit    Code   `json:"unit"`
	Village Code   `json:"village,omitempty"`
	Status  Status `json:"status"`
	// Form is the form of the result in force, or of the draft.
	Form      Form      `json:"form,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Draft is a form in progress for one case. Values holds the form's raw
// field texts exactly as typed (so a draft reopens where it was, even when
// a value does not parse yet); Result is the parsed result as far as it
// goes.
type Draft struct {
	CaseID  string            `json:"case_id"`
	Form    Form              `json:"form"`
	Values  map[string]string `json:"values,omitempty"`
	Focus   string            `json:"focus,omitempty"` // the field that had focus
	Result  *Result           `json:"result,omitempty"`
	SavedAt time.Time         `json:"saved_at"`
}

// ResultVersion is one entry of a case's append-only result history.
type ResultVersion struct {
	Seq    uint64  `json:"seq"` // position in the history, from 1
	Result Result  `json:"result"`
	Upload Outcome `json:"upload"` // what the county said of it, if anything yet
}

// OutboxState is where a result stands on its way to the county.
type OutboxState string

// The states of an outbox item. Items left in OutboxSending (a crash mid
// upload) are reset to OutboxPending when the database is opened.
const (
	OutboxPending  OutboxState = "pending"
	OutboxSending  OutboxState = "sending"
	OutboxAccepted OutboxState = "accepted" // accepted or duplicate: the county has it
	OutboxRejected OutboxState = "rejected" // rejected with field errors; the clerk must fix it
	OutboxConflict OutboxState = "conflict" // the case was reassigned or changed, or the id clashed
)

// ResultStatus is the county's answer for one result of a batch.
type ResultStatus string

// The county's answers (DESIGN §8).
const (
	ResultAccepted  ResultStatus = "accepted"
	ResultDuplicate ResultStatus = "duplicate" // already had it; counts as accepted
	ResultRejected  ResultStatus = "rejected"
	ResultConflict  ResultStatus = "conflict"
)

// Outcome is the county's answer for one result: its status and, when
// rejected or in conflict, the errors (field errors for a rejection).
type Outcome struct {
	ResultID string       `json:"result_id"`
	Status   ResultStatus `json:"status,omitempty"`
	Errors   Errors       `json:"errors,omitempty"`
	At       time.Time    `json:"at,omitempty"`
	// ChangeSeq is, for an accepted result, the number the county's change
	// to the result's case got in the township's change sequence; a
	// client names these when it pulls, so the changes its own results
	// made do not come back in full. 0 when not known (older counties).
	ChangeSeq uint64 `json:"change_seq,omitempty"`
}

// OwnChanges names the changes to a township's cases that one client
// caused itself: the application of the results that Device (a
// fingerprint of the client's token) sent, at change sequence numbers
// From to To (the ChangeSeq of the outcomes it was answered). The zero
// OwnChanges names none. A pull leaves those changes out, since the client
// already holds what its own results did.
type OwnChanges struct {
	Device   string
	From, To uint64
}

// OutboxItem is one result waiting for, or answered by, the county.
type OutboxItem struct {
	ResultID string      `json:"result_id"`
	CaseID   string      `json:"case_id"`
	State    OutboxState `json:"state"`
	Outcome  Outcome     `json:"outcome"`
	Tries    int         `json:"tries"`
	QueuedAt time.Time   `json:"queued_at"`
}

// Settings are the township terminal's settings.
type Settings struct {
	ServerURL string `json:"server_url,omitempty"`
	Township  Code   `json:"township,omitempty"`
	Token     string `json:"token,omitempty"`
	Clerk     string `json:"clerk,omitempty"` // the clerk's name, recorded on results
	// TLSFingerprint is the SHA-256 fingerprint (FingerprintDigits lower-case
	// hex digits) of the county server's certificate, pinned by setup: the
	// client accepts that certificate and no other. Empty when the county's
	// own certificate authority is trusted instead, or with InsecureHTTP.
	TLSFingerprint string `json:"tls_fingerprint,omitempty"`
	// InsecureHTTP records that setup was told --insecure-http: the client
	// may then use a plain http:// ServerURL, token and data in clear.
	InsecureHTTP bool `json:"insecure_http,omitempty"`
	// ResidentClerk is the resident clerk who signed the last result saved
	// with a sign-off: the next form's sign-off starts with that name.
	ResidentClerk string `json:"resident_clerk,omitempty"`
	// Cursor is how far the township has pulled cases; RegistryCursor the
	// registry extract.
	Cursor         uint64    `json:"cursor"`
	RegistryCursor uint64    `json:"registry_cursor"`
	LastSync       time.Time `json:"last_sync,omitempty"`
}

// StatusCounts counts cases by status.
type StatusCounts map[Status]int

// Total returns the sum of all counts.
func (s StatusCounts) Total() int {
	n := 0
	for _, v := range s {
		n += v
	}
	return n
}

// TownshipService is the township terminal's local data: the assigned
// cases, drafts, the result history and the outbox. Implemented by store.
//
// Errors: ENOTFOUND for an unknown case; EINVALID (Errors with fields) when
// a final result fails Validate; ECONFLICT when a correction replaces a
// result that is not the newest; EUNAVAILABLE/ELOCKED from the database.
type TownshipService interface {
	// Case returns one case.
	Case(ctx context.Context, id string) (*Case, error)
	// Summaries returns the summary of every case, in case id order.
	Summaries(ctx context.Context) ([]CaseSummary, error)
	// Counts returns the number of cases in each status.
	Counts(ctx context.Context) (StatusCounts, error)

	// SaveDraft stores d as the case's draft, replacing any earlier one.
	SaveDraft(ctx context.Context, d *Draft) error
	// Draft returns the case's draft, or ENOTFOUND.
	Draft(ctx context.Context, caseID string) (*Draft, error)
	// DeleteDraft removes the case's draft, if any.
	DeleteDraft(ctx context.Context, caseID string) error

	// SaveResult validates res against its case and stores it as final in
	// one transaction: a new history version, the case's status, the draft
	// removed and an outbox item added. It fills ID (if empty), SavedAt,
	// Township and CaseRev and returns the stored result.
	SaveResult(ctx context.Context, res *Result) (*Result, error)
	// History returns every result version of a case, oldest first.
	History(ctx context.Context, caseID string) ([]ResultVersion, error)

	// Outbox returns outbox items in the given states (all when none).
	Outbox(ctx context.Context, states ...OutboxState) ([]OutboxItem, error)
}

// RegistryService holds the two registries for the comparison (on the
// township: its extract; on the county: everything).
type RegistryService interface {
	FloatingRegistry
	ResidentRegistry
	// PutFloating and PutResident insert or replace records by id, in
	// batched transactions.
	PutFloating(ctx context.Context, recs []FloatingRecord) error
	PutResident(ctx context.Context, recs []ResidentRecord) error
}

// SyncStore is what the township's sync client needs from the local
// database, beyond TownshipService. Implemented by store.
type SyncStore interface {
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, s Settings) error
	// NextBatch moves up to limit pending outbox items to sending and
	// returns their results, oldest first.
	NextBatch(ctx context.Context, limit int) ([]Result, error)
	// Acknowledge records the county's outcomes: accepted and duplicate
	// items are done, rejected and conflicting ones are set aside with the
	// county's errors and their cases marked so; the rest go back to pending.
	Acknowledge(ctx context.Context, outcomes []Outcome) error
	// Requeue moves the given results back to pending, e.g. when the county
	// turns out to have lost them (restored from an older copy).
	Requeue(ctx context.Context, resultIDs []string) error
	// ApplyCases stores a page of cases pulled from the county and the new
	// cursor in one transaction. It never overwrites a local draft or a
	// result awaiting upload: a case changed under a pending result is
	// marked StatusConflict.
	ApplyCases(ctx context.Context, cases []Case, cursor uint64) error
	// ApplyRegistry stores a page of the registry extract and its cursor in
	// one transaction.
	ApplyRegistry(ctx context.Context, fl []FloatingRecord, rs []ResidentRecord, cursor uint64) error
}

// CaseFilter selects cases on the county.
type CaseFilter struct {
	Unit          Code   // under this unit ("" = all)
	Undistributed bool   // only cases not yet assigned
	Status        Status // only this status ("" = any)
	Kind          Kind   // only this kind ("" = any)
	Offset, Limit int    // Limit 0 = no limit
}

// ImportStats counts what an import did.
type ImportStats struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// Token describes a township token; the token itself is never stored.
type Token struct {
	ID        string    `json:"id"` // a short public id, for listing and revoking
	Township  Code      `json:"township"`
	CreatedAt time.Time `json:"created_at"`
	Revoked   bool      `json:"revoked"`
}
