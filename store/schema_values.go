package store

import (
	"reflect"

	"hecha"
	"hecha/internal/codec"
)

// The values the store keeps, declared beside the buckets (schema.go,
// schema_county.go): for each bucket (or meta key) whose values are
// structured, the Go type stored, its encoding and the version of its
// layout. Index buckets, whose values are empty or fixed-width keys, are
// described where they are declared.
//
// A binary value starts with its version byte (package codec); decoding reads
// every version still on disk and refuses any other, naming it. A JSON
// value carries no version: its version is the bucket's, and a change that
// old values cannot be read under is made by a migration (schema.go).
//
// TestStoredValues keeps testdata/values/<name>.v<version>.txt, a
// description of each type (every field's name, type and tag, into every
// struct of this module inside it), and fails when a type no longer
// matches the description of its declared version. When you change a
// stored type: bump its version here; for a binary value, write the new
// layout under the new version byte and keep decoding the old one (or
// rewrite old values in a migration keyed by a new SchemaVersion); for a
// JSON value, add a migration when old values would read wrongly; then run
// go test ./store -run TestStoredValues -update to record the new version.
//
// In an encrypted database the values of the buckets listed in
// seal.go (and the settings) are sealed around the layouts declared here;
// sealing adds no version of its own to a layout (see seal.go).
//
// The county's import hash (contentHash, county_import.go) hashes a case's
// imported content with the case layout's encoder (codec.Encoder.CaseContent): a new case layout must
// leave that hash as it was (or give it a new hashBinaryV1 and accept that
// every case then reads as changed once), else every county's next import
// marks every case changed. TestFixtures imports the version 3 county
// fixture's cases again to check.

// Versions of the binary values' layouts: the first byte of each value.
// The cases' and registry records' layouts are declared with their codec
// (codec.CaseV2, codec.FloatingV2, codec.ResidentV2), which the county on
// PostgreSQL shares.
const (
	// stateV1 is caseState's layout in codec_state.go.
	stateV1 = 1
	// summaryV1 is hecha.CaseSummary's layout in summary.go.
	summaryV1 = 1
	// auditV1 is hecha.AuditEntry's layout, the root's canonical encoding
	// (hecha.MarshalAudit): its version byte is hecha.AuditVersion, and a
	// new layout must keep the old entries readable, or their hashes no
	// longer verify.
	auditV1 = hecha.AuditVersion
)

// encoding names how a stored value is written.
type encoding string

const (
	encBinary encoding = "binary" // a version byte, then a layout of package codec, codec_state.go or summary.go
	encJSON   encoding = "json"   // encoding/json; the version is the bucket's
)

// storedValue declares the values of one bucket, or of one meta key.
type storedValue struct {
	name    string // of the file in testdata/values
	bucket  []byte
	key     []byte // a meta key, or nil for every key of bucket
	typ     reflect.Type
	enc     encoding
	version int
}

// storedValues lists every structured value the store keeps.
var storedValues = []storedValue{
	// Both roles.
	{"settings", bucketMeta, keySettings, reflect.TypeFor[hecha.Settings](), encJSON, 2}, // v2: TLSFingerprint, InsecureHTTP (omitted when empty: v1 values read as they are)
	{"keyring", bucketMeta, keyKeyring, reflect.TypeFor[keyring](), encJSON, 1},
	{"cases", bucketCases, nil, reflect.TypeFor[hecha.Case](), encBinary, codec.CaseV2},
	{"floating", bucketFloating, nil, reflect.TypeFor[hecha.FloatingRecord](), encBinary, codec.FloatingV2},
	{"resident", bucketResident, nil, reflect.TypeFor[hecha.ResidentRecord](), encBinary, codec.ResidentV2},

	// The township.
	{"summaries", bucketSummaries, nil, reflect.TypeFor[hecha.CaseSummary](), encBinary, summaryV1},
	{"drafts", bucketDrafts, nil, reflect.TypeFor[hecha.Draft](), encJSON, 1},
	{"history", bucketHistory, nil, reflect.TypeFor[hecha.ResultVersion](), encJSON, 1},
	{"outbox", bucketOutbox, nil, reflect.TypeFor[hecha.OutboxItem](), encJSON, 1},

	// The county.
	{"county_state", bucketCountyState, nil, reflect.TypeFor[caseState](), encBinary, stateV1},
	{"county_conflicts", bucketCountyConflicts, nil, reflect.TypeFor[hecha.ConflictNotice](), encJSON, 1},
	{"county_results", bucketCountyResults, nil, reflect.TypeFor[hecha.Result](), encJSON, 1},
	{"county_batches", bucketCountyBatches, nil, reflect.TypeFor[hecha.Batch](), encJSON, 1},
	{"county_tokens", bucketCountyTokens, nil, reflect.TypeFor[tokenRecord](), encJSON, 1},
	{"county_audit", bucketAudit, nil, reflect.TypeFor[hecha.AuditEntry](), encBinary, auditV1},
}
