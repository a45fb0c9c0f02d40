package tui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/paginator"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"hecha"
	"hecha/store"
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
		full, initials := hecha.NamePinyinKeys(name) // as the store keeps them
		birth := hecha.NewDate(1950+r.IntN(55), time.Month(1+r.IntN(12)), 1+r.IntN(28))
		sex, seq := hecha.SexMale, 2*r.IntN(500)+1 // odd for men
		if r.IntN(2) == 0 {
			sex, seq = hecha.SexFemale, seq-1
		}
		st := hecha.StatusPending
		if x := r.IntN(10); x >= 6 {
			st = hecha.Statuses[x-5]
		}
		out[i] = hecha.CaseSummary{
			ID: fmt.Sprintf("410102%09d", i), Kind: hecha.KindCrossProvince, Name: name, Pinyin: full, Initials: initials,
			CitizenID: citizenID("410102", birth.Compact(), fmt.Sprintf("%03d", seq)),
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

// runList delivers msg to a bubbles list; with matches it then waits for
// the filter's answer (the filter runs in a command) and delivers it.
// Other commands (the spinner's and the cursor's ticks) are dropped.
func runList(m list.Model, msg tea.Msg, matches bool) list.Model {
	m, cmd := m.Update(msg)
	if !matches {
		return m
	}
	ch := make(chan tea.Msg, 64)
	var launch func(tea.Cmd)
	launch = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			r := c()
			if b, ok := r.(tea.BatchMsg); ok {
				for _, c := range b {
					launch(c)
				}
				return
			}
			ch <- r
		}()
	}
	launch(cmd)
	for r := range ch {
		if fm, ok := r.(list.FilterMatchesMsg); ok {
			m, _ = m.Update(fm)
			return m
		}
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
		m = runList(m, keyMsg("/"), false)
		return func(i int) {
			if i%len(word) == 0 {
				m.ResetFilter()
				m = runList(m, keyMsg("/"), false)
			}
			m = runList(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{word[i%len(word)]}}, true)
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

// benchStore returns a township store holding n generated cases, built
// once per process in a temporary folder (it takes a while).
var benchStore = sync.OnceValues(func() (*store.TownshipDB, error) {
	dir, err := os.MkdirTemp("", "hecha-bench-")
	if err != nil {
		return nil, err
	}
	rules, err := fixtureRules()
	if err != nil {
		return nil, err
	}
	db, err := store.OpenTownship(filepath.Join(dir, "hecha.db"), store.WithRules(rules),
		store.WithNow(func() time.Time { return testNow }), store.WithNoSync())
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := db.SaveSettings(ctx, hecha.Settings{Township: "410102001"}); err != nil {
		return nil, err
	}
	sums := benchData()
	batch := make([]hecha.Case, 0, 2000)
	for i := range sums {
		s := &sums[i]
		batch = append(batch, hecha.Case{ID: s.ID, Kind: hecha.KindCrossProvince, Unit: "410102001",
			Person: hecha.Person{Name: s.Name, Sex: s.Sex, BirthDate: s.BirthDate, CitizenID: s.CitizenID,
				HouseholdDivision: hecha.Code("41010200100" + string(rune('1'+i%2))), CurrentDivision: "440305",
				HouseholdAddress: "林山寨村3组", CurrentAddress: "深圳市南山区科技园1号"}})
		if len(batch) == cap(batch) || i == len(sums)-1 {
			if err := db.ApplyCases(ctx, batch, uint64(i)); err != nil {
				return nil, err
			}
			batch = batch[:0]
		}
	}
	return db, nil
})

// BenchmarkStartup is start-up to the first frame with 100,000 cases in
// the store: the root model, the status read, the home screen drawn; and
// then opening the list: every summary read, indexed and the first list
// frame drawn. It reports the heap and the memory taken from the system
// once the list is loaded.
func BenchmarkStartup(b *testing.B) {
	db, err := benchStore()
	if err != nil {
		b.Fatal(err)
	}
	rules := testRules(b)
	var home, list []time.Duration
	var m Model
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		t0 := time.Now()
		m = New(context.Background(), Config{Store: db, Registry: db, Rules: rules, Now: testClock})
		mm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		mm, _ = mm.Update(loadStatus(m.env)())
		_ = mm.View()
		t1 := time.Now()
		mm, cmd := mm.Update(openListMsg{})
		mm, _ = mm.Update(cmd())
		_ = mm.View()
		t2 := time.Now()
		home, list = append(home, t1.Sub(t0)), append(list, t2.Sub(t1))
		m = mm.(Model)
	}
	b.StopTimer()
	if !strings.Contains(ansi.Strip(m.View()), "1/") {
		b.Fatal("the list did not load")
	}
	hMean, hP99 := stats(home)
	lMean, lP99 := stats(list)
	b.ReportMetric(hMean/1e6, "home-ms")
	b.ReportMetric(hP99/1e6, "home-p99-ms")
	b.ReportMetric(lMean/1e6, "list-ms")
	b.ReportMetric(lP99/1e6, "list-p99-ms")
	// The memory the loaded interface holds: the heap beyond what the
	// benchmark itself held before (its generated cases), and the whole
	// process's RSS as an upper bound.
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/(1<<20), "tui-heap-MB")
	if rss, ok := processRSS(); ok {
		b.ReportMetric(rss/(1<<20), "process-rss-MB")
	}
	runtime.KeepAlive(m)
}

// processRSS reads the resident set size from /proc (Linux only).
func processRSS() (float64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb); err == nil {
				return kb * 1024, true
			}
		}
	}
	return 0, false
}
