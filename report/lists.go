package report

import (
	"slices"
	"strings"

	"hecha"
)

// BasicItems are the JSON names of the four basic items on which a
// resident record and an outflow record can disagree, in report order.
var BasicItems = []string{"name", "sex", "birth_date", "citizen_id"}

// MismatchItem is one mismatch case as the mismatch summary counts it.
type MismatchItem struct {
	// Unit is the unit the case is assigned to ("" while undistributed);
	// Home its household division.
	Unit, Home hecha.Code
	// Differs are the basic items (BasicItems) on which the case's two
	// records differ.
	Differs []string
	// Resolved says a result (form M) is in force.
	Resolved bool
}

// MismatchItemOf returns the mismatch item of case c with its result in
// force (nil when none), and false when c is not a mismatch case. The
// items compared are the records as imported: a result settles the
// case's person, not the two records.
func MismatchItemOf(c *hecha.Case, inForce *hecha.Result) (MismatchItem, bool) {
	if c.Kind != hecha.KindMismatch {
		return MismatchItem{}, false
	}
	it := MismatchItem{Unit: c.Unit, Home: c.Person.HouseholdDivision, Resolved: inForce != nil}
	var res, out hecha.Basic
	if c.Resident != nil {
		res = *c.Resident
	}
	if c.Outflow != nil {
		out = *c.Outflow
	}
	it.Differs = res.Differs(out)
	return it, true
}

// ItemCount counts the cases that differ in one basic item, and how many
// of them are resolved.
type ItemCount struct {
	Cases, Resolved int
}

// MismatchRow is one row of the mismatch summary
// (常驻人口与流出人口基础信息不一致个案汇总表).
type MismatchRow struct {
	Row
	// Cases counts the row's mismatch cases, Resolved those with a result
	// in force.
	Cases, Resolved int
	// Items counts the cases by item, in the order of BasicItems; a case
	// that differs in two items counts in both.
	Items [4]ItemCount
}

// Unresolved returns the number of cases not yet resolved.
func (r MismatchRow) Unresolved() int { return r.Cases - r.Resolved }

// MismatchSummary is the mismatch summary: its rows in order.
type MismatchSummary []MismatchRow

// MismatchSummaryOf computes the mismatch summary of items per unit under
// root, laid out as the progress report is.
func MismatchSummaryOf(items []MismatchItem, root hecha.Code, t *hecha.DivisionTable) MismatchSummary {
	places := make([]placed, len(items))
	for i, it := range items {
		places[i] = placed{it.Unit, it.Home}
	}
	rows, counts := unitRows(places, root, t)
	out := make(MismatchSummary, len(rows))
	for i, row := range rows {
		mr := MismatchRow{Row: row, Cases: len(counts[i])}
		for _, j := range counts[i] {
			it := items[j]
			if it.Resolved {
				mr.Resolved++
			}
			for k, name := range BasicItems {
				if slices.Contains(it.Differs, name) {
					mr.Items[k].Cases++
					if it.Resolved {
						mr.Items[k].Resolved++
					}
				}
			}
		}
		out[i] = mr
	}
	return out
}

// CaseResult is a case with its result in force (nil when none).
type CaseResult struct {
	Case   *hecha.Case
	Result *hecha.Result
}

// NotFoundGroup is the part of the in-province no-such-person list
// (省内流动-流出地反馈查无此人个案信息) for one inflow township: the cases it
// registered as having moved in whose home township found no such person.
type NotFoundGroup struct {
	// Inflow is the inflow township (the inflow division at township
	// level, or as deep as the case gives it); Name its name, "" when the
	// table does not know it.
	Inflow hecha.Code
	Name   string
	Cases  []CaseResult
}

// NotFoundList returns the in-province no-such-person list: among list,
// the in-province cases assigned within root ("" for all) whose result in
// force is P2, grouped by inflow township in code order, each group in
// case id order.
func NotFoundList(list []CaseResult, root hecha.Code, t *hecha.DivisionTable) []NotFoundGroup {
	groups := map[hecha.Code]*NotFoundGroup{}
	for _, cr := range list {
		c, res := cr.Case, cr.Result
		if c == nil || res == nil || c.Kind != hecha.KindInProvince || res.Form != hecha.FormP2 ||
			root != "" && !c.Unit.Within(root) {
			continue
		}
		in := c.InflowDivision
		if in.Level() > hecha.LevelTownship {
			in = in.At(hecha.LevelTownship)
		}
		g, ok := groups[in]
		if !ok {
			g = &NotFoundGroup{Inflow: in}
			if d, ok := t.Lookup(in); ok {
				g.Name = d.Name
			}
			groups[in] = g
		}
		g.Cases = append(g.Cases, cr)
	}
	out := make([]NotFoundGroup, 0, len(groups))
	for _, g := range groups {
		slices.SortFunc(g.Cases, func(a, b CaseResult) int { return strings.Compare(a.Case.ID, b.Case.ID) })
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b NotFoundGroup) int { return strings.Compare(string(a.Inflow), string(b.Inflow)) })
	return out
}
