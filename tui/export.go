package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// exportKind is what the export screen writes.
type exportKind int

// The exports.
const (
	exportWorksheet exportKind = iota // the not-verified worksheet, for door-to-door checks
	exportBatch                       // the offline batch, for the county by USB stick
)

// exportDoneMsg reports an export that ran; existsMsg that the file
// chosen exists (the clerk confirms before it is replaced).
type (
	exportDoneMsg struct {
		kind    exportKind
		n       int
		path    string // absolute
		batchID string
		err     error
	}
	exportExistsMsg struct {
		path string // as typed
		abs  string
	}
)

func (exportDoneMsg) owner() screenID   { return scrExport }
func (exportExistsMsg) owner() screenID { return scrExport }

// exportModel writes the worksheet of the cases not verified or the
// offline batch to a file the clerk names (a default in the current
// folder is offered), with the functions Config gives; the result goes to
// the message line and stays on the screen.
type exportModel struct {
	env  *env
	keys exportKeys

	kind    exportKind
	ti      textinput.Model
	names   [2]string // the name typed for each export, kept while the other is chosen
	running bool
	confirm string // the file the clerk was told exists; enter again replaces it
	last    string // what the last export did
	lastErr bool
}

func newExportModel(e *env) exportModel {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 255
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.TextStyle = e.st.Input
	return exportModel{env: e, keys: newExportKeys(e), ti: ti}
}

// available reports whether the command wired an export of kind k.
func (x exportModel) available(k exportKind) bool {
	if k == exportWorksheet {
		return x.env.cfg.ExportWorksheet != nil
	}
	return x.env.cfg.ExportBatch != nil
}

// defaultName is the file an export of kind k offers: 核查工作表-YYYYMMDD.xlsx
// or 批次-YYYYMMDD-HHMM.hecha, in the current folder.
func (x exportModel) defaultName(k exportKind) string {
	now := x.env.now()
	if k == exportWorksheet {
		return x.env.t("tui.export.worksheet_file", now.Format("20060102"))
	}
	return x.env.t("tui.export.batch_file", now.Format("20060102-1504"))
}

// open shows the screen with the first export available chosen.
func (x exportModel) open() exportModel {
	x.kind = exportWorksheet
	if !x.available(exportWorksheet) {
		x.kind = exportBatch
	}
	x.confirm, x.running = "", false
	x.names = [2]string{x.defaultName(exportWorksheet), x.defaultName(exportBatch)}
	x.ti.SetValue(x.names[x.kind])
	x.ti.CursorEnd()
	x.ti.Focus()
	return x
}

// choose switches to kind k and its own file name: the one typed for it
// before, or its default. A name typed for one export never carries over
// to the other (a batch named 批次-….hecha.xlsx).
func (x exportModel) choose(k exportKind) exportModel {
	if !x.available(k) || k == x.kind {
		return x
	}
	x.names[x.kind] = x.ti.Value()
	name := x.names[k]
	if strings.TrimSpace(name) == "" {
		name = x.defaultName(k)
	}
	x.ti.SetValue(name)
	x.ti.CursorEnd()
	x.kind, x.confirm = k, ""
	return x
}

// path returns the file to write: the name typed, a worksheet given
// .xlsx when it names no format.
func (x exportModel) path() string {
	p := strings.TrimSpace(x.ti.Value())
	if x.kind == exportWorksheet && p != "" {
		switch strings.ToLower(filepath.Ext(p)) {
		case ".xlsx", ".csv":
		default:
			p += ".xlsx"
		}
	}
	return p
}

func (x exportModel) update(msg tea.Msg) (exportModel, tea.Cmd) {
	switch msg := msg.(type) {
	case exportExistsMsg:
		if msg.path != x.path() {
			return x, nil // the name changed meanwhile
		}
		x.running, x.confirm = false, msg.path
		return x, send(noticeMsg{x.env.t("tui.export.exists", clean(msg.abs))})
	case exportDoneMsg:
		x.running = false
		return x.done(msg)
	case tea.KeyMsg:
		if x.running {
			return x, nil
		}
		k := x.keys
		switch {
		case key.Matches(msg, k.Up):
			return x.choose(exportWorksheet), nil
		case key.Matches(msg, k.Down):
			return x.choose(exportBatch), nil
		case key.Matches(msg, k.Run):
			return x.run()
		}
		before := x.ti.Value()
		var cmd tea.Cmd
		x.ti, cmd = x.ti.Update(msg)
		x.ti = cleanInput(x.ti)
		if x.ti.Value() != before {
			x.confirm = ""
		}
		return x, cmd
	}
	return x, nil
}

// run writes the file, in a command; a file that exists is replaced only
// once the clerk confirmed it.
func (x exportModel) run() (exportModel, tea.Cmd) {
	p := x.path()
	if p == "" {
		return x, fail(hecha.Invalid("file", "tui.export.no_name"))
	}
	e, kind, confirmed := x.env, x.kind, x.confirm == p
	x.running = true
	return x, func() tea.Msg {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		if !confirmed {
			if _, err := os.Stat(abs); err == nil {
				return exportExistsMsg{path: p, abs: abs}
			}
		}
		msg := exportDoneMsg{kind: kind, path: abs}
		ctx := context.WithoutCancel(e.ctx)
		if kind == exportWorksheet {
			msg.n, msg.err = e.cfg.ExportWorksheet(ctx, abs)
		} else {
			msg.n, msg.batchID, msg.err = e.cfg.ExportBatch(ctx, abs)
		}
		return msg
	}
}

// done shows what an export did, on the message line and the screen.
func (x exportModel) done(msg exportDoneMsg) (exportModel, tea.Cmd) {
	x.confirm = ""
	e := x.env
	if msg.err != nil {
		x.last, x.lastErr = e.t("tui.error", clean(hecha.ErrorMessage(msg.err, e.lang))), true
		return x, fail(msg.err)
	}
	name := clean(msg.path)
	switch {
	case msg.kind == exportWorksheet:
		x.last = e.t(countID("tui.export.worksheet_done", msg.n), msg.n, name)
	case msg.n == 0:
		x.last = e.t("tui.export.batch_none")
	default:
		x.last = e.t(countID("tui.export.batch_done", msg.n), msg.n, name, clean(msg.batchID))
	}
	x.lastErr = false
	return x, send(noticeMsg{x.last})
}

func (x exportModel) keyList() []key.Binding {
	k := x.keys
	return []key.Binding{k.Run, k.Up, k.Down}
}

func (x exportModel) view(w, h int) string {
	e, s := x.env, x.env.st
	lines := []string{" " + s.Title.Render(fit(e.t("tui.export.title"), w-1)), ""}
	for _, k := range []exportKind{exportWorksheet, exportBatch} {
		if !x.available(k) {
			continue
		}
		pointer, mark := "  ", "( )"
		if k == x.kind {
			pointer, mark = s.Pointer+" ", "(*)"
		}
		id := "tui.export.worksheet"
		if k == exportBatch {
			id = "tui.export.batch"
		}
		text := fit(pointer+mark+" "+e.t(id), w-1)
		if k == x.kind {
			text = s.LabelFocus.Render(text)
		}
		lines = append(lines, " "+text, "     "+s.Dim.Render(fit(e.t(id+".about"), w-5)))
	}
	label := e.t("tui.export.file")
	ti := x.ti
	ti.Width = max(w-cellWidth(label)-4, 8)
	lines = append(lines, "", " "+label+inputView(s, ti))
	if p := x.path(); p != strings.TrimSpace(x.ti.Value()) {
		lines = append(lines, "   "+s.Dim.Render(fit(e.t("tui.export.as", clean(p)), w-3)))
	}
	lines = append(lines, "   "+s.Dim.Render(fit(e.t("tui.export.where"), w-3)))
	switch {
	case x.running:
		lines = append(lines, "", " "+e.t("tui.export.running"))
	case x.confirm != "":
		lines = append(lines, "", " "+s.Err.Render(fit(s.ErrMark+e.t("tui.export.confirm"), w-1)))
	case x.last != "":
		st, mark := s.Notice, ""
		if x.lastErr {
			st, mark = s.Err, s.ErrMark
		}
		lines = append(lines, "")
		for _, part := range wrapText(mark+x.last, w-1) {
			lines = append(lines, " "+st.Render(part))
		}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return joinLines(lines)
}

// exportKeys are the export screen's keys.
type exportKeys struct {
	Up, Down, Run key.Binding
}

func newExportKeys(e *env) exportKeys {
	return exportKeys{
		Up:   bind(e, "↑", "tui.key.export_prev", "up", "shift+tab"),
		Down: bind(e, "↓/tab", "tui.key.export_next", "down", "tab"),
		Run:  bind(e, "enter", "tui.key.export_run", "enter"),
	}
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.key.export":             {Zh: "导出", En: "export"},
	"tui.key.export_prev":        {Zh: "上一项", En: "previous"},
	"tui.key.export_next":        {Zh: "下一项", En: "next"},
	"tui.key.export_run":         {Zh: "导出", En: "export"},
	"tui.export.title":           {Zh: "导出", En: "Export"},
	"tui.export.worksheet":       {Zh: "入户核查工作表", En: "Field worksheet"},
	"tui.export.worksheet.about": {Zh: "未核查的个案，打印后入户核查，填好后用 hecha import results 导入", En: "the cases not verified, to print for door-to-door checks; import it filled with hecha import results"},
	"tui.export.batch":           {Zh: "离线批次文件", En: "Offline batch"},
	"tui.export.batch.about":     {Zh: "等待上传的结果，用 U 盘带到县里导入", En: "the results waiting to go, to take to the county on a USB stick"},
	"tui.export.file":            {Zh: "文件名：", En: "File: "},
	"tui.export.as":              {Zh: "将写入 %v", En: "will write %v"},
	"tui.export.where":           {Zh: "不带文件夹的文件名写在当前文件夹", En: "a name without a folder goes in the current folder"},
	"tui.export.worksheet_file":  {Zh: "核查工作表-%v.xlsx", En: "worksheet-%v.xlsx"},
	"tui.export.batch_file":      {Zh: "批次-%v.hecha", En: "batch-%v.hecha"},
	"tui.export.running":         {Zh: "正在导出…", En: "Exporting…"},
	"tui.export.exists":          {Zh: "%v 已存在，再按回车覆盖，或改文件名", En: "%v exists: press enter again to replace it, or change the name"},
	"tui.export.confirm":         {Zh: "文件已存在：再按回车覆盖", En: "the file exists: press enter again to replace it"},
	"tui.export.no_name":         {Zh: "请填写文件名", En: "give a file name"},
	"tui.export.worksheet_done":  {Zh: "已导出 %d 个未核查个案到 %v", En: "exported %d cases not verified to %v"},
	"tui.export.batch_done":      {Zh: "已把 %d 个结果写入 %v（批次 %v），带到县里导入", En: "wrote %d results to %v (batch %v); take it to the county"},
	"tui.export.batch_none":      {Zh: "没有等待上传的结果，没有写文件", En: "no results are waiting to go; no file written"},
})
