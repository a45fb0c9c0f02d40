package tui

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// listTab is one tab of the case list: the statuses it shows.
type listTab struct {
	label    string // catalogue id
	statuses []hecha.Status
}

// listTabs are the case list's tabs; the first, 未核查, is the default as
// in the original system.
var listTabs = []listTab{
	{"tui.status.pending", []hecha.Status{hecha.StatusPending}},
	{"tui.status.draft", []hecha.Status{hecha.StatusDraft}},
	{"tui.status.done", []hecha.Status{hecha.StatusDone, hecha.StatusUpload}},
	{"tui.status.upload", []hecha.Status{hecha.StatusUpload}},
	{"tui.status.rejected", []hecha.Status{hecha.StatusRejected}},
	{"tui.status.conflict", []hecha.Status{hecha.StatusConflict}},
	{"tui.status.all", nil},
}

// listKinds are the kind filter's values in turn.
var listKinds = []hecha.Kind{"", hecha.KindCrossProvince, hecha.KindInProvince, hecha.KindMismatch}

// Messages owned by the list.
type (
	summariesMsg struct {
		gen int
		ix  *caseIndex
		err error
	}
	// caseStatusMsg says a case's status changed here (a draft or a result
	// saved), so its row changes without reloading every summary.
	caseStatusMsg struct {
		id     string
		status hecha.Status
		form   hecha.Form
		// ifPending applies the change only to a case not verified yet (a
		// first draft; a correction's draft leaves the status).
		ifPending bool
		// issues is, for a draft, the problems it would meet if saved.
		issues int
	}
)

func (summariesMsg) owner() screenID  { return scrList }
func (caseStatusMsg) owner() screenID { return scrList }

// listModel is the case list. It holds every summary in memory and
// renders only the rows on screen; moving the cursor or a page is O(1),
// and a search keystroke that extends the query narrows the previous
// matches instead of scanning everything again.
type listModel struct {
	env   *env
	keys  listKeys
	skeys searchKeys

	ix      *caseIndex
	loading bool
	gen     int

	tab     int
	kind    int        // index into listKinds
	village hecha.Code // "": every village; noVillage: cases not at village level
	vpick   villagePicker
	base    []int32
	// counts are the cases of each status the kind and village filters
	// select, for the tabs' counts.
	counts map[hecha.Status]int
	shown  []int32
	query  string // the normalised query applied to view
	input  []rune // the search box's text
	search bool   // the search box has focus

	cursor, offset int
	rows           int // rows of cases on screen
	draftIssues    map[string]int
}

func newListModel(e *env) listModel {
	return listModel{env: e, keys: newListKeys(e), skeys: newSearchKeys(e), rows: 15}
}

// load reads every summary and builds the index, in a command.
func (l listModel) load() (listModel, tea.Cmd) {
	l.gen++
	l.loading = true
	e, gen := l.env, l.gen
	return l, func() tea.Msg {
		ix, err := loadIndex(e)
		if err != nil {
			return summariesMsg{gen: gen, err: err}
		}
		// The summaries read are garbage now, more than the index holds:
		// give their memory back to the system now rather than when the
		// runtime gets round to it (a clerk's terminal has little), beside
		// the first frame of the list rather than before it.
		go debug.FreeOSMemory()
		return summariesMsg{gen: gen, ix: ix}
	}
}

// summaryWalker is a store that reads the summaries one by one
// (store.TownshipDB): the index is then built as they are read, without
// holding them all first.
type summaryWalker interface {
	EachSummary(ctx context.Context, size func(n int), f func(s *hecha.CaseSummary) error) error
}

// loadIndex reads every case's summary into a new case index.
func loadIndex(e *env) (*caseIndex, error) {
	w, ok := e.cfg.Store.(summaryWalker)
	if !ok {
		sums, err := e.cfg.Store.Summaries(e.ctx)
		if err != nil {
			return nil, err
		}
		return newCaseIndex(sums), nil
	}
	ib := newIndexBuilder(0, 0)
	// Keys take some 60 bytes a case.
	size := func(n int) { ib = newIndexBuilder(n, n*64) }
	if err := w.EachSummary(e.ctx, size, func(s *hecha.CaseSummary) error {
		ib.add(s)
		return nil
	}); err != nil {
		return nil, err
	}
	return ib.done(), nil
}

// ensureLoaded loads the summaries the first time the list opens.
func (l listModel) ensureLoaded() (listModel, tea.Cmd) {
	if l.ix != nil || l.loading {
		return l, nil
	}
	return l.load()
}

// reload reads the summaries again if the list was ever loaded.
func (l listModel) reload() (listModel, tea.Cmd) {
	if l.ix == nil && !l.loading {
		return l, nil
	}
	return l.load()
}

func (l listModel) typing() bool   { return l.search || l.vpick.open }
func (l listModel) wantsEsc() bool { return l.search || l.vpick.open || len(l.input) > 0 }

// resize sets the height the list has on screen.
func (l listModel) resize(h int) listModel {
	l.rows = max(h-3, 1)
	return l.clamp()
}

func (l listModel) update(msg tea.Msg) (listModel, tea.Cmd) {
	switch msg := msg.(type) {
	case summariesMsg:
		if msg.gen != l.gen {
			return l, nil
		}
		l.loading = false
		if msg.err != nil {
			return l, fail(msg.err)
		}
		keep := l.selectedID()
		old, oldShown, input := l.ix, l.shown, l.input
		l.ix = msg.ix
		if l.village != "" && l.village != noVillage && !slices.Contains(l.ix.villages, l.village) {
			l.village = ""
		}
		l = l.refilter()
		if old != nil {
			// A reload keeps the rows on screen, with their new states, so
			// a case does not vanish under the clerk's eyes; changing the
			// tab, a filter or the search drops them.
			l.input = input
			l = l.applyQuery()
			l.shown = mergeSorted(remap(old, oldShown, l.ix), l.shown)
		}
		l = l.selectID(keep)
		return l, checkDrafts(l.env, l.ix, l.gen)
	case draftChecksMsg:
		if msg.gen == l.gen {
			l.draftIssues = msg.issues
		}
		return l, nil
	case caseStatusMsg:
		if l.ix != nil {
			if i := l.ix.find(msg.id); i >= 0 && (!msg.ifPending || l.ix.status(i) == hecha.StatusPending) {
				// The tabs' counts follow the change; the row stays on
				// screen with its new marker until the view is filtered
				// again.
				f := l.filter()
				f.statuses = nil
				old := l.ix.status(i)
				l.ix.setStatus(i, msg.status, msg.form)
				if f.match(l.ix, i) && l.counts != nil {
					l.counts[old]--
					l.counts[msg.status]++
				}
			}
		}
		if msg.status == hecha.StatusDraft {
			if l.draftIssues == nil {
				l.draftIssues = map[string]int{}
			}
			l.draftIssues[msg.id] = msg.issues
		}
		return l, nil
	case tea.KeyMsg:
		if l.vpick.open {
			return l.villageKey(msg)
		}
		if l.search {
			return l.searchKey(msg)
		}
		return l.key(msg)
	}
	return l, nil
}

// key handles a key outside the search box.
func (l listModel) key(msg tea.KeyMsg) (listModel, tea.Cmd) {
	k := l.keys
	switch {
	case key.Matches(msg, k.Up):
		l.cursor--
	case key.Matches(msg, k.Down):
		l.cursor++
	case key.Matches(msg, k.PageUp):
		l.cursor -= l.rows
		l.offset -= l.rows
	case key.Matches(msg, k.PageDown):
		l.cursor += l.rows
		l.offset += l.rows
	case key.Matches(msg, k.Top):
		l.cursor = 0
	case key.Matches(msg, k.Bottom):
		l.cursor = len(l.shown) - 1
	case key.Matches(msg, k.NextTab):
		l.tab = (l.tab + 1) % len(listTabs)
		return l.refilter(), nil
	case key.Matches(msg, k.PrevTab):
		l.tab = (l.tab + len(listTabs) - 1) % len(listTabs)
		return l.refilter(), nil
	case key.Matches(msg, k.Kind):
		l.kind = (l.kind + 1) % len(listKinds)
		return l.refilter(), nil
	case key.Matches(msg, k.Village):
		if l.ix != nil {
			l.vpick = l.vpick.start(l)
		}
		return l, nil
	case key.Matches(msg, k.Search):
		l.search = true
	case key.Matches(msg, k.Open):
		if id := l.selectedID(); id != "" {
			return l, send(openCaseMsg{id})
		}
	case key.Matches(msg, k.Sync):
		return l, send(syncNowMsg{})
	case key.Matches(msg, k.Problems):
		return l, send(openProblemsMsg{})
	case msg.Type == tea.KeyEsc:
		// Esc with a query but no search box clears the query.
		l.input = nil
		return l.applyQuery(), nil
	case len(msg.String()) == 1 && msg.String() >= "1" && msg.String() <= "7":
		l.tab = int(msg.String()[0] - '1')
		return l.refilter(), nil
	}
	return l.clamp(), nil
}

// searchKey handles a key while the search box has focus: the query
// applies on every keystroke.
func (l listModel) searchKey(msg tea.KeyMsg) (listModel, tea.Cmd) {
	switch {
	case key.Matches(msg, l.skeys.Clear):
		l.search, l.input = false, nil
	case key.Matches(msg, l.skeys.Open):
		// The case under the cursor (the first match) opens at once.
		l.search = false
		if id := l.selectedID(); id != "" {
			return l, send(openCaseMsg{id})
		}
		return l, nil
	case key.Matches(msg, l.skeys.Done):
		l.search = false
		return l, nil
	case msg.Type == tea.KeyBackspace:
		if len(l.input) > 0 {
			l.input = l.input[:len(l.input)-1]
		}
	case msg.Type == tea.KeyCtrlU:
		l.input = nil
	case msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		l.input = append(l.input, msg.Runes...)
	default:
		return l, nil
	}
	return l.applyQuery(), nil
}

// filter returns the filter of the tab, kind and village chosen.
func (l listModel) filter() filter {
	return filter{statuses: listTabs[l.tab].statuses, kind: listKinds[l.kind], village: l.village}
}

// refilter recomputes the cases the tab and filters select, then the query.
func (l listModel) refilter() listModel {
	if l.ix == nil {
		return l
	}
	l.base = l.ix.selectAll(l.filter())
	all := l.filter()
	all.statuses = nil
	l.counts = l.ix.countStatuses(all)
	l.query = ""
	l.shown = nil
	l.cursor, l.offset = 0, 0
	return l.applyQuery()
}

// applyQuery narrows the view to the search box's query: from the current
// matches when the new query extends the applied one, else from the base.
func (l listModel) applyQuery() listModel {
	if l.ix == nil {
		return l
	}
	q := normQuery(string(l.input))
	switch {
	case q == l.query && l.shown != nil:
	case l.query != "" && strings.HasPrefix(q, l.query) && l.shown != nil:
		l.shown = l.ix.search(l.shown, l.shown, q)
	default:
		l.shown = l.ix.search(make([]int32, 0, len(l.base)), l.base, q)
	}
	l.query = q
	l.cursor, l.offset = 0, 0
	return l.clamp()
}

// clamp keeps the cursor on a row and the row on screen.
func (l listModel) clamp() listModel {
	n := len(l.shown)
	l.cursor = min(max(l.cursor, 0), max(n-1, 0))
	l.offset = min(max(l.offset, 0), max(n-l.rows, 0))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.rows {
		l.offset = l.cursor - l.rows + 1
	}
	return l
}

// selectedID returns the case id under the cursor, or "".
func (l listModel) selectedID() string {
	if l.ix == nil || l.cursor >= len(l.shown) {
		return ""
	}
	return l.ix.rows[l.shown[l.cursor]].id
}

// selectID puts the cursor on case id if it is in the view.
func (l listModel) selectID(id string) listModel {
	if id == "" || l.ix == nil {
		return l
	}
	at := l.ix.find(id)
	for n, i := range l.shown {
		if int(i) == at {
			l.cursor = n
			return l.clamp()
		}
	}
	return l
}

// markSaved shows a case as waiting for upload.
func (l listModel) markSaved(id string, form hecha.Form) listModel {
	l, _ = l.update(caseStatusMsg{id: id, status: hecha.StatusUpload, form: form})
	return l
}

func (l listModel) keyList() ([]key.Binding, [][]key.Binding) {
	k := l.keys
	if l.vpick.open {
		return []key.Binding{l.skeys.Pick, l.skeys.Close}, nil
	}
	if l.search {
		return []key.Binding{l.skeys.Open, l.skeys.Done, l.skeys.Clear}, nil
	}
	return []key.Binding{k.Open, k.Search, k.NextTab, k.Kind, k.Village},
		[][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.PrevTab, k.Sync, k.Problems}}
}

// tabCount returns how many cases tab i holds under the kind and village
// filters.
func (l listModel) tabCount(i int) int {
	n := 0
	for st, c := range l.counts {
		if listTabs[i].statuses == nil || slices.Contains(listTabs[i].statuses, st) {
			n += c
		}
	}
	return n
}

// tabLabel returns the name of tab i.
func (l listModel) tabLabel(i int) string {
	return l.env.t(listTabs[i].label)
}

// position returns "cursor/total" for the filter line.
func (l listModel) position() string {
	if len(l.shown) == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%d/%d", l.cursor+1, len(l.shown))
}

// draftChecksMsg holds, for each case with a draft, how many problems the
// draft would meet if saved as final (0: it would pass).
type draftChecksMsg struct {
	gen    int
	issues map[string]int
}

func (draftChecksMsg) owner() screenID { return scrList }

// checkDrafts counts every draft's problems, in a command.
func checkDrafts(e *env, ix *caseIndex, gen int) tea.Cmd {
	var ids []string
	for i := range ix.rows {
		if ix.status(i) == hecha.StatusDraft {
			ids = append(ids, ix.rows[i].id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return func() tea.Msg {
		issues := make(map[string]int, len(ids))
		for _, id := range ids {
			d, err := e.cfg.Store.Draft(e.ctx, id)
			if err != nil {
				continue // a draft removed meanwhile
			}
			c, err := e.cfg.Store.Case(e.ctx, id)
			if err != nil {
				continue
			}
			if d.Values != nil {
				// As the form counts them: a value it cannot read (a date
				// with no such day) is a problem even where the field may
				// be left empty.
				_, errs := check(e, c, d.Form, d.Values)
				issues[id] = len(errs)
				continue
			}
			res := d.Result
			if res == nil {
				res = &hecha.Result{CaseID: id, Form: d.Form}
			}
			issues[id] = len(hecha.DraftProblems(c, res, e.rules))
		}
		return draftChecksMsg{gen: gen, issues: issues}
	}
}

// view renders the list in w×h cells: tabs, filters, a header and only
// the rows that fit.
func (l listModel) view(w, h int) string {
	e, s := l.env, l.env.st
	lines := make([]string, 0, h)
	lines = append(lines, l.tabLine(w), l.filterLine(w))
	if l.vpick.open {
		// The village pick list takes the rows' place.
		lines = append(lines, l.villageLines(w, h-len(lines))...)
		if len(lines) > h {
			lines = lines[:h]
		}
		return joinLines(lines)
	}
	cols := l.columns(w)
	lines = append(lines, s.Dim.Render(fit(cols.header(e), w)))
	switch {
	case l.ix == nil:
		lines = append(lines, " "+e.t("tui.list.loading"))
	case len(l.shown) == 0:
		lines = append(lines, " "+e.t("tui.list.empty"))
	default:
		markers := e.markers()
		// The rows that fit; should the footer have grown since the last
		// resize, start lower so the cursor stays on screen.
		rows := max(min(l.rows, h-len(lines)), 1)
		start := max(l.offset, l.cursor-rows+1)
		end := min(start+rows, len(l.shown))
		for n := start; n < end; n++ {
			lines = append(lines, l.row(cols, markers, int(l.shown[n]), n == l.cursor, w))
		}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return joinLines(lines)
}

// tabLine shows the tabs with their counts, the active one bracketed
// (not only styled); where that is too wide, with less space between.
func (l listModel) tabLine(w int) string {
	s := l.env.st
	line := func(before, after string) (string, int) {
		var b strings.Builder
		width := 0
		for i := range listTabs {
			label := l.tabLabel(i)
			if l.ix != nil {
				label += " " + itoa(l.tabCount(i))
			}
			if i == l.tab {
				b.WriteString(s.TabActive.Render("[" + label + "]"))
				width += cellWidth(label) + 2
			} else {
				b.WriteString(before + label + after)
				width += cellWidth(label) + len(before) + len(after)
			}
		}
		return b.String(), width
	}
	if out, width := line(" ", " "); width <= w {
		return out
	}
	out, _ := line(" ", "")
	return fit(out, w)
}

// filterLine shows the kind and village filters, the search box and the
// position.
func (l listModel) filterLine(w int) string {
	e, s := l.env, l.env.st
	kind := e.t("tui.kind.all")
	if k := listKinds[l.kind]; k != "" {
		kind = e.t("tui.kind." + string(k))
	}
	village := l.villageLabel()
	left := " " + kind + s.Dot + village + s.Dot + e.t("tui.list.search")
	query := clean(string(l.input))
	if l.search {
		query += "_"
	} else if query == "" {
		query = s.Dim.Render(e.t("tui.list.search_hint"))
	}
	pos := l.position()
	room := w - cellWidth(left) - cellWidth(pos) - 1
	if room < 4 {
		return fit(left+query, w)
	}
	if l.search {
		return left + s.Input.Render(pad(query, room)) + " " + pos
	}
	return left + pad(query, room) + " " + pos
}

// listColumns are the widths of a row's columns for one terminal width.
type listColumns struct {
	state, id, name, sex, kind, birth, citizen, extra int
}

// columns fits the columns into w cells: the name at least as wide as
// 12 cells (or the widest name), then the ID number when it fits (else
// the birth date), the case's kind while every kind is listed, then the
// name grows to the widest (up to 24 cells) while the result column keeps
// 10, then the birth date beside the ID number (which holds it) if room
// is left, and the result column takes the rest. On 80 columns
// 阿依古丽·买买提 is not cut.
func (l listModel) columns(w int) listColumns {
	const resultMin = 10 // "R2 2处待改"
	e := l.env
	c := listColumns{state: max(4, cellWidth(e.t("tui.list.h.state"))), id: 12, name: 12, birth: 10, citizen: 18}
	c.sex = cellWidth(e.t("tui.list.h.sex"))
	for _, sex := range []hecha.Sex{hecha.SexMale, hecha.SexFemale} {
		c.sex = max(c.sex, cellWidth(hecha.SexCodes.Name(e.lang, string(sex))))
	}
	natural := 12
	if l.ix != nil {
		c.id = min(max(l.ix.idWidth, cellWidth(l.env.t("field.id"))), 24)
		natural = min(max(l.ix.nameWdth, 8, cellWidth(l.env.t("field.name"))), 24)
		c.name = min(natural, 12)
	}
	rest := w - (2 + c.state + 1 + c.id + 1 + c.name + 1 + c.sex + 1)
	take := func(width *int, keep int) {
		if rest >= *width+1+keep {
			rest -= *width + 1
		} else {
			*width = 0
		}
	}
	take(&c.citizen, 0)
	birthLater := c.citizen > 0
	if !birthLater {
		take(&c.birth, 0)
	}
	if listKinds[l.kind] == "" {
		c.kind = cellWidth(e.t("tui.list.h.kind"))
		for _, k := range listKinds[1:] {
			c.kind = max(c.kind, cellWidth(e.t("tui.kind.short."+string(k))))
		}
		take(&c.kind, 0)
	}
	grow := min(natural-c.name, max(rest-resultMin, 0))
	c.name += grow
	rest -= grow
	if birthLater {
		take(&c.birth, resultMin)
	}
	c.extra = max(rest, 0)
	return c
}

func (c listColumns) header(e *env) string {
	h := "  " + pad(e.t("tui.list.h.state"), c.state) + " " + pad(e.t("field.id"), c.id) + " " +
		pad(e.t("field.name"), c.name) + " " + pad(e.t("tui.list.h.sex"), c.sex) + " "
	if c.birth > 0 {
		h += pad(e.t("field.birth_date"), c.birth) + " "
	}
	if c.citizen > 0 {
		h += pad(e.t("field.citizen_id"), c.citizen) + " "
	}
	if c.kind > 0 {
		h += pad(e.t("tui.list.h.kind"), c.kind) + " "
	}
	if c.extra > 0 {
		h += pad(e.t("tui.list.h.result"), c.extra)
	}
	return h
}

// row renders case i of the index; markers are the styled state markers.
func (l listModel) row(c listColumns, markers map[hecha.Status]string, i int, cursor bool, w int) string {
	e, s := l.env, l.env.st
	ix, r := l.ix, &l.ix.rows[i]
	status := ix.status(i)
	pointer := "  "
	if cursor {
		pointer = s.Pointer + " "
	}
	marker, ok := markers[status]
	if !ok {
		marker = pad(s.Marker(e.lang, status), 4)
	}
	if c.state > 4 {
		marker += spaces(c.state - 4)
	}
	var b strings.Builder
	b.Grow(128)
	b.WriteString(pad(clean(r.id), c.id))
	b.WriteByte(' ')
	b.WriteString(pad(r.name, c.name))
	b.WriteByte(' ')
	b.WriteString(pad(hecha.SexCodes.Name(e.lang, string(ix.sex(i))), c.sex))
	b.WriteByte(' ')
	if c.birth > 0 {
		b.WriteString(pad(ix.birth(i).String(), c.birth))
		b.WriteByte(' ')
	}
	if c.citizen > 0 {
		b.WriteString(pad(clean(r.citizen), c.citizen))
		b.WriteByte(' ')
	}
	if c.kind > 0 {
		b.WriteString(pad(e.t("tui.kind.short."+string(ix.kind(i))), c.kind))
		b.WriteByte(' ')
	}
	if c.extra > 0 {
		b.WriteString(pad(l.extra(i), c.extra))
	}
	text := b.String()
	if cursor {
		text = s.Cursor.Render(text)
	}
	row := pointer + marker + " " + text
	if c.total() > w {
		return fit(row, w)
	}
	return row
}

// total is the width of a row with these columns.
func (c listColumns) total() int {
	n := 2 + c.state + 1 + c.id + 1 + c.name + 1 + c.sex + 1 + c.extra
	if c.birth > 0 {
		n += c.birth + 1
	}
	if c.citizen > 0 {
		n += c.citizen + 1
	}
	if c.kind > 0 {
		n += c.kind + 1
	}
	return n
}

// extra is the last column: the result's form and, for a draft, whether
// it would pass.
func (l listModel) extra(i int) string {
	out := string(l.ix.form(i))
	if l.ix.status(i) == hecha.StatusDraft {
		if n, ok := l.draftIssues[l.ix.rows[i].id]; ok {
			if n == 0 {
				out += " " + l.env.t("tui.list.draft_ok")
			} else {
				out += " " + l.env.t("tui.list.draft_bad", n)
			}
		}
	}
	return clean(strings.TrimSpace(out))
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.list.h.state":  {Zh: "状态", En: "state"},
	"tui.list.h.sex":    {Zh: "性别", En: "sex"},
	"tui.list.h.result": {Zh: "结果", En: "result"},
	"tui.list.h.kind":   {Zh: "类型", En: "kind"},
	"tui.kind.short.1":  {Zh: "跨省", En: "cross"},
	"tui.kind.short.2":  {Zh: "省内", En: "in-prov"},
	"tui.kind.short.3":  {Zh: "不一致", En: "mismatch"},
})
