package store

// The county's buckets and meta keys (the county side of schema.go). The
// county keeps its cases in bucketCases, the same layout as the township
// (case id → hecha.Case, binary), so that Case serves both roles; everything
// else the county needs lives in the buckets below.
var (
	// keyCounty (in bucketMeta) is the 6-digit code of the county this
	// database serves; set by SetCounty.
	keyCounty = []byte("county")

	// bucketCountyState: case id → caseState (binary): the county's
	// bookkeeping of a case beyond hecha.Case (status, revisions, results).
	bucketCountyState = []byte("county_state")
	// bucketCountyUnit: unit + 0x00 + case id → empty. Units are division
	// codes, so a prefix scan of a code finds every case under it.
	bucketCountyUnit = []byte("county_idx_unit")
	// bucketCountyUndistributed: case id → empty, for cases with no unit.
	bucketCountyUndistributed = []byte("county_idx_undistributed")
	// bucketCountyStatus: status + 0x00 + case id → empty.
	bucketCountyStatus = []byte("county_idx_status")

	// bucketCountyChanges: township + 0x00 + seq (8 bytes) → case id. The
	// change sequence is this bucket's NextSequence, shared by all
	// townships, so one township's entries are in seq order under its
	// prefix and CasesSince is one cursor walk.
	bucketCountyChanges = []byte("county_changes")
	// bucketCountyChangeOf: case id + 0x00 + township → seq (8 bytes): the
	// case's current entry in bucketCountyChanges for that township, so the
	// old entry is removed when the case changes again.
	bucketCountyChangeOf = []byte("county_change_of")
	// bucketCountyChangeCause: case id + 0x00 + township → device + 0x00 +
	// prevSeq (8 bytes), when the case's current entry in
	// bucketCountyChanges for that township was made by applying a result
	// that device (a fingerprint of the sending token) sent; prevSeq is the
	// seq of the case's last change before that the device did not make.
	// Absent after any other change. CasesSinceFor reads it to leave out of
	// a pull what the puller's own results changed.
	bucketCountyChangeCause = []byte("county_change_cause")
	// bucketCountyConflicts: township + 0x00 + case id → conflictNotice
	// (JSON): a case taken from a township that had a result in force.
	bucketCountyConflicts = []byte("county_conflicts")

	// bucketCountyResults: result id → hecha.Result (JSON) as received.
	bucketCountyResults = []byte("county_results")
	// bucketCountyBatches: batch id → batchLog (JSON).
	bucketCountyBatches = []byte("county_batches")

	// bucketCountyRegChanges: township + 0x00 + seq (8 bytes) → source
	// byte + record id: the township's registry extract in change order.
	// The registry change sequence is this bucket's NextSequence.
	bucketCountyRegChanges = []byte("county_reg_changes")
	// bucketCountyRegChangeOf: source byte + record id + 0x00 + township →
	// seq (8 bytes): the record's current entry for that township.
	bucketCountyRegChangeOf = []byte("county_reg_change_of")
	// bucketCountyRegCand: source byte + record id + 0x00 + township + 0x00
	// + case id → empty: the record is a candidate of that township's case,
	// so it belongs to the township's extract.
	bucketCountyRegCand = []byte("county_reg_cand")
	// bucketCountyTokens: token id → tokenRecord (JSON). Only the SHA-256
	// of a token's secret is kept.
	bucketCountyTokens = []byte("county_tokens")

	// bucketAudit: seq (8 bytes, big-endian) → hecha.AuditEntry in the
	// root's canonical encoding followed by its hash (hecha.MarshalAudit).
	// Append-only (audit.go).
	bucketAudit = []byte("county_audit")
	// keyAuditHead (in bucketMeta) is the audit trail's head: the seq (8
	// bytes, big-endian) and hash (32 bytes) of its last entry, kept apart
	// from the entries so that entries cut off the end are seen.
	keyAuditHead = []byte("audit_head")
)

var _ = declareBuckets(
	bucketCountyState, bucketCountyUnit, bucketCountyUndistributed, bucketCountyStatus,
	bucketCountyChanges, bucketCountyChangeOf, bucketCountyChangeCause, bucketCountyConflicts,
	bucketCountyResults, bucketCountyBatches,
	bucketCountyRegChanges, bucketCountyRegChangeOf, bucketCountyRegCand,
	bucketCountyTokens, bucketAudit)
