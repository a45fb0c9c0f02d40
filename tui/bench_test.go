package tui

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/paginator"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// benchCases is the size of the benchmarks' case list.
const benchCases = 100_000

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	givens   = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红梅玉兰海燕文斌鹏辉宇浩晨欣怡子涵俊杰雨轩梓萱佳琪博文")
)

// benchSummaries returns n synthetic case summaries in case id order, with
// Chinese names, their pinyin keys and valid-looking ID numbers, in every
// status.
func benchSummaries(n int) []hecha.CaseSummary {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]hecha.CaseSummary, n)
	for i := range out {
		name := string(surnames[r.IntN(len(surnames))]) + string(givens[r.IntN(len(givens))])
		if r.IntN(2) == 0 {
			name += string(givens[r.IntN(len(givens))])
		}
		full, initials := hecha.PinyinKeys(name)
		birth := hecha.NewDate(1950+r.IntN(55), time.Month(1+r.IntN(12)), 1+r.IntN(28))
		sex := hecha.SexMale
		if r.IntN(2) == 0 {
			sex = hecha.SexFemale
		}
		st := hecha.StatusPending
		if x := r.IntN(10); x >= 6 {
			st = hecha.Statuses[x-5]
		}
		out[i] = hecha.CaseSummary{
			ID: fmt.Sprintf("410102%09d", i), Kind: hecha.KindCrossProvince, Name: name, Pinyin: full, Initials: initials,
			CitizenID: citizenID("410102", birth.Compact(), fmt.Sprintf("%03d", r.IntN(1000))),
			Sex:       sex, BirthDate: birth, Unit: "410102001",
			Village: hecha.Code(fmt.Sprintf("410102001%03d", 1+r.IntN(20))), Status: st,
		}
	}
	return out
}

// benchData is built once for all benchmarks.
var benchData = sync.OnceValue(func() []hecha.CaseSummary { return benchSummaries(benchCases) })

// benchList returns a loaded list model on the 全部 tab.
func benchList(sums []hecha.CaseSummary) listModel {
	e := &env{lang: hecha.Chinese, st: NewStyles(false), rules: &hecha.Rules{}}
	l := newListModel(e).resize(21)
	l, _ = l.update(summariesMsg{gen: l.gen, ix: newCaseIndex(slices.Clone(sums))})
	l.tab = len(listTabs) - 1
	return l.refilter()
}

// listItem is a case in bubbles/list.
type listItem struct{ s *hecha.CaseSummary }

func (i listItem) FilterValue() string {
	return i.s.Name + " " + i.s.Pinyin + " " + i.s.Initials + " " + i.s.CitizenID + " " + i.s.ID
}
func (i listItem) Title() string       { return i.s.ID + " " + i.s.Name }
func (i listItem) Description() string { return i.s.CitizenID }

// bubblesList returns bubbles/list.Model holding the same cases at 80x21;
// arabic switches its paginator to page numbers (its known fix for long
// lists).
func bubblesList(sums []hecha.CaseSummary, arabic bool) list.Model {
	items := make([]list.Item, len(sums))
	for i := range sums {
		items[i] = listItem{&sums[i]}
	}
	d := list.NewDefaultDelegate()
	d.ShowDescription = false
	d.SetSpacing(0)
	m := list.New(items, d, 80, 21)
	if arabic {
		m.Paginator.Type = paginator.Arabic
	}
	return m
}

// runList delivers msg to a bubbles list and the messages of the commands
// it returns (the filter runs in a command).
func runList(m list.Model, msg tea.Msg) list.Model {
	m, cmd := m.Update(msg)
	for cmd != nil {
		next := cmd()
		if b, ok := next.(tea.BatchMsg); ok {
			var cmds []tea.Cmd
			for _, c := range b {
				if c != nil {
					if r := c(); r != nil {
						m, c = m.Update(r)
						cmds = append(cmds, c)
					}
				}
			}
			cmd = tea.Batch(cmds...)
			if len(cmds) == 0 {
				cmd = nil
			}
			continue
		}
		if next == nil {
			break
		}
		m, cmd = m.Update(next)
	}
	return m
}

// timeOps returns each op's duration over n runs.
func timeOps(n int, op func(i int)) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		t0 := time.Now()
		op(i)
		out[i] = time.Since(t0)
	}
	return out
}

// stats returns the mean and the 99th percentile.
func stats(ds []time.Duration) (mean, p99 float64) {
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return float64(sum) / float64(len(s)), float64(s[min(len(s)*99/100, len(s)-1)])
}

// compare reports hecha's mean and p99 beside both bubbles/list set-ups,
// and how many times slower each of them is.
func compare(b *testing.B, ours []time.Duration, dots, arabic func(i int), nDots, nArabic int) {
	mean, p99 := stats(ours)
	dMean, _ := stats(timeOps(nDots, dots))
	aMean, _ := stats(timeOps(nArabic, arabic))
	b.ReportMetric(mean, "hecha-ns/key")
	b.ReportMetric(p99, "hecha-p99-ns")
	b.ReportMetric(dMean, "list-dots-ns/key")
	b.ReportMetric(aMean, "list-arabic-ns/key")
	b.ReportMetric(dMean/mean, "x-dots/hecha")
	b.ReportMetric(aMean/mean, "x-arabic/hecha")
}

// BenchmarkCursorMove is one cursor move to the finished view.
func BenchmarkCursorMove(b *testing.B) {
	sums := benchData()
	l := benchList(sums)
	down := keyMsg("down")
	b.ResetTimer()
	ours := timeOps(b.N, func(i int) {
		if l.cursor >= len(l.shown)-1 {
			l.cursor = 0
		}
		l, _ = l.update(down)
		_ = l.view(80, 21)
	})
	b.StopTimer()
	dl, al := bubblesList(sums, false), bubblesList(sums, true)
	compare(b, ours,
		func(int) { dl, _ = dl.Update(down); _ = dl.View() },
		func(int) { al, _ = al.Update(down); _ = al.View() }, 20, 500)
}

// BenchmarkPageMove is one page move to the finished view.
func BenchmarkPageMove(b *testing.B) {
	sums := benchData()
	l := benchList(sums)
	pg := keyMsg("pgdown")
	b.ResetTimer()
	ours := timeOps(b.N, func(i int) {
		if l.cursor >= len(l.shown)-l.rows {
			l.cursor, l.offset = 0, 0
		}
		l, _ = l.update(pg)
		_ = l.view(80, 21)
	})
	b.StopTimer()
	dl, al := bubblesList(sums, false), bubblesList(sums, true)
	compare(b, ours,
		func(int) { dl, _ = dl.Update(pg); _ = dl.View() },
		func(int) { al, _ = al.Update(pg); _ = al.View() }, 20, 500)
}

// BenchmarkSearchKeystroke types a pinyin name, "zhang", one keystroke at
// a time (each to the finished view), starting over after the last.
func BenchmarkSearchKeystroke(b *testing.B) {
	sums := benchData()
	l := benchList(sums)
	l, _ = l.update(keyMsg("/"))
	word := []rune("zhang")
	b.ResetTimer()
	ours := timeOps(b.N, func(i int) {
		if i%len(word) == 0 {
			l, _ = l.update(keyMsg("ctrl+u"))
		}
		l, _ = l.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{word[i%len(word)]}})
		_ = l.view(80, 21)
	})
	b.StopTimer()
	// Only the first keystroke scans every case; report it alone too.
	first := timeOps(20, func(int) {
		l, _ = l.update(keyMsg("ctrl+u"))
		l, _ = l.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'z'}})
		_ = l.view(80, 21)
	})
	fMean, fP99 := stats(first)
	b.ReportMetric(fMean, "hecha-first-key-ns")
	b.ReportMetric(fP99, "hecha-first-key-p99-ns")
	search := func(m list.Model) func(int) {
		m = runList(m, keyMsg("/"))
		return func(i int) {
			if i%len(word) == 0 {
				m.ResetFilter()
				m = runList(m, keyMsg("/"))
			}
			m = runList(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{word[i%len(word)]}})
			_ = m.View()
		}
	}
	compare(b, ours, search(bubblesList(sums, false)), search(bubblesList(sums, true)), 5, 5)
}

// BenchmarkListLoad is building the index of 100,000 summaries and the
// first frame of the list, with the memory it holds.
func BenchmarkListLoad(b *testing.B) {
	sums := benchData()
	var l listModel
	for b.Loop() {
		l = benchList(sums)
		_ = l.view(80, 21)
	}
	b.StopTimer()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	held := benchList(benchSummaries(benchCases))
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc))/(1<<20), "MB-held")
	b.ReportMetric(float64(after.Sys)/(1<<20), "MB-sys")
	runtime.KeepAlive(held)
	runtime.KeepAlive(l)
}
