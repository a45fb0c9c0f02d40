package store

import (
	"hecha"
)

// Registry index keys in an encrypted database. The plain indexes are
// keyed by citizen id and by name, sex and birth date (makeRegKeys,
// namePrefix); an encrypted database keys them by HMAC-SHA256 under the
// index key (seal.go) instead, so the file holds no citizen id or name
// outside a sealed value:
//
//	idx_*_cid:  hashedKey, HMAC(citizen id), 0x00, record id
//	idx_*_name: hashedKey, HMAC(name 0x00 sex), 0x00, record id
//
// The birth date is left out of the name key (a date in clear would be
// personal data, and a hash of it could not be scanned by year or month):
// a lookup scans every record of the name and sex, a handful, and keeps
// those whose birth date agrees at the precision asked for. Record ids are
// the registries' own numbers, not personal data.
//
// What the hashes still show to whoever has the file: which records share
// a citizen id, or a name and sex (their keys share a prefix), never the id
// or the name itself.
//
// hashedKey, the first byte, is 0xFF, which no UTF-8 text starts with, so
// hashed and plain keys never collide and the in-place encryption
// (encrypt.go) tells the ones it has rewritten from those it has not.
const hashedKey = 0xFF

// hashedRegKeys builds the hashed index keys of a record.
func hashedRegKeys(s *sealer, id, cid, name string, sex hecha.Sex) regKeys {
	k := regKeys{id: []byte(id)}
	if cid != "" {
		k.cid = hashedIndexKey(s.mac([]byte(cid)), k.id)
	}
	k.name = hashedIndexKey(s.mac([]byte(name), []byte(sex)), k.id)
	return k
}

// hashedIndexKey returns hashedKey, sum, 0x00 and id (without id, the
// prefix of a scan).
func hashedIndexKey(sum, id []byte) []byte {
	k := make([]byte, 0, 1+len(sum)+1+len(id))
	k = append(k, hashedKey)
	k = append(k, sum...)
	k = append(k, sep)
	return append(k, id...)
}

// cidPrefix returns the prefix of the citizen-id index keys of id.
func cidPrefix(s *sealer, id string) []byte {
	if s == nil {
		return prefix([]byte(id))
	}
	return hashedIndexKey(s.mac([]byte(id)), nil)
}

// namePrefix returns the prefix of name-index keys matching birth at p,
// and whether the records found must still be checked for their birth
// date (a hashed key holds none).
func namePrefix(s *sealer, name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]byte, bool) {
	if s != nil {
		return hashedIndexKey(s.mac([]byte(name), []byte(sex)), nil), true
	}
	b := birthKey(birth)
	switch p {
	case hecha.PrecisionYear:
		return key([]byte(name), []byte(sex), []byte(b[:4])), false
	case hecha.PrecisionMonth:
		return key([]byte(name), []byte(sex), []byte(b[:6])), false
	default:
		return prefix([]byte(name), []byte(sex), []byte(b)), false
	}
}

// hashPlainIndexKey returns the hashed form of a plain index key of
// bucket idx (a citizen-id or name index), for the in-place encryption.
// It reports false for a key that is not a plain index key.
func hashPlainIndexKey(s *sealer, idx, k []byte) ([]byte, bool) {
	parts := splitKey(k)
	switch {
	case (string(idx) == string(bucketFloatingCID) || string(idx) == string(bucketResidentCID)) && len(parts) == 2:
		return hashedIndexKey(s.mac(parts[0]), parts[1]), true
	case (string(idx) == string(bucketFloatingName) || string(idx) == string(bucketResidentName)) && len(parts) == 4:
		return hashedIndexKey(s.mac(parts[0], parts[1]), parts[3]), true
	}
	return nil, false
}

// splitKey splits a key made by key at its separators.
func splitKey(k []byte) [][]byte {
	var parts [][]byte
	start := 0
	for i, c := range k {
		if c == sep {
			parts = append(parts, k[start:i])
			start = i + 1
		}
	}
	return append(parts, k[start:])
}
