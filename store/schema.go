package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"
)

// SchemaVersion is the version of the database layout this code writes.
// A file with a higher version was written by a newer hecha and is refused.
const SchemaVersion = 7

// The meta bucket and its keys (etcd's shape: every bucket name and meta
// key is declared here, or in schema_county.go for the county's buckets).
var (
	bucketMeta = []byte("meta")

	keyApp           = []byte("app")            // appName: marks the file as a hecha database
	keySchemaVersion = []byte("schema_version") // 8-byte big-endian uint64
	keyRole          = []byte("role")           // "township" or "county"
	keySettings      = []byte("settings")       // hecha.Settings, JSON
	keyFloatingCount = []byte("floating_count") // 8-byte count of floating records
	keyResidentCount = []byte("resident_count") // 8-byte count of resident records
	keyKeyring       = []byte("keyring")        // keyring, JSON: an encrypted database's wrapped data key (keyring.go)
	keyEncrypting    = []byte("encrypting")     // the in-place encryption's progress (encrypt.go)
	// keyRegistryIndexPending marks a township whose registry indexes are
	// not written yet: a first pull stores the records alone and builds
	// the indexes at its end (registry_index.go).
	keyRegistryIndexPending = []byte("registry_index_pending")
	// bucketIndexBuild holds, while the build of a large registry's
	// indexes runs, its sorted runs of keys: index name → run number (8
	// bytes) → keys. It is deleted when the build ends.
	bucketIndexBuild = []byte("registry_index_build")
)

// appName is the value of keyApp.
var appName = []byte("hecha")

// The township's buckets.
var (
	// bucketCases: case id → hecha.Case (binary, schema_values.go).
	bucketCases = []byte("cases")
	// bucketSummaries: case id → hecha.CaseSummary (binary), read in one
	// sequential pass by Summaries.
	bucketSummaries = []byte("summaries")
	// bucketStatusIndex: status + 0x00 + case id → empty.
	bucketStatusIndex = []byte("idx_status")
	// bucketDrafts: case id → hecha.Draft (JSON).
	bucketDrafts = []byte("drafts")
	// bucketHistory: case id + 0x00 + seq (8 bytes, big-endian) →
	// hecha.ResultVersion (JSON). Append-only.
	bucketHistory = []byte("history")
	// bucketResultIndex: result id → the seq of its outbox item (8 bytes,
	// big-endian) + its history key (case id + 0x00 + seq), so that a save
	// writes one index entry for both (see resultRef).
	bucketResultIndex = []byte("idx_result")
	// bucketOutbox: seq (8 bytes, from NextSequence) → hecha.OutboxItem (JSON).
	bucketOutbox = []byte("outbox")
	// bucketOutboxState: state + 0x00 + seq → empty.
	bucketOutboxState = []byte("idx_outbox_state")
)

// The registries' buckets, used by both roles.
var (
	// bucketFloating, bucketResident: record id → record (binary, codec.EncodeFloating and codec.EncodeResident).
	bucketFloating = []byte("floating")
	bucketResident = []byte("resident")
	// bucketFloatingCID, bucketResidentCID: citizen id + 0x00 + record id → empty.
	bucketFloatingCID = []byte("idx_floating_cid")
	bucketResidentCID = []byte("idx_resident_cid")
	// bucketFloatingName, bucketResidentName: name + 0x00 + sex + 0x00 +
	// yyyymmdd + 0x00 + record id → empty.
	bucketFloatingName = []byte("idx_floating_name")
	bucketResidentName = []byte("idx_resident_name")
)

// The division table, on both roles (divisions.go).
var (
	// bucketDivisions: keyDivisionTable → the table as codefile.WriteDivisions writes it, gzip;
	// keyDivisionHistoric → the historic GB/T 2260 list's CSV, gzip.
	bucketDivisions     = []byte("divisions")
	keyDivisionTable    = []byte("table")
	keyDivisionHistoric = []byte("historic")
)

// allBuckets lists every top-level bucket; Open creates those missing.
// Each schema file adds its own with declareBuckets.
var allBuckets [][]byte

// declareBuckets adds top-level buckets to the schema. Use it from a
// package-level var: var _ = declareBuckets(bucketA, bucketB).
func declareBuckets(names ...[]byte) struct{} {
	allBuckets = append(allBuckets, names...)
	return struct{}{}
}

var _ = declareBuckets(bucketMeta,
	bucketCases, bucketSummaries, bucketStatusIndex, bucketDrafts,
	bucketHistory, bucketResultIndex, bucketOutbox, bucketOutboxState,
	bucketFloating, bucketResident, bucketFloatingCID, bucketResidentCID,
	bucketFloatingName, bucketResidentName, bucketDivisions)

// migration upgrades the layout from version-1 to version inside the open
// write transaction. Buckets declared in the schema already exist when it
// runs.
type migration struct {
	version uint64
	up      func(tx *bbolt.Tx) error
}

// migrations are run in order on Open for every version above the file's.
// Version 1 is the first layout: creating the declared buckets is all.
// Version 2 sequences registry writes as they happen; version 3 keeps a
// result's outbox seq in its result index entry; version 4 stores every
// case and county case state in the binary layout of its declared version
// (schema_values.go), none as JSON (migrate.go); version 5 adds the
// county's audit trail (bucketAudit, created as every declared bucket is),
// so that an older hecha-county, which would act without recording, refuses
// the file; version 6 may seal values and hash registry index keys
// (seal.go, keys.go): the layout of a plain file does not change, but a
// file with a keyring must not be opened by a hecha that would read its
// sealed values as damaged, so every file this code opens is marked
// version 6; version 7 stores the registry records in their binary layouts
// instead of JSON (migrateBinaryRegistry).
var migrations = []migration{
	{version: 1, up: func(*bbolt.Tx) error { return nil }},
	{version: 2, up: migrateRegistryChanges},
	{version: 3, up: migrateResultIndex},
	{version: 4, up: migrateBinaryValues},
	{version: 5, up: func(*bbolt.Tx) error { return nil }},
	{version: 6, up: func(*bbolt.Tx) error { return nil }},
	{version: 7, up: migrateBinaryRegistry},
}

// sep separates the parts of an index key.
const sep = 0x00

// u64 returns n as an 8-byte big-endian key, so keys sort as numbers.
func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// key concatenates parts with sep between them.
func key(parts ...[]byte) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			k = append(k, sep)
		}
		k = append(k, p...)
	}
	return k
}

// prefix returns parts joined by sep and ending with sep, for a prefix scan
// of keys made by key.
func prefix(parts ...[]byte) []byte {
	return append(key(parts...), sep)
}

// getJSON reads key from b into v; it reports false when the key is absent.
// json.Unmarshal copies, so v does not refer to the transaction's memory.
func getJSON(b *bbolt.Bucket, k []byte, v any) (bool, error) {
	data := b.Get(k)
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("decode %s/%q: %w", b.Tx().DB().Path(), k, err)
	}
	return true, nil
}

// putJSON writes v as JSON under k in b.
func putJSON(b *bbolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", k, err)
	}
	return b.Put(k, data)
}

// copyBytes returns a copy of b, for keeping a key or value past the
// transaction.
func copyBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	c := make([]byte, len(b))
	copy(c, b)
	return c
}

// decodeJSON decodes the value v stored under k, naming the file and key
// when it does not decode.
func decodeJSON(tx *bbolt.Tx, k, v []byte, out any) error {
	if err := json.Unmarshal(v, out); err != nil {
		return fmt.Errorf("decode %s/%q: %w", tx.DB().Path(), k, err)
	}
	return nil
}

// errDecode reports a value of bucket b under key k that does not decode,
// naming the file.
func errDecode(tx *bbolt.Tx, b []byte, k string, err error) error {
	return fmt.Errorf("decode %s/%s/%q: %w", tx.DB().Path(), b, k, err)
}

// errMissing reports a record that an index points to but that is gone.
func errMissing(what string) error {
	return fmt.Errorf("%s is missing", what)
}
