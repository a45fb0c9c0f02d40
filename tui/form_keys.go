package tui

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// enumKey: ←/→ step through the codes, enter opens the pick list, typing
// filters it.
func (f formModel) enumKey(msg tea.KeyMsg, fd field) (formModel, tea.Cmd) {
	t := fd.table(f.env)
	switch {
	case key.Matches(msg, f.keys.Left), key.Matches(msg, f.keys.Right):
		step := 1
		if key.Matches(msg, f.keys.Left) {
			step = -1
		}
		f.values[fd.path] = stepCode(t, f.values[fd.path], step)
		return f.changed()
	case msg.Type == tea.KeyEnter:
		f.pick = picker{open: true}.codes(f.env, t, "")
	case msg.Type == tea.KeyRunes:
		f.pick = picker{open: true, query: msg.Runes}.codes(f.env, t, string(msg.Runes))
		return f.pickSingleCode(fd)
	case msg.Type == tea.KeyBackspace || msg.Type == tea.KeyDelete:
		f.values[fd.path] = ""
		return f.changed()
	}
	return f, nil
}

// stepCode returns the code step places from cur in t (wrapping; from
// none, the first or last).
func stepCode(t *hecha.CodeTable, cur string, step int) string {
	n := len(t.Entries)
	if n == 0 {
		return cur
	}
	at := -1
	for i, e := range t.Entries {
		if e.Code == cur {
			at = i
		}
	}
	if at < 0 {
		if step > 0 {
			return t.Entries[0].Code
		}
		return t.Entries[n-1].Code
	}
	return t.Entries[(at+step+n)%n].Code
}

// addMember appends an empty household member and focuses its name.
func (f formModel) addMember() (formModel, tea.Cmd) {
	n := memberCount(f.values)
	f.values[pathMembers] = strconv.Itoa(n + 1)
	f.fields = visibleFields(f.form, f.values)
	name := memberFields(n)[0].path
	for i, fd := range f.fields {
		if fd.path == name {
			f.focus = i
		}
	}
	f = f.focusField()
	return f.changed()
}

// memberParts are the fields of a household member, by path suffix.
var memberParts = []string{"name", "relationship", "sex", "birth_date", "citizen_id"}

// delMember removes member i, moving the later ones up.
func (f formModel) delMember(i int) (formModel, tea.Cmd) {
	n := memberCount(f.values)
	at := func(j int, part string) string { return pathMembers + "[" + strconv.Itoa(j) + "]." + part }
	for j := i; j < n; j++ {
		for _, part := range memberParts {
			if j+1 < n {
				f.values[at(j, part)] = f.values[at(j+1, part)]
			} else {
				delete(f.values, at(j, part))
			}
		}
	}
	f.values[pathMembers] = strconv.Itoa(n - 1)
	f = f.recheck().focusField()
	return f.changed()
}
