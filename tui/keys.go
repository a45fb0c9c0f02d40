package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"hecha"
)

// asciiArrows spells the arrow keys out for consoles without the glyphs.
var asciiArrows = strings.NewReplacer("↑", "up", "↓", "down", "←", "left", "→", "right")

// bind makes a key binding whose help text comes from the catalogue.
func bind(e *env, helpKey, descID string, keys ...string) key.Binding {
	if e.st.ASCII {
		helpKey = asciiArrows.Replace(helpKey)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, e.t(descID)))
}

// globalKeys are handled by the root model on every screen.
type globalKeys struct {
	Quit   key.Binding // ctrl+c anywhere
	Help   key.Binding // ? when not typing
	HelpF1 key.Binding // the same, shown while typing (F1 only)
	Back   key.Binding
	Sync   key.Binding // ctrl+s is save in forms, so sync is ctrl+y everywhere and s where not typing
	Toggle key.Binding // demo: cut or restore the connection
}

func newGlobalKeys(e *env, demo bool) globalKeys {
	k := globalKeys{
		Quit:   bind(e, "ctrl+c", "tui.key.quit", "ctrl+c"),
		Help:   bind(e, "?/F1", "tui.key.help", "?", "f1"),
		HelpF1: bind(e, "F1", "tui.key.help", "f1"),
		Back:   bind(e, "esc", "tui.key.back", "esc"),
		Sync:   bind(e, "ctrl+y", "tui.key.sync", "ctrl+y"),
		Toggle: bind(e, "F9", "tui.key.toggle", "f9", "ctrl+o"),
	}
	k.Toggle.SetEnabled(demo)
	return k
}

// homeKeys are the home screen's keys.
type homeKeys struct {
	List, Problems, Progress, Export, Sync, Quit key.Binding
}

func newHomeKeys(e *env) homeKeys {
	return homeKeys{
		List:     bind(e, "enter/l", "tui.key.list", "enter", "l"),
		Problems: bind(e, "p", "tui.key.problems", "p"),
		Progress: bind(e, "r", "tui.key.progress", "r"),
		Export:   bind(e, "x", "tui.key.export", "x"),
		Sync:     bind(e, "s", "tui.key.sync", "s"),
		Quit:     bind(e, "q", "tui.key.quit", "q"),
	}
}

// listKeys are the case list's keys.
type listKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextTab, PrevTab, Search, Kind, Village key.Binding
	Open, Sync, Problems                    key.Binding
}

func newListKeys(e *env) listKeys {
	return listKeys{
		Up:       bind(e, "↑/k", "tui.key.up", "up", "k"),
		Down:     bind(e, "↓/j", "tui.key.down", "down", "j"),
		PageUp:   bind(e, "pgup", "tui.key.pgup", "pgup", "ctrl+b"),
		PageDown: bind(e, "pgdn", "tui.key.pgdn", "pgdown", "ctrl+f", " "),
		Top:      bind(e, "home/g", "tui.key.top", "home", "g"),
		Bottom:   bind(e, "end/G", "tui.key.bottom", "end", "G"),
		NextTab:  bind(e, "tab", "tui.key.next_tab", "tab", "right", "l"),
		PrevTab:  bind(e, "shift+tab", "tui.key.prev_tab", "shift+tab", "left", "h"),
		Search:   bind(e, "/", "tui.key.search", "/"),
		Kind:     bind(e, "t", "tui.key.kind", "t"),
		Village:  bind(e, "v", "tui.key.village", "v"),
		Open:     bind(e, "enter", "tui.key.open", "enter"),
		Sync:     bind(e, "s", "tui.key.sync", "s"),
		Problems: bind(e, "p", "tui.key.problems", "p"),
	}
}

// searchKeys apply while the list's search box has focus.
type searchKeys struct {
	Open, Done, Clear key.Binding
	// Pick and Close apply while the village pick list is open.
	Pick, Close key.Binding
}

func newSearchKeys(e *env) searchKeys {
	return searchKeys{
		Open:  bind(e, "enter", "tui.key.open", "enter"),
		Done:  bind(e, "↓", "tui.key.search_done", "down"),
		Clear: bind(e, "esc", "tui.key.search_clear", "esc"),
		Pick:  bind(e, "enter", "tui.key.pick_village", "enter"),
		Close: bind(e, "esc", "tui.key.close", "esc"),
	}
}

// detailKeys are the case detail's keys.
type detailKeys struct {
	Up, Down, PageUp, PageDown key.Binding
	NextCand, PrevCand, None   key.Binding
	Precision, Lookup, Form    key.Binding
	History                    key.Binding
}

func newDetailKeys(e *env) detailKeys {
	return detailKeys{
		Up:        bind(e, "↑/k", "tui.key.scroll_up", "up", "k"),
		Down:      bind(e, "↓/j", "tui.key.scroll_down", "down", "j"),
		PageUp:    bind(e, "pgup", "tui.key.pgup", "pgup", "ctrl+b"),
		PageDown:  bind(e, "pgdn", "tui.key.pgdn", "pgdown", "ctrl+f", " "),
		NextCand:  bind(e, "→/n", "tui.key.next_cand", "right", "n", "tab"),
		PrevCand:  bind(e, "←/b", "tui.key.prev_cand", "left", "b", "shift+tab"),
		None:      bind(e, "0", "tui.key.none", "0", "x"),
		Precision: bind(e, "d", "tui.key.precision", "d"),
		Lookup:    bind(e, "/", "tui.key.lookup", "/"),
		Form:      bind(e, "enter/f", "tui.key.form", "enter", "f"),
		History:   bind(e, "h", "tui.key.history", "h"),
	}
}

// formKeys are the result form's keys. Letters are typed into the fields,
// so everything else is a control or function key.
type formKeys struct {
	Next, Prev, Save, Left, Right, Toggle key.Binding
	Pick, AddMember, DelMember            key.Binding
}

func newFormKeys(e *env) formKeys {
	return formKeys{
		Next:      bind(e, "tab/↓", "tui.key.next_field", "tab", "down"),
		Prev:      bind(e, "shift+tab/↑", "tui.key.prev_field", "shift+tab", "up"),
		Save:      bind(e, "ctrl+s", "tui.key.save", "ctrl+s"),
		Left:      bind(e, "←/→", "tui.key.choose", "left"),
		Right:     key.NewBinding(key.WithKeys("right")),
		Toggle:    bind(e, "space", "tui.key.toggle_check", " "),
		Pick:      bind(e, "enter", "tui.key.pick", "enter"),
		AddMember: bind(e, "ctrl+n", "tui.key.add_member", "ctrl+n"),
		DelMember: bind(e, "ctrl+d", "tui.key.del_member", "ctrl+d"),
	}
}

// problemsKeys are the rejected/conflict screen's keys.
type problemsKeys struct {
	Up, Down, Open, Sync key.Binding
}

func newProblemsKeys(e *env) problemsKeys {
	return problemsKeys{
		Up:   bind(e, "↑/k", "tui.key.up", "up", "k"),
		Down: bind(e, "↓/j", "tui.key.down", "down", "j"),
		Open: bind(e, "enter", "tui.key.open", "enter"),
		Sync: bind(e, "s", "tui.key.sync", "s"),
	}
}

// historyKeys are the history screen's keys: ↑/↓ choose the version
// whose content shows, the page keys scroll.
type historyKeys struct {
	Up, Down, PageUp, PageDown key.Binding
}

func newHistoryKeys(e *env) historyKeys {
	return historyKeys{
		Up:       bind(e, "↑/k", "tui.key.newer", "up", "k"),
		Down:     bind(e, "↓/j", "tui.key.older", "down", "j"),
		PageUp:   bind(e, "pgup", "tui.key.pgup", "pgup", "ctrl+b"),
		PageDown: bind(e, "pgdn", "tui.key.pgdn", "pgdown", "ctrl+f", " "),
	}
}

// keyMap is one screen's keys and the global ones, for bubbles/help.
type keyMap struct {
	short []key.Binding
	full  [][]key.Binding
}

// ShortHelp implements help.KeyMap.
func (k keyMap) ShortHelp() []key.Binding { return k.short }

// FullHelp implements help.KeyMap.
func (k keyMap) FullHelp() [][]key.Binding { return k.full }

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.key.quit":         {Zh: "退出", En: "quit"},
	"tui.key.help":         {Zh: "全部按键", En: "all keys"},
	"tui.key.back":         {Zh: "返回", En: "back"},
	"tui.key.sync":         {Zh: "立即同步", En: "sync now"},
	"tui.key.toggle":       {Zh: "演示：断开/恢复连接", En: "demo: cut/restore connection"},
	"tui.key.list":         {Zh: "个案列表", En: "cases"},
	"tui.key.problems":     {Zh: "退回/冲突", En: "problems"},
	"tui.key.up":           {Zh: "上", En: "up"},
	"tui.key.down":         {Zh: "下", En: "down"},
	"tui.key.pgup":         {Zh: "上一页", En: "page up"},
	"tui.key.pgdn":         {Zh: "下一页", En: "page down"},
	"tui.key.top":          {Zh: "第一条", En: "first"},
	"tui.key.bottom":       {Zh: "最后一条", En: "last"},
	"tui.key.next_tab":     {Zh: "下一类", En: "next tab"},
	"tui.key.prev_tab":     {Zh: "上一类", En: "previous tab"},
	"tui.key.search":       {Zh: "搜索", En: "search"},
	"tui.key.kind":         {Zh: "类型", En: "kind"},
	"tui.key.village":      {Zh: "村", En: "village"},
	"tui.key.open":         {Zh: "打开", En: "open"},
	"tui.key.search_done":  {Zh: "到列表", En: "to the list"},
	"tui.key.search_clear": {Zh: "清空搜索", En: "clear search"},
	"tui.key.scroll_up":    {Zh: "上滚", En: "scroll up"},
	"tui.key.scroll_down":  {Zh: "下滚", En: "scroll down"},
	"tui.key.next_cand":    {Zh: "下一个候选", En: "next candidate"},
	"tui.key.prev_cand":    {Zh: "上一个候选", En: "previous candidate"},
	"tui.key.none":         {Zh: "不选候选", En: "pick none"},
	"tui.key.precision":    {Zh: "换比对精度", En: "other precision"},
	"tui.key.lookup":       {Zh: "手工查找", En: "look up"},
	"tui.key.form":         {Zh: "填写结果", En: "fill in the result"},
	"tui.key.history":      {Zh: "历史", En: "history"},
	"tui.key.pick_village": {Zh: "选定这个村", En: "take this village"},
	"tui.key.close":        {Zh: "关闭", En: "close"},
	"tui.key.newer":        {Zh: "较新的一次", En: "newer"},
	"tui.key.older":        {Zh: "较早的一次", En: "older"},
	"tui.key.next_field":   {Zh: "下一项", En: "next field"},
	"tui.key.prev_field":   {Zh: "上一项", En: "previous field"},
	"tui.key.save":         {Zh: "保存结果", En: "save result"},
	"tui.key.choose":       {Zh: "选择", En: "choose"},
	"tui.key.toggle_check": {Zh: "勾选", En: "check"},
	"tui.key.pick":         {Zh: "选定区划", En: "pick division"},
	"tui.key.add_member":   {Zh: "加成员", En: "add member"},
	"tui.key.del_member":   {Zh: "删成员", En: "remove member"},
})
