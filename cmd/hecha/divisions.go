package main

import (
	"bytes"
	"context"
	"fmt"

	"hecha"
	"hecha/codefile"
	hsync "hecha/sync"
)

// The township's division table lives in its database. It comes from the
// county: with every sync round when the county's has changed (package
// sync), right away with "hecha setup", and in an offline case file.
// "setup --regions FILE" brings one from a file instead, for a county
// that has none to give; a table from a file is marked as not the
// county's, so the next round online takes the county's again.

var _ = hecha.Register(map[string]hecha.Msg{
	"cli.township.divisions.taken":   {Zh: "已从县级服务器取得行政区划代码表（%d 个代码）", En: "took the county's division table (%d codes)"},
	"cli.township.divisions.none":    {Zh: "注意：县级服务器还没有行政区划代码表，表单暂时只检查代码格式；县里导入后，同步时会自动取得", En: "note: the county server has no division table yet, so forms check only the form of division codes; it comes with a sync once the county imports it"},
	"cli.township.divisions.current": {Zh: "行政区划代码表已是县里的最新版本（%d 个代码）", En: "the division table is the county's current one (%d codes)"},
})

// useDivisions makes the open database and m.Rules validate against t.
// Only for the headless commands, which use the database alone: the
// interface shares the table and must not see it swapped under it.
func (m *Main) useDivisions(t *hecha.DivisionTable) {
	m.DB.Rules().Divisions = t
	m.Rules.Divisions = t
}

// pullDivisions takes the county's division table through client, as a
// sync round does, and says what came of it.
func (m *Main) pullDivisions(ctx context.Context, client *hsync.Client) error {
	s := &hsync.Syncer{Store: m.DB, Client: client, Now: m.Clock}
	t, err := s.PullDivisions(ctx)
	if err != nil {
		return err
	}
	switch {
	case t != nil:
		if m.DB.Rules().Divisions == nil {
			m.useDivisions(t)
		}
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.divisions.taken", t.Len()))
	case m.Rules.Divisions == nil:
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.divisions.none"))
	default:
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.divisions.current", m.Rules.Divisions.Len()))
	}
	return nil
}

// addDivisions adds a division table that a file brought (fresh; may be
// nil) and a historic county list (may be empty) to the table stored in
// the database, and marks the stored table as not the county's. The open
// database and m.Rules see the codes at once. It returns how many codes
// were added or renamed.
func (m *Main) addDivisions(ctx context.Context, fresh *hecha.DivisionTable, historic []byte) (int, error) {
	stored, err := m.DB.Divisions(ctx)
	if err != nil {
		return 0, err
	}
	added, err := mergeDivisions(stored, fresh)
	if err != nil {
		return 0, err
	}
	newHistoric := false
	if len(historic) > 0 {
		_, old, _, err := m.DB.DivisionsCSV(ctx)
		if err != nil {
			return 0, err
		}
		newHistoric = !bytes.Equal(old, historic)
	}
	if added == 0 && !newHistoric {
		return 0, nil
	}
	if newHistoric {
		if err := m.DB.SaveHistoricDivisions(ctx, historic); err != nil {
			return 0, err
		}
		if err := codefile.LoadHistoric(stored, bytes.NewReader(historic)); err != nil {
			return 0, err
		}
	}
	if added > 0 {
		if err := m.DB.SaveDivisions(ctx, stored); err != nil {
			return 0, err
		}
	}
	if err := m.DB.SetDivisionsSource(ctx, ""); err != nil {
		return 0, err
	}
	live := m.DB.Rules().Divisions
	if live == nil {
		m.useDivisions(stored)
		return added, nil
	}
	// Changes in place, as the store makes them for a sync round.
	if _, err := mergeDivisions(live, fresh); err != nil {
		return added, err
	}
	if newHistoric {
		return added, codefile.LoadHistoric(live, bytes.NewReader(historic))
	}
	return added, nil
}

// mergeDivisions adds to dst each division of src (may be nil) that dst
// lacks or names otherwise, and returns how many.
func mergeDivisions(dst, src *hecha.DivisionTable) (int, error) {
	n := 0
	for _, d := range src.All() {
		if old, ok := dst.Lookup(d.Code); ok && old.Name == d.Name {
			continue
		}
		if err := dst.Add(d); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
