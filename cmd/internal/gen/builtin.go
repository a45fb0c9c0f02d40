package gen

import (
	"fmt"

	"hecha"
)

// div is one built-in division: a normalised code and its name.
type div struct{ code, name string }

// DefaultCounty is the county Generate uses when Config.County is empty:
// 中牟县 of 郑州市.
const DefaultCounty hecha.Code = "410122"

// Builtin returns a new division table holding the built-in set of real
// codes (builtin_data.go): enough of Henan for a county's cases and
// registries, and the counties elsewhere where people from Henan live.
// It needs no files.
func Builtin() *hecha.DivisionTable {
	t := hecha.NewDivisionTable()
	for _, d := range builtinDivisions {
		if err := t.Add(hecha.Division{Code: hecha.Code(d.code), Name: d.name}); err != nil {
			// The data is a literal checked by the tests.
			panic(fmt.Sprintf("gen: built-in division %s %s: %v", d.code, d.name, err))
		}
	}
	return t
}

// destinationWeights weighs the provinces where people from Henan go to
// work (the current divisions of cross-province cases); within a
// province each built-in county is equally likely.
var destinationWeights = map[hecha.Code]int{
	"44": 30, // 广东
	"33": 20, // 浙江
	"32": 15, // 江苏
	"31": 12, // 上海
	"11": 10, // 北京
	"35": 5,  // 福建
	"42": 5,  // 湖北
	"12": 3,  // 天津
}

// builtinDestinations returns the county-level codes of other provinces
// in the built-in set, in code order.
func builtinDestinations() []hecha.Code {
	var out []hecha.Code
	for _, d := range builtinDivisions {
		c := hecha.Code(d.code)
		if c.Level() == hecha.LevelCounty && c.Province() != "41" {
			out = append(out, c)
		}
	}
	return out
}
