package hecha

import (
	"context"
	"time"
)

// ConflictNotice records that a case was taken from a township while a
// result of that township was in force: the township learns it on its next
// pull (the case comes with its new Unit) and the county lists them.
type ConflictNotice struct {
	CaseID   string    `json:"case_id"`
	From     Code      `json:"from"`
	To       Code      `json:"to"`
	ResultID string    `json:"result_id"`
	At       time.Time `json:"at"`
}

// Batch is the county's log of one batch of results from a township. Its
// id is a hash of the township and the result ids (the first 16 bytes, in
// hex, of the SHA-256 of the township and the ids), so a batch sent again
// is logged under the same id.
type Batch struct {
	ID       string    `json:"id"`
	Township Code      `json:"township"`
	Results  int       `json:"results"`
	FirstAt  time.Time `json:"first_at"`
	LastAt   time.Time `json:"last_at"`
	Sends    int       `json:"sends"` // how many times it arrived
	// Counts are the outcomes of the first send.
	Counts map[ResultStatus]int `json:"counts"`
}

// CountyStore is the county's data: the county it serves, the division
// table, every case and its assignment, the registries, the results the
// townships sent, and the townships' tokens. It is the one contract behind
// the county server (sync), the county command (cmd/hecha-county), the
// reports and the offline (USB) batch path; store.CountyDB implements it on
// a bbolt file. Its methods are safe for concurrent use.
//
// # Change sequences and cursors
//
// Each township has a change sequence of cases and one of registry
// records: the things it must pull. A cursor is a number the store hands
// out (0 = before everything); a page "after cursor" holds entries with a
// higher number, in increasing order, and the next cursor is the number of
// the last entry returned (cursor itself when there is nothing new). A
// case or record appears at most once in a township's sequence: changing
// it again moves it to a new, higher number. Paging from 0 until a page
// comes back short therefore yields every case the township must hold in
// its latest state. Numbers are only compared with numbers of the same
// township's sequence of the same kind; they need not be dense.
//
// A cursor beyond anything the store has handed out means the store was
// restored from an older copy after the township pulled: the store then
// answers as for cursor 0, so next comes back below cursor, which tells the
// township to start over (the sync client and CollectCases do).
//
// A reader paging concurrently with writers must never skip an entry: an
// entry whose write commits after a reader was given a next cursor must get
// a number above that cursor.
//
// # Errors
//
// A method called with a ctx that has ended returns ctx's error and does
// nothing. Every method returns EUNAVAILABLE (or ELOCKED) when the
// database cannot be reached or is damaged; other codes are named per
// method. A method that returns an error has written nothing unless
// its comment says it works in several transactions.
type CountyStore interface {
	FloatingRegistry
	ResidentRegistry

	// Rules returns the rules every write is validated against: the
	// division table (the stored one when the store was opened to use it)
	// and the clock for "today".
	Rules() *Rules
	// Audit returns the county's append-only audit trail. A store has one,
	// shared by every caller, so its appends can be committed together.
	Audit() AuditLog
	// Close releases the store. No method may be called after it.
	Close() error

	// SetCounty sets the county this store serves: a county-level code of
	// the division table. Assignments and tokens must lie within it.
	//
	// Errors: EINVALID about "county" for a code not at county level;
	// ENOTFOUND for a code the table does not know.
	SetCounty(ctx context.Context, code Code) error
	// County returns the county the store serves, "" before SetCounty.
	County(ctx context.Context) (Code, error)

	// SaveDivisions stores t as the division table, replacing the one
	// stored before. Rules keeps the table the store was opened with.
	//
	// Errors: EINVALID about "divisions" for a nil table.
	SaveDivisions(ctx context.Context, t *DivisionTable) error
	// SaveHistoricDivisions stores the historic GB/T 2260 county list
	// (the CSV codefile.LoadHistoric reads), which Divisions adds to the table. Only
	// a list that loads without a bad row is stored; an empty csv removes
	// the stored list.
	//
	// Errors: EINVALID (the rows' errors, as codefile.LoadHistoric reports them).
	SaveHistoricDivisions(ctx context.Context, csv []byte) error
	// Divisions returns the stored division table with the stored
	// historic list loaded into it; an empty table when none was saved.
	Divisions(ctx context.Context) (*DivisionTable, error)
	// DivisionsVersion returns the version of the stored table and
	// historic list, "" when no table is stored: the hex SHA-256 of what
	// is stored. It changes whenever SaveDivisions or
	// SaveHistoricDivisions stores other content and stays the same while
	// they store the same again. The county server asks it on every
	// request, so it must be cheap.
	DivisionsVersion(ctx context.Context) (string, error)
	// DivisionsCSV returns the stored table's CSV as
	// codefile.WriteDivisions writes it, the historic list's CSV (nil when
	// none is stored) and their version (as DivisionsVersion), read
	// consistently with each other.
	DivisionsCSV(ctx context.Context) (table, historic []byte, version string, err error)

	// PutFloating validates every record, then inserts or replaces the
	// records by id, possibly in several transactions. A record identical
	// to the stored one is not written again; every changed record joins
	// the registry extracts of the townships that hold it (RegistrySince)
	// in the transaction that writes it. Nothing is written when any
	// record is invalid.
	//
	// Errors: EINVALID about "floating[i].<field>".
	PutFloating(ctx context.Context, recs []FloatingRecord) error
	// PutResident is PutFloating for the resident registry.
	//
	// Errors: EINVALID about "resident[i].<field>".
	PutResident(ctx context.Context, recs []ResidentRecord) error
	// RegistryCount returns how many floating and resident records are
	// stored.
	RegistryCount(ctx context.Context) (floating, resident int, err error)
	// RegistrySince returns up to limit records of the township's registry
	// extract after cursor, in sequence order, and the next cursor (see
	// the type's comment). The extract holds the records whose household
	// division lies in the township and the records that are candidates of
	// its cases. A limit of 0 or less means the store's default page.
	//
	// Errors: EINVALID about "township" for a code not at township level.
	RegistrySince(ctx context.Context, township Code, cursor uint64, limit int) ([]FloatingRecord, []ResidentRecord, uint64, error)

	// ImportCases normalises and validates every case (the caller's values
	// are not changed), then inserts or updates them by id, possibly in
	// several transactions. An unchanged case is left alone (no new Rev,
	// no change for its township); a changed one gets the new content, the
	// next Rev and UpdatedAt and, when assigned, fresh candidates and a
	// new place in its township's changes. The assignment, candidates and
	// Rev of the cases given are ignored. Importing the same cases again
	// changes nothing and counts them Unchanged.
	//
	// Errors: EINVALID (an Errors whose first entry, about no field, names
	// the case id, followed by the case's field errors) when a case fails
	// Validate or its id cannot be stored; nothing is written then.
	ImportCases(ctx context.Context, cases []Case) (ImportStats, error)
	// Case returns one case.
	//
	// Errors: ENOTFOUND.
	Case(ctx context.Context, id string) (*Case, error)
	// Cases returns the cases f selects, in id order, from Offset, at most
	// Limit (0: all).
	Cases(ctx context.Context, f CaseFilter) ([]Case, error)
	// CaseResults calls fn with every case f selects (Offset and Limit
	// are ignored) and its result in force, nil when it has none, in case
	// id order, without holding all cases in memory. fn runs outside any
	// transaction, so it may call the store; an error from fn stops the
	// walk and is returned.
	CaseResults(ctx context.Context, f CaseFilter, fn func(c *Case, inForce *Result) error) error

	// Assign distributes the cases ids to unit, a township or village of
	// the county: for each case it runs the comparison at day precision
	// against the registries and attaches the candidates, sets Unit and
	// Assignment, bumps Rev and puts the case in the township's changes. A
	// case taken from another township goes into that township's changes
	// too; if that township had a result in force, a ConflictNotice is
	// recorded for it and the case is pending again. Assigning a case again
	// to the same unit only refreshes its candidates and changes nothing if
	// they are the same. It may work in several transactions.
	//
	// Errors: ENOTFOUND for an unknown unit or case (nothing is written);
	// EINVALID about "unit" for a unit above township level or outside the
	// county, or when no county is set.
	Assign(ctx context.Context, ids []string, unit Code, by string) error
	// AutoAssign assigns every undistributed case whose household division
	// reaches township level within the county to that township, or to the
	// village when it reaches village level and the table knows the
	// village, as Assign does. It returns how many cases it assigned.
	//
	// Errors: EINVALID when no county is set.
	AutoAssign(ctx context.Context, by string) (int, error)
	// AssignUnder assigns every undistributed case whose household
	// division lies under from (a division of any level) to the township
	// or village to, as Assign does. It returns how many it assigned.
	//
	// Errors: as Assign for to.
	AssignUnder(ctx context.Context, from, to Code, by string) (int, error)
	// Conflicts returns the conflict notices recorded for township, in
	// case id order.
	Conflicts(ctx context.Context, township Code) ([]ConflictNotice, error)

	// CasesSince returns up to limit cases of the township's change
	// sequence after cursor, in sequence order, each in its current state,
	// and the next cursor (see the type's comment). The township's changes
	// are the cases assigned to it (or to one of its villages) and those
	// taken from it since: these come with their new Unit, so the township
	// learns they moved. A limit of 0 or less means the store's default
	// page.
	//
	// Errors: EINVALID about "township" for a code not at township level.
	CasesSince(ctx context.Context, township Code, cursor uint64, limit int) ([]Case, uint64, error)
	// CasesSinceFor is CasesSince leaving out each case whose latest
	// change is one that own names (a change ApplyResultsFrom made for
	// own.Device with a ChangeSeq from own.From to own.To) when nothing
	// else changed the case after cursor: the puller already holds what its
	// own result did. The next cursor still moves past the cases left out.
	// The zero OwnChanges leaves out nothing.
	CasesSinceFor(ctx context.Context, township Code, own OwnChanges, cursor uint64, limit int) ([]Case, uint64, error)

	// ApplyResults applies a batch of results from township in one
	// transaction and returns each result's outcome, in order:
	//
	//   - rejected: a malformed result id, a result naming another
	//     township, or one that fails Validate against its case (with the
	//     field errors);
	//   - duplicate: the store already holds this result with the same
	//     content (it counts as accepted);
	//   - conflict: the id arrived before with other content; the case is
	//     unknown or not assigned to the township; the case was reassigned
	//     or its content changed after the revision the result was made
	//     against; a correction replaces a result that is not the newest in
	//     force, or a new result does not name the one in force;
	//   - accepted: the result is stored and becomes the case's result in
	//     force, the case is done and comes to the township's changes
	//     again, and the result is applied to the case and the registries
	//     (DESIGN §5).
	//
	// Results are taken in order, so a correction may follow the result it
	// replaces in the same batch. Applying the same batch again, at once or
	// later, from this process or another, has the effect of applying it
	// once: the second answers duplicates. The batch is logged (Batches).
	//
	// Errors: EINVALID when township is not a township code; on any other
	// error nothing of the batch is applied.
	ApplyResults(ctx context.Context, township Code, results []Result) ([]Outcome, error)
	// ApplyResultsFrom is ApplyResults for results that device (a
	// fingerprint of the sending token, "" when not known) sent: the
	// changes the accepted ones make to their cases are recorded as
	// device's (see CasesSinceFor), and each accepted outcome carries its
	// change's ChangeSeq.
	//
	// Errors: as ApplyResults; EINVALID about "device" when device holds
	// control characters.
	ApplyResultsFrom(ctx context.Context, township Code, device string, results []Result) ([]Outcome, error)
	// HasResults returns the ids among ids that the store does not hold as
	// results of township, in the order given; a township uses it to find
	// the results to send again after the county was restored from an
	// older copy.
	HasResults(ctx context.Context, township Code, ids []string) ([]string, error)
	// ResultsOf returns every result accepted for a case, oldest first;
	// the last is in force unless the case was reassigned since.
	//
	// Errors: ENOTFOUND for an unknown case.
	ResultsOf(ctx context.Context, caseID string) ([]Result, error)
	// AllResults calls fn with the result in force of every case that has
	// one, and the case, in case id order; corrected results and those of
	// a township the case was taken from are left out (ResultsOf has
	// them). fn runs outside any transaction, so it may call the store; an
	// error from fn stops the walk and is returned.
	AllResults(ctx context.Context, fn func(Result, *Case) error) error
	// Batches returns the logged batches, newest first.
	Batches(ctx context.Context) ([]Batch, error)

	// CreateToken makes a new token for township and returns it with its
	// description. The token is shown once: only the SHA-256 of its secret
	// is kept. township must be a township-level code of the division
	// table, within the county when SetCounty has set one.
	//
	// Errors: EINVALID about "township" for a code that is malformed, not
	// at township level or outside the county; ENOTFOUND for a code the
	// table does not know.
	CreateToken(ctx context.Context, township Code) (string, Token, error)
	// RevokeToken revokes the token with the public id id; it can no longer
	// authenticate. Revoking a revoked token changes nothing.
	//
	// Errors: ENOTFOUND for an unknown id.
	RevokeToken(ctx context.Context, id string) error
	// Tokens returns every token, revoked ones included, oldest first.
	Tokens(ctx context.Context) ([]Token, error)
	// Authenticate returns the township of a valid token, comparing the
	// secret's hash in constant time.
	//
	// Errors: EUNAUTHORIZED for a malformed, unknown or revoked token.
	Authenticate(ctx context.Context, token string) (Code, error)
	// TokenHash returns the township of the token with the public id id
	// and the SHA-256 of its secret, as CreateToken stored them, for
	// checking the signature of a township's offline file.
	//
	// Errors: EUNAUTHORIZED for an unknown id (county.token_not_found) or a
	// revoked token (county.token_revoked).
	TokenHash(ctx context.Context, id string) (Code, []byte, error)
}
