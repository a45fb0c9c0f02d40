package hecha_test

import "hecha"

// The package's fixtures (export_test.go) under their usual names.
var (
	fxNow      = hecha.FxNow
	fxTable    = hecha.FxTable
	fxCase     = hecha.FxCase
	fxPerson   = hecha.FxPerson
	fxResult   = hecha.FxResult
	fxFloating = hecha.FxFloating
	fxResident = hecha.FxResident
	fxID       = hecha.FxID
	fxWant     = hecha.FxWant
	fxOK       = hecha.FxOK
	measure    = hecha.Measure
	itoa       = hecha.Itoa
)
