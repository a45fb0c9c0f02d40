package tui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// Messages owned by the detail screen.
type (
	caseMsg struct {
		id       string
		c        *hecha.Case
		draft    *hecha.Draft
		versions []hecha.ResultVersion
		err      error
	}
	compareMsg struct {
		id    string
		gen   int
		cands []hecha.Candidate
		p     hecha.Precision
		query string // a hand lookup's text, "" for a comparison
		err   error
	}
)

func (caseMsg) owner() screenID    { return scrDetail }
func (compareMsg) owner() screenID { return scrDetail }

// detailModel shows one case: its 15 items and household, the
// comparison's candidates with the differing items marked, and the form
// that applies to the candidate picked. The clerk can compare again at
// another birth-date precision, look a person up by hand, pick another
// candidate or none, and open the form.
type detailModel struct {
	env  *env
	keys detailKeys

	id       string
	c        *hecha.Case
	draft    *hecha.Draft
	versions []hecha.ResultVersion
	loaded   bool

	cands     []hecha.Candidate
	precision hecha.Precision
	pick      int // index into cands; -1 = none
	comparing bool
	gen       int
	note      string // what the last comparison or lookup was

	lookup bool
	input  []rune
	scroll int
	height int
}

func newDetailModel(e *env) detailModel {
	return detailModel{env: e, keys: newDetailKeys(e), height: 20}
}

// open shows case id, loading it, its draft and its history.
func (d detailModel) open(id string) (detailModel, tea.Cmd) {
	keepPick := d.id == id && d.loaded
	if !keepPick {
		d = detailModel{env: d.env, keys: d.keys, id: id, height: d.height, pick: -1}
	}
	return d, d.load()
}

// refresh reloads the case when the screen comes back on top (a draft may
// have been saved meanwhile).
func (d detailModel) refresh() tea.Cmd {
	if d.id == "" {
		return nil
	}
	return d.load()
}

func (d detailModel) load() tea.Cmd {
	e, id := d.env, d.id
	return func() tea.Msg {
		c, err := e.cfg.Store.Case(e.ctx, id)
		if err != nil {
			return caseMsg{id: id, err: err}
		}
		dr, err := e.cfg.Store.Draft(e.ctx, id)
		if err != nil && hecha.ErrorCode(err) != hecha.ENOTFOUND {
			return caseMsg{id: id, err: err}
		}
		vs, err := e.cfg.Store.History(e.ctx, id)
		if err != nil {
			return caseMsg{id: id, err: err}
		}
		return caseMsg{id: id, c: c, draft: dr, versions: vs}
	}
}

func (d detailModel) typing() bool   { return d.lookup }
func (d detailModel) wantsEsc() bool { return d.lookup }

func (d detailModel) resize(h int) detailModel {
	d.height = h
	return d
}

func (d detailModel) update(msg tea.Msg) (detailModel, tea.Cmd) {
	switch msg := msg.(type) {
	case caseMsg:
		if msg.id != d.id {
			return d, nil
		}
		if msg.err != nil {
			return d, fail(msg.err)
		}
		first := !d.loaded
		d.c, d.draft, d.versions, d.loaded = msg.c, msg.draft, msg.versions, true
		if first {
			d.cands = msg.c.Candidates
			d.pick = d.initialPick()
		}
		return d, nil
	case compareMsg:
		if msg.id != d.id || msg.gen != d.gen {
			return d, nil
		}
		d.comparing = false
		if msg.err != nil {
			return d, fail(msg.err)
		}
		if msg.query != "" {
			// A hand lookup adds what it found and picks it; it never
			// takes away the comparison's candidates (a typo finding
			// nothing must not turn the case into R1 查无此人).
			d.note = d.env.t("tui.detail.search_result", clean(msg.query), len(msg.cands))
			d.cands, d.pick = mergeCandidates(d.cands, msg.cands, d.pick)
			return d, nil
		}
		d.cands, d.precision = msg.cands, msg.p
		d.pick = -1
		if len(d.cands) > 0 {
			d.pick = 0
		}
		d.note = ""
		return d, nil
	case tea.KeyMsg:
		if !d.loaded {
			return d, nil
		}
		if d.lookup {
			return d.lookupKey(msg)
		}
		return d.key(msg)
	}
	return d, nil
}

// mergeCandidates adds to have the candidates of found it lacks (by
// system and record) and returns them with the pick: the first of found,
// or pick unchanged when found is empty.
func mergeCandidates(have, found []hecha.Candidate, pick int) ([]hecha.Candidate, int) {
	out := append([]hecha.Candidate(nil), have...)
	at := func(c hecha.Candidate) int {
		for i, h := range out {
			if h.Source == c.Source && h.RecordID() == c.RecordID() {
				return i
			}
		}
		return -1
	}
	first := -1
	for _, c := range found {
		i := at(c)
		if i < 0 {
			out = append(out, c)
			i = len(out) - 1
		}
		if first < 0 {
			first = i
		}
	}
	if first >= 0 {
		pick = first
	}
	return out, pick
}

// initialPick is the candidate a draft or the result in force picked, or
// the first.
func (d detailModel) initialPick() int {
	want := ""
	switch {
	case d.draft != nil && d.draft.Result != nil:
		want = d.draft.Result.CandidateID
		if want == "" && !d.draft.Form.Confirms() && d.draft.Form != hecha.FormM {
			return -1
		}
	case len(d.versions) > 0:
		want = d.versions[len(d.versions)-1].Result.CandidateID
		if want == "" {
			return -1
		}
	}
	for i, c := range d.cands {
		if want != "" && c.RecordID() == want {
			return i
		}
	}
	if len(d.cands) > 0 {
		return 0
	}
	return -1
}

func (d detailModel) key(msg tea.KeyMsg) (detailModel, tea.Cmd) {
	k := d.keys
	n := len(d.cands)
	if d.mismatch() && (key.Matches(msg, k.NextCand, k.PrevCand, k.None, k.Precision, k.Lookup)) {
		// A mismatch case has no comparison and one form.
		return d, nil
	}
	switch {
	case key.Matches(msg, k.Up):
		d.scroll = max(d.scroll-1, 0)
	case key.Matches(msg, k.Down):
		d.scroll++
	case key.Matches(msg, k.PageUp):
		d.scroll = max(d.scroll-d.height, 0)
	case key.Matches(msg, k.PageDown):
		d.scroll += d.height
	case key.Matches(msg, k.NextCand):
		// Cycle through the candidates and "none" (-1).
		d.pick++
		if d.pick >= n {
			d.pick = -1
		}
	case key.Matches(msg, k.PrevCand):
		d.pick--
		if d.pick < -1 {
			d.pick = n - 1
		}
	case key.Matches(msg, k.None):
		d.pick = -1
	case key.Matches(msg, k.Precision):
		return d.compare(hecha.Precision((int(d.precision) + 1) % 3))
	case key.Matches(msg, k.Lookup):
		if d.env.cfg.Registry != nil {
			d.lookup, d.input = true, nil
		}
	case key.Matches(msg, k.Form):
		return d, send(d.formRequest())
	case key.Matches(msg, k.History):
		return d, send(openHistoryMsg{d.c})
	}
	return d, nil
}

// lookupKey edits the hand lookup's text; enter runs it.
func (d detailModel) lookupKey(msg tea.KeyMsg) (detailModel, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		d.lookup, d.input = false, nil
	case tea.KeyEnter:
		d.lookup = false
		return d.lookupRun(string(d.input))
	case tea.KeyBackspace:
		if len(d.input) > 0 {
			d.input = d.input[:len(d.input)-1]
		}
	case tea.KeyRunes, tea.KeySpace:
		d.input = append(d.input, msg.Runes...)
	}
	return d, nil
}

// mismatch reports whether the case is a resident-vs-outflow mismatch,
// which has no comparison and one form.
func (d detailModel) mismatch() bool { return d.c != nil && d.c.Kind == hecha.KindMismatch }

// picked returns the picked candidate, or nil for none.
func (d detailModel) picked() *hecha.Candidate {
	if d.pick < 0 || d.pick >= len(d.cands) {
		return nil
	}
	c := d.cands[d.pick]
	return &c
}

// form returns the form that applies to the picked candidate.
func (d detailModel) form() hecha.Form {
	if d.c == nil {
		return ""
	}
	return hecha.FormFor(d.c, d.picked())
}

// formRequest asks the root to open the form that applies. A draft of the
// same form is continued; a case with results takes a correction of the
// newest.
func (d detailModel) formRequest() openFormMsg {
	req := openFormMsg{c: d.c, form: d.form(), candidate: d.picked()}
	if d.draft != nil && d.draft.Form == req.form {
		req.draft = d.draft
	}
	if n := len(d.versions); n > 0 {
		last := d.versions[n-1]
		req.replaces = last.Result.ID
		if req.draft == nil && last.Result.Form == req.form {
			req.prev = &last.Result
			req.county = last.Upload.Errors
		}
	}
	return req
}

// compare runs the comparison against the local registries at precision p.
func (d detailModel) compare(p hecha.Precision) (detailModel, tea.Cmd) {
	reg := d.env.cfg.Registry
	if reg == nil {
		d.precision = p
		return d, nil
	}
	d.gen++
	d.comparing = true
	c, gen := d.c, d.gen
	return d, func() tea.Msg {
		cm, err := hecha.Compare(c, reg, reg, p)
		return compareMsg{id: c.ID, gen: gen, cands: cm.Candidates, p: p, err: err}
	}
}

// lookupRun looks a person up by hand: an ID number in both systems, or a
// name with the case's sex and birth date at the current precision. The
// records found are ranked and compared with the case by hecha.Compare
// itself, run against a registry that holds just them.
func (d detailModel) lookupRun(q string) (detailModel, tea.Cmd) {
	reg := d.env.cfg.Registry
	if reg == nil || q == "" {
		return d, nil
	}
	d.gen++
	d.comparing = true
	c, gen, p := d.c, d.gen, d.precision
	return d, func() tea.Msg {
		found := fixedRegistry{}
		var err error
		if id, perr := hecha.ParseCitizenID("citizen_id", q); perr == nil && id.Number != "" {
			if found.fl, err = reg.FloatingByCitizenID(id.Number); err == nil {
				found.rs, err = reg.ResidentByCitizenID(id.Number)
			}
		} else if found.fl, err = reg.FloatingByNameSexBirth(q, c.Person.Sex, c.Person.BirthDate, p); err == nil {
			found.rs, err = reg.ResidentByNameSexBirth(q, c.Person.Sex, c.Person.BirthDate, p)
		}
		if err != nil {
			return compareMsg{id: c.ID, gen: gen, err: err}
		}
		cands, err := found.candidates(c, p)
		return compareMsg{id: c.ID, gen: gen, cands: cands, p: p, query: q, err: err}
	}
}

// fixedRegistry answers every query with the records it holds, so Compare
// ranks hand-found records and marks their differences as it does its own.
type fixedRegistry struct {
	fl []hecha.FloatingRecord
	rs []hecha.ResidentRecord
}

func (f fixedRegistry) FloatingByCitizenID(string) ([]hecha.FloatingRecord, error) { return f.fl, nil }
func (f fixedRegistry) FloatingByNameSexBirth(string, hecha.Sex, hecha.Date, hecha.Precision) ([]hecha.FloatingRecord, error) {
	return f.fl, nil
}
func (f fixedRegistry) ResidentByCitizenID(string) ([]hecha.ResidentRecord, error) { return f.rs, nil }
func (f fixedRegistry) ResidentByNameSexBirth(string, hecha.Sex, hecha.Date, hecha.Precision) ([]hecha.ResidentRecord, error) {
	return f.rs, nil
}

// candidates compares c with the floating records and, separately (Compare
// skips the resident system when the floating one has the person), with
// the resident ones. Records Compare did not reach (a case without a
// usable ID, name or birth date) are added with their form.
func (f fixedRegistry) candidates(c *hecha.Case, p hecha.Precision) ([]hecha.Candidate, error) {
	a, err := hecha.Compare(c, fixedRegistry{fl: f.fl}, nil, p)
	if err != nil {
		return nil, err
	}
	b, err := hecha.Compare(c, nil, fixedRegistry{rs: f.rs}, p)
	if err != nil {
		return nil, err
	}
	out := append(a.Candidates, b.Candidates...)
	seen := map[string]bool{}
	for _, cd := range out {
		seen[string(cd.Source)+cd.RecordID()] = true
	}
	for i := range f.fl {
		if cd := (hecha.Candidate{Source: hecha.SourceFloating, Floating: &f.fl[i]}); !seen["floating"+f.fl[i].ID] {
			cd.Form = hecha.FormFor(c, &cd)
			out = append(out, cd)
		}
	}
	for i := range f.rs {
		if cd := (hecha.Candidate{Source: hecha.SourceResident, Resident: &f.rs[i]}); !seen["resident"+f.rs[i].ID] {
			cd.Form = hecha.FormFor(c, &cd)
			out = append(out, cd)
		}
	}
	return out, nil
}

func (d detailModel) keyList() ([]key.Binding, [][]key.Binding) {
	k := d.keys
	if d.lookup {
		return nil, nil
	}
	if d.mismatch() {
		return []key.Binding{k.Form, k.History}, [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}}
	}
	short := []key.Binding{k.Form, k.NextCand, k.None, k.Precision, k.Lookup, k.History}
	if d.env.cfg.Registry == nil {
		short = []key.Binding{k.Form, k.NextCand, k.None, k.History}
	}
	return short, [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.PrevCand}}
}

// view renders the case detail; the content scrolls, and only the lines
// that fit are drawn.
func (d detailModel) view(w, h int) string {
	e, s := d.env, d.env.st
	if !d.loaded {
		return " " + e.t("tui.detail.loading")
	}
	c := d.c
	head := " " + s.Title.Render(fit(e.t("tui.detail.title", clean(c.ID))+s.Dot+e.t("tui.kind."+string(c.Kind)), w-1))
	// What decides the form comes first: the records in question and the
	// comparison; the full 15 items follow.
	var body []string
	switch c.Kind {
	case hecha.KindMismatch:
		body = append(body, d.mismatchLines(w)...)
	case hecha.KindInProvince:
		body = append(body, " "+fit(e.t("tui.detail.inflow", divText(e, c.InflowDivision), clean(c.InflowAddress), dateText(c.InflowDate)), w-1))
	}
	if c.Kind != hecha.KindMismatch {
		// A mismatch case's records are the case's own; it has one form.
		body = append(body, d.compareLines(w)...)
	}
	body = append(body, d.personLines(w)...)

	// The form line and the lookup box stay on screen below the scrolling part.
	var foot []string
	if d.lookup {
		foot = append(foot, " "+e.t("tui.detail.search")+s.Input.Render(pad(clean(string(d.input))+"_", max(w-12, 4))))
		foot = append(foot, " "+s.Dim.Render(fit(e.t("tui.detail.search_hint"), w-1)))
	} else {
		foot = append(foot, d.formLine(w))
		if n := len(d.versions); n > 0 {
			v := d.versions[n-1]
			foot = append(foot, " "+fit(e.t("tui.detail.result", e.t("tui.form."+string(v.Result.Form)), outcomeText(e, v.Upload)), w-1))
		}
		if d.draft != nil {
			foot = append(foot, " "+fit(e.t("tui.detail.draft", d.draft.SavedAt.In(e.now().Location()).Format("01-02 15:04")), w-1))
		}
	}
	room := max(h-1-len(foot), 1)
	off := min(d.scroll, max(len(body)-room, 0))
	total := len(body)
	body = body[off:]
	if len(body) > room {
		body = body[:room]
		if room > 1 {
			body[room-1] = moreBelow(e, total-off-room+1, w)
		}
	}
	for len(body) < room {
		body = append(body, "")
	}
	lines := append([]string{head}, body...)
	return joinLines(append(lines, foot...))
}

// labelCol returns the width of a label column for the given fields
// display names, at most 16 cells.
func labelCol(e *env, fields ...string) int {
	lw := 4
	for _, f := range fields {
		lw = max(lw, cellWidth(e.t("field."+f)))
	}
	return min(lw, 16)
}

// personLines shows the 15 items and the household members.
func (d detailModel) personLines(w int) []string {
	e, s, p := d.env, d.env.st, &d.c.Person
	f := func(id string) string { return e.t("field." + id) }
	lines := []string{section(s, e.t("tui.detail.items"), w)}
	lw := labelCol(e, "name", "sex", "citizen_id", "birth_date", "current_division", "current_address",
		"household_division", "household_address", "education", "hukou_type", "marital", "reason",
		"outflow_date", "return_date")
	lines = append(lines, pair(w, lw, f("name"), orDash(p.Name), f("sex"), orDash(hecha.SexCodes.Name(e.lang, string(p.Sex))))...)
	lines = append(lines, pair(w, lw, f("citizen_id"), orDash(p.CitizenID), f("birth_date"), dateText(p.BirthDate))...)
	lines = append(lines, pair(w, lw, f("current_division"), divText(e, p.CurrentDivision), "", "")...)
	lines = append(lines, pair(w, lw, f("current_address"), orDash(p.CurrentAddress), "", "")...)
	lines = append(lines, pair(w, lw, f("household_division"), divText(e, p.HouseholdDivision), "", "")...)
	lines = append(lines, pair(w, lw, f("household_address"), orDash(p.HouseholdAddress), "", "")...)
	lines = append(lines, pair(w, lw, f("education"), orDash(hecha.EducationCodes.Name(e.lang, string(p.Education))),
		f("hukou_type"), orDash(hecha.HukouCodes.Name(e.lang, string(p.HukouType))))...)
	lines = append(lines, pair(w, lw, f("marital"), orDash(hecha.MaritalCodes.Name(e.lang, string(p.Marital))),
		f("reason"), orDash(e.rules.ReasonTable().Name(e.lang, string(p.Reason))))...)
	lines = append(lines, pair(w, lw, f("outflow_date"), dateText(p.OutflowDate), f("return_date"), dateText(p.ReturnDate))...)
	lines = append(lines, " "+f("members")+":")
	if len(p.Members) == 0 {
		lines = append(lines, "   "+e.t("tui.detail.no_members"))
	}
	for _, m := range p.Members {
		row := "   " + clean(m.Name) + " " + orDash(hecha.RelationshipCodes.Name(e.lang, string(m.Relationship))) +
			" " + hecha.SexCodes.Name(e.lang, string(m.Sex)) + " " + dateText(m.BirthDate) + " " + clean(m.CitizenID)
		lines = append(lines, fit(row, w))
	}
	return lines
}

// mismatchLines shows a mismatch case's two records side by side, the
// differing items marked.
func (d detailModel) mismatchLines(w int) []string {
	e, s, c := d.env, d.env.st, d.c
	lines := []string{section(s, e.t("tui.detail.mismatch"), w)}
	var r, o hecha.Basic
	if c.Resident != nil {
		r = *c.Resident
	}
	if c.Outflow != nil {
		o = *c.Outflow
	}
	differs := r.Differs(o)
	lw := labelCol(e, "name", "sex", "birth_date", "citizen_id")
	colW := max((w-lw-5)/2, 8)
	lines = append(lines, fit("   "+pad("", lw)+" "+pad(e.t("field.resident"), colW)+" "+pad(e.t("field.outflow"), colW), w))
	row := func(field, a, b string) {
		mark := " "
		if slices.Contains(differs, field) {
			mark = s.Differs
		}
		line := " " + mark + " " + pad(e.t("field."+field), lw) + " " + pad(orDash(a), colW) + " " + pad(orDash(b), colW)
		if mark != " " {
			line = s.Differ.Render(line)
		}
		lines = append(lines, fit(line, w))
	}
	row("name", r.Name, o.Name)
	row("sex", hecha.SexCodes.Name(e.lang, string(r.Sex)), hecha.SexCodes.Name(e.lang, string(o.Sex)))
	row("birth_date", dateText(r.BirthDate), dateText(o.BirthDate))
	row("citizen_id", r.CitizenID, o.CitizenID)
	return lines
}

// compareLines shows the candidates, the picked one's items beside the
// case's with the differing ones marked, and the "none" choice.
func (d detailModel) compareLines(w int) []string {
	e, s := d.env, d.env.st
	lines := []string{section(s, e.t("tui.detail.compare", d.precision.Label(e.lang)), w)}
	if d.comparing {
		return append(lines, " "+e.t("tui.detail.comparing"))
	}
	if d.note != "" {
		lines = append(lines, " "+fit(d.note, w-1))
	}
	if len(d.cands) == 0 {
		lines = append(lines, " "+e.t("tui.detail.none_found"))
	}
	for i, cd := range d.cands {
		pointer := "  "
		if i == d.pick {
			pointer = s.Pointer + " "
		}
		byID := ""
		if cd.ByID {
			byID = e.t("tui.detail.by_id")
		}
		name, birth, id := candidateBasics(cd)
		line := pointer + itoa(i+1) + ". " + e.t("tui.source."+string(cd.Source)) + byID + "  " +
			clean(name) + " " + dateText(birth) + " " + clean(id) + "  " + s.Arrow + " " + string(hecha.FormFor(d.c, &cd))
		if cellWidth(line) > w {
			// The form it leads to matters more than the ID number (the
			// table below shows the picked record's).
			line = pointer + itoa(i+1) + ". " + e.t("tui.source."+string(cd.Source)) + byID + "  " +
				clean(name) + " " + dateText(birth) + "  " + s.Arrow + " " + string(hecha.FormFor(d.c, &cd))
		}
		if i == d.pick {
			line = s.Picked.Render(line)
		}
		lines = append(lines, fit(line, w))
	}
	none := "  "
	if d.pick < 0 {
		none = s.Pointer + " "
	}
	lines = append(lines, fit(none+"0. "+e.t("tui.detail.pick_none")+"  "+s.Arrow+" "+string(hecha.FormFor(d.c, nil)), w))
	if cd := d.picked(); cd != nil {
		lines = append(lines, d.candidateTable(*cd, w)...)
	}
	return lines
}

// candidateBasics returns a candidate record's name, birth date and ID.
func candidateBasics(cd hecha.Candidate) (string, hecha.Date, string) {
	switch {
	case cd.Floating != nil:
		return cd.Floating.Name, cd.Floating.BirthDate, cd.Floating.CitizenID
	case cd.Resident != nil:
		return cd.Resident.Name, cd.Resident.BirthDate, cd.Resident.CitizenID
	}
	return "", hecha.Date{}, ""
}

// candidateTable shows the picked record's items beside the case's; an
// item in Differs is marked with * (and the differ style).
func (d detailModel) candidateTable(cd hecha.Candidate, w int) []string {
	e, s, p := d.env, d.env.st, &d.c.Person
	lw := min(max(labelCol(e, "name", "sex", "birth_date", "citizen_id", "household_division"),
		cellWidth(e.t("tui.detail.where.floating")), cellWidth(e.t("tui.detail.where.resident"))), 16)
	colW := max((w-lw-5)/2, 8)
	lines := []string{fit("   "+pad("", lw)+" "+pad(e.t("tui.detail.case_value"), colW)+" "+pad(e.t("tui.detail.rec_value"), colW), w)}
	row := func(field, label, a, b string) {
		mark := " "
		if slices.Contains(cd.Differs, field) {
			mark = s.Differs
		}
		line := " " + mark + " " + pad(label, lw) + " " + pad(a, colW) + " " + pad(b, colW)
		if mark != " " {
			line = s.Differ.Render(line)
		}
		lines = append(lines, fit(line, w))
	}
	sex := func(x hecha.Sex) string { return orDash(hecha.SexCodes.Name(e.lang, string(x))) }
	name, birth, id := candidateBasics(cd)
	var rsex hecha.Sex
	var household, where hecha.Code
	whereLabel := e.t("tui.detail.where.case")
	switch {
	case cd.Floating != nil:
		rsex, household, where = cd.Floating.Sex, cd.Floating.HouseholdDivision, cd.Floating.InflowDivision
		whereLabel = e.t("tui.detail.where.floating")
	case cd.Resident != nil:
		rsex, household = cd.Resident.Sex, cd.Resident.HouseholdDivision
		if o := cd.Resident.Outflow; o != nil {
			where = o.Destination
		}
		whereLabel = e.t("tui.detail.where.resident")
	}
	caseWhere := p.CurrentDivision
	if d.c.Kind == hecha.KindInProvince {
		caseWhere = d.c.InflowDivision
	}
	row("name", e.t("field.name"), orDash(p.Name), orDash(name))
	row("sex", e.t("field.sex"), sex(p.Sex), sex(rsex))
	row("birth_date", e.t("field.birth_date"), dateText(p.BirthDate), dateText(birth))
	row("citizen_id", e.t("field.citizen_id"), orDash(p.CitizenID), orDash(id))
	row("household_division", e.t("field.household_division"), divShort(e, p.HouseholdDivision), divShort(e, household))
	row("current_division", whereLabel, divShort(e, caseWhere), divShort(e, where))
	switch {
	case cd.Floating != nil && cd.Floating.Withdrawn:
		lines = append(lines, "   "+e.t("tui.detail.withdrawn"))
	case cd.Resident != nil && cd.Resident.Outflow == nil:
		lines = append(lines, "   "+e.t("tui.detail.no_outflow"))
	}
	if len(cd.Differs) > 0 {
		lines = append(lines, "   "+s.Dim.Render(fit(e.t("tui.detail.differs"), w-3)))
	}
	return lines
}

// formLine names the form that applies to the picked candidate.
func (d detailModel) formLine(w int) string {
	e := d.env
	return " " + d.env.st.Title.Render(fit(e.t("tui.detail.form", e.t("tui.form."+string(d.form()))), w-1))
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.detail.where.case":     {Zh: "现居住地", En: "lives in"},
	"tui.detail.more":           {Zh: "下面还有 %d 行（↓ 或 PgDn 翻看）", En: "%d more lines below (↓ or PgDn)"},
	"tui.detail.where.floating": {Zh: "现居住地/流入地", En: "lives/inflow"},
	"tui.detail.where.resident": {Zh: "现居住地/流出地", En: "lives/outflow to"},
})
