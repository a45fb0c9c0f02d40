package main

import (
	"fmt"
	"strings"

	"hecha"
)

// townshipCounties returns the counties that have townships in t.
func townshipCounties(t *hecha.DivisionTable) []hecha.Code {
	seen := map[hecha.Code]bool{}
	var out []hecha.Code
	for _, d := range t.All() {
		if c := d.Code.County(); d.Code.Level() == hecha.LevelTownship && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// countyList writes codes for a message, at most a few.
func countyList(cs []hecha.Code) string {
	var parts []string
	for i, c := range cs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("… (%d)", len(cs)))
			break
		}
		parts = append(parts, string(c))
	}
	return strings.Join(parts, ", ")
}
