package hecha

import "strings"

// MaxIDLen bounds case, result and record ids, which every store uses as
// parts of its keys.
const MaxIDLen = 128

// CheckID returns an EINVALID error about field unless id can be stored
// as a key by every store: not empty, at most MaxIDLen bytes, without a
// NUL byte (bbolt's key separator; PostgreSQL's text cannot hold it).
func CheckID(field, id string) error {
	switch {
	case id == "":
		return Invalid(field, "store.no_case_id")
	case len(id) > MaxIDLen:
		return Invalid(field, "store.id_too_long", MaxIDLen)
	case strings.IndexByte(id, 0) >= 0:
		return Invalid(field, "store.bad_id")
	}
	return nil
}

// The messages of CheckID, under the ids the store has always used.
var _ = Register(map[string]Msg{
	"store.no_case_id": {
		Zh: "缺少个案编号",
		En: "the case id is missing",
	},
	"store.id_too_long": {
		Zh: "编号过长（最多 %d 个字节）",
		En: "the id is too long (at most %d bytes)",
	},
	"store.bad_id": {
		Zh: "编号含有不允许的字符",
		En: "the id contains a character that is not allowed",
	},
})
