package tui

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/paginator"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// openAppList returns the whole interface at w×h with the list of the
// 100,000 cases of benchStore open.
func openAppList(b *testing.B, w, h int) tea.Model {
	b.Helper()
	db, err := benchStore()
	if err != nil {
		b.Fatal(err)
	}
	m := New(context.Background(), Config{Store: db, Registry: db, Rules: testRules(b), Now: testClock})
	mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	mm, _ = mm.Update(loadStatus(m.env)())
	mm, cmd := mm.Update(openListMsg{})
	mm, _ = mm.Update(cmd())
	_ = mm.View()
	return mm
}

// tunedList is the anchor of issue 17: bubbles/list with a page-number
// paginator (its known fix for long lists) holding the same summaries,
// at w×h.
func tunedList(sums []hecha.CaseSummary, w, h int) list.Model {
	items := make([]list.Item, len(sums))
	for i := range sums {
		items[i] = listItem{&sums[i]}
	}
	d := list.NewDefaultDelegate()
	d.ShowDescription = false
	d.SetSpacing(0)
	m := list.New(items, d, w, h)
	m.Paginator.Type = paginator.Arabic
	return m
}

// BenchmarkFrame is one Down key to the whole frame at 80x24 and 200x50,
// the view the program writes out, on the 100,000 cases of benchStore,
// beside the tuned list (tunedList) doing the same in the same run.
func BenchmarkFrame(b *testing.B) {
	db, err := benchStore()
	if err != nil {
		b.Fatal(err)
	}
	sums, err := db.Summaries(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	down := keyMsg("down")
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			mm := openAppList(b, size[0], size[1])
			b.ResetTimer()
			ours := timeOps(b.N, func(int) {
				mm, _ = mm.Update(down)
				_ = mm.View()
			})
			b.StopTimer()
			tl := tunedList(sums, size[0], size[1])
			theirs := timeOps(max(b.N, 50), func(int) {
				tl, _ = tl.Update(down)
				_ = tl.View()
			})
			mean, p99 := stats(ours)
			tMean, _ := stats(theirs)
			b.ReportMetric(mean/1e3, "hecha-us/key")
			b.ReportMetric(p99/1e3, "hecha-p99-us")
			b.ReportMetric(tMean/1e3, "tuned-list-us/key")
			b.ReportMetric(tMean/mean, "x_tuned/hecha")
		})
	}
}

// keySession is the key session both lists go through before their
// memory is read: down the page, a few pages on, a search and back.
// typed marks the keys typed into the search, whose matches the tuned
// list finds in a command.
func keySession(update func(msg tea.Msg, typed bool)) {
	for range 40 {
		update(keyMsg("down"), false)
	}
	for range 10 {
		update(keyMsg("pgdown"), false)
	}
	update(keyMsg("/"), false)
	for _, r := range "zhang" {
		update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}, true)
	}
	update(keyMsg("esc"), false)
	update(keyMsg("down"), false)
}

// heapInuse returns the heap in use after a collection.
func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// BenchmarkListMemory is the heap the interface holds with the list of
// 100,000 cases open, at 200x50, after keySession, beside the tuned list
// holding the same summaries after the same session (its summaries read
// from the store count, as hecha's do). The goal is ≤ 2× the tuned list.
func BenchmarkListMemory(b *testing.B) {
	if _, err := benchStore(); err != nil {
		b.Fatal(err)
	}
	var ours, theirs uint64
	var launch time.Duration
	for b.Loop() {
		base := heapInuse()
		t0 := time.Now()
		mm := openAppList(b, 200, 50)
		launch = max(launch, time.Since(t0))
		keySession(func(msg tea.Msg, _ bool) {
			mm, _ = mm.Update(msg)
			_ = mm.View()
		})
		ours = max(ours, heapInuse()-min(base, heapInuse()))
		runtime.KeepAlive(mm)

		base = heapInuse()
		db, _ := benchStore()
		sums, err := db.Summaries(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		tl := tunedList(sums, 200, 50)
		keySession(func(msg tea.Msg, typed bool) {
			tl = runList(tl, msg, typed)
			_ = tl.View()
		})
		theirs = max(theirs, heapInuse()-min(base, heapInuse()))
		runtime.KeepAlive(tl)
	}
	b.ReportMetric(float64(ours)/(1<<20), "hecha-MB")
	b.ReportMetric(float64(theirs)/(1<<20), "tuned-list-MB")
	b.ReportMetric(float64(ours)/float64(theirs), "x_hecha/tuned")
	b.ReportMetric(float64(launch.Milliseconds()), "launch-to-list-ms")
}
