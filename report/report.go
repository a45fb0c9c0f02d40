// Package report computes the reports (DESIGN §6): the progress table,
// the mismatch summary and the in-province no-such-person list, and lays
// them out as tables for a screen or a file. Each is a pure function of the
// cases, the results in force and the division table: the county computes
// them from every case it holds, the township its own from its local
// summaries. The progress and mismatch reports count cases per unit, down
// the tree from a top unit (county → township → village); the
// no-such-person list groups cases by the township that registered their
// inflow.
package report

import (
	"slices"
	"strings"

	"hecha"
)

// RowKind says what a row of a report by unit counts.
type RowKind int

// The kinds of row.
const (
	// RowUnit counts the cases assigned to a unit or to the units under it.
	RowUnit RowKind = iota
	// RowRest counts the cases of the unit above it that no row under that
	// unit counts: cases assigned to a township whose village is not known.
	RowRest
	// RowUndistributed counts the cases not yet distributed (未分发).
	RowUndistributed
	// RowTotal counts every case the report counts.
	RowTotal
)

// Row is a row's place in a report by unit.
type Row struct {
	Kind RowKind
	// Unit is the unit of a RowUnit, the unit above a RowRest, "" otherwise.
	Unit hecha.Code
	// Name is the unit's name in the division table, "" when the table
	// does not know it.
	Name string
	// Depth is the row's level below the top: 0 for the top unit (or the
	// top units, when there is no top), 1 for the units under it, and so on.
	Depth int
}

// Label returns the row's label in lang, indented two spaces per level:
// the unit's name (its code when the table has no name), or what a row of
// another kind counts.
func (r Row) Label(lang hecha.Lang) string {
	var s string
	switch r.Kind {
	case RowRest:
		s = hecha.T(lang, "report.row.rest")
	case RowUndistributed:
		s = hecha.T(lang, "report.row.undistributed")
	case RowTotal:
		s = hecha.T(lang, "report.row.total")
	default:
		s = r.Name
		if s == "" {
			s = string(r.Unit)
		}
	}
	return strings.Repeat("  ", r.Depth) + s
}

// placed is one case's place in a report by unit.
type placed struct {
	unit hecha.Code // assigned unit; "" while undistributed
	home hecha.Code // household division, as deep as known
}

// deepest returns the unit a case counts under: its unit when that is a
// village, else the village of its household division when that lies in
// its unit, else its unit.
func (p placed) deepest() hecha.Code {
	if p.unit.Level() == hecha.LevelVillage {
		return p.unit
	}
	if p.home.Level() == hecha.LevelVillage && p.home.Within(p.unit) {
		return p.home
	}
	return p.unit
}

// unitRows lays out the rows of a report by unit under root ("" for no
// top unit: the counties of the cases are the tops) and returns, for each
// row, the indexes of the cases it counts. The rows: the top unit, each
// unit under it that has cases, depth first by code, a RowRest after the
// units under a unit that also has cases of its own, then the
// undistributed cases (when any) and the total. A case assigned outside
// root is not counted; an undistributed case is counted when root is a
// county or above, or its household division lies in root.
func unitRows(cases []placed, root hecha.Code, t *hecha.DivisionTable) ([]Row, [][]int) {
	type node struct {
		items, own []int
		children   []hecha.Code
	}
	nodes := map[hecha.Code]*node{}
	var tops []hecha.Code
	top := root.Level()
	if root == "" {
		top = hecha.LevelCounty
	}
	get := func(c hecha.Code) *node {
		n, ok := nodes[c]
		if !ok {
			n = &node{}
			nodes[c] = n
			if c.Level() == top {
				tops = append(tops, c)
			} else if parent := c.At(c.Level() - 1); nodes[parent] != nil {
				nodes[parent].children = append(nodes[parent].children, c)
			}
		}
		return n
	}
	if root != "" {
		get(root)
	}
	var undistributed, total []int
	for i, p := range cases {
		if p.unit == "" {
			if root == "" || root.Level() <= hecha.LevelCounty || p.home.Within(root) {
				undistributed = append(undistributed, i)
				total = append(total, i)
			}
			continue
		}
		d := p.deepest()
		if root != "" && !d.Within(root) || d.Level() < top {
			continue
		}
		total = append(total, i)
		for l := top; l <= d.Level(); l++ {
			n := get(d.At(l))
			n.items = append(n.items, i)
		}
		nodes[d].own = append(nodes[d].own, i)
	}

	var rows []Row
	var counts [][]int
	name := func(c hecha.Code) string {
		if d, ok := t.Lookup(c); ok {
			return d.Name
		}
		return ""
	}
	var walk func(c hecha.Code, depth int)
	walk = func(c hecha.Code, depth int) {
		n := nodes[c]
		rows = append(rows, Row{Kind: RowUnit, Unit: c, Name: name(c), Depth: depth})
		counts = append(counts, n.items)
		slices.Sort(n.children)
		for _, ch := range n.children {
			walk(ch, depth+1)
		}
		if len(n.children) > 0 && len(n.own) > 0 {
			rows = append(rows, Row{Kind: RowRest, Unit: c, Name: name(c), Depth: depth + 1})
			counts = append(counts, n.own)
		}
	}
	slices.Sort(tops)
	for _, c := range tops {
		walk(c, 0)
	}
	if len(undistributed) > 0 {
		rows = append(rows, Row{Kind: RowUndistributed})
		counts = append(counts, undistributed)
	}
	rows = append(rows, Row{Kind: RowTotal})
	counts = append(counts, total)
	return rows, counts
}

// ProgressItem is one case as the progress report counts it.
type ProgressItem struct {
	Kind hecha.Kind
	// Unit is the township or village the case is assigned to, "" while
	// undistributed; Home its household division, as deep as known.
	Unit, Home hecha.Code
	// Verified says a final result is in force; Form is its form.
	Verified bool
	Form     hecha.Form
}

// ProgressItemOf returns the progress item of case c with its result in
// force (nil when none): the county's view.
func ProgressItemOf(c *hecha.Case, inForce *hecha.Result) ProgressItem {
	it := ProgressItem{Kind: c.Kind, Unit: c.Unit, Home: c.Person.HouseholdDivision}
	if inForce != nil {
		it.Verified, it.Form = true, inForce.Form
	}
	return it
}

// ProgressItemOfSummary returns the progress item of a township's case
// summary s: a case is verified when its final result is saved (awaiting
// upload or acknowledged); a draft, a rejected result or a conflict is not.
func ProgressItemOfSummary(s *hecha.CaseSummary) ProgressItem {
	it := ProgressItem{Kind: s.Kind, Unit: s.Unit, Home: s.Village}
	if s.Status == hecha.StatusDone || s.Status == hecha.StatusUpload {
		it.Verified, it.Form = true, s.Form
	}
	return it
}

// ProgressRow is one row of the progress report (跨省流动人口个案信息核查进度表).
type ProgressRow struct {
	Row
	// Assigned counts the row's cases (分发个案数), Verified those with a
	// result in force (已核查).
	Assigned, Verified int
	// Forms counts the verified cases by the form of their result:
	// Forms[0] is R1, …, Forms[5] is R6.
	Forms [6]int
}

// Pending returns the number of cases not verified (未核查).
func (r ProgressRow) Pending() int { return r.Assigned - r.Verified }

// Rate returns the share of the row's cases verified (核查率), 0 to 1;
// 0 for a row without cases.
func (r ProgressRow) Rate() float64 {
	if r.Assigned == 0 {
		return 0
	}
	return float64(r.Verified) / float64(r.Assigned)
}

// Progress is the progress report: its rows in order.
type Progress []ProgressRow

// ProgressOf computes the progress report of the cross-province cases
// among items (the report is about them; the other kinds are not counted)
// per unit under root, as unitRows lays the rows out. Names come from t
// (nil: no names).
func ProgressOf(items []ProgressItem, root hecha.Code, t *hecha.DivisionTable) Progress {
	var cross []ProgressItem
	var places []placed
	for _, it := range items {
		if it.Kind == hecha.KindCrossProvince || it.Kind == "" {
			cross = append(cross, it)
			places = append(places, placed{it.Unit, it.Home})
		}
	}
	rows, counts := unitRows(places, root, t)
	out := make(Progress, len(rows))
	for i, row := range rows {
		pr := ProgressRow{Row: row, Assigned: len(counts[i])}
		for _, j := range counts[i] {
			it := cross[j]
			if !it.Verified {
				continue
			}
			pr.Verified++
			if k := slices.Index(hecha.Forms[:6], it.Form); k >= 0 {
				pr.Forms[k]++
			}
		}
		out[i] = pr
	}
	return out
}
