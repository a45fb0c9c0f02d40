package hecha

// The fixtures and helpers of the package's own tests, for its external
// tests (package hecha_test: ext_*_test.go), which load division files
// with codefile and so cannot be in package hecha.
var (
	FxNow      = fxNow
	FxTable    = fxTable
	FxCase     = fxCase
	FxPerson   = fxPerson
	FxResult   = fxResult
	FxFloating = fxFloating
	FxResident = fxResident
	FxID       = fxID
	FxWant     = fxWant
	FxOK       = fxOK
	Measure    = measure
	Itoa       = itoa
)
