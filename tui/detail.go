package tui

import (
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
