package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/codefile"
	"hecha/store"
	hsync "hecha/sync"
)

// A township with no connection exchanges files with the county instead
// (package sync describes the format):
//
//	hecha export batch -o FILE          the results the county has not answered
//	hecha import receipt FILE           the county's answer to a batch
//	hecha import cases FILE [--token T] the county's cases, registry extract and division table
//
// The files are signed with a key made from the township's token, so the
// first case file brought to a new terminal takes --token (and --clerk):
// that sets the terminal up without a server.
func init() {
	additions = append(additions,
		func(m *Main) cli.Addition {
			return cli.Addition{Parent: "export", GroupSummary: "cli.township.export.summary", Command: m.exportBatchCommand()}
		},
		func(m *Main) cli.Addition {
			return cli.Addition{Parent: "import", GroupSummary: "cli.township.import.summary", Command: m.importReceiptCommand()}
		},
		func(m *Main) cli.Addition {
			return cli.Addition{Parent: "import", GroupSummary: "cli.township.import.summary", Command: m.importCasesCommand()}
		},
	)
}

// exportBatchCommand is "export batch -o FILE".
func (m *Main) exportBatchCommand() *cli.Command {
	return &cli.Command{
		Name: "batch", Summary: "cli.township.offline.batch.summary", Help: "cli.township.offline.batch.help",
		ValueNames: map[string]string{"o": "FILE"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var out string
			fs.StringVar(&out, "o", "", hecha.T(lang, "cli.township.offline.flag.out"))
			return func(ctx context.Context, _ []string) error { return m.exportBatch(ctx, out) }
		},
	}
}

// importReceiptCommand is "import receipt FILE".
func (m *Main) importReceiptCommand() *cli.Command {
	return &cli.Command{
		Name: "receipt", Args: "FILE", Summary: "cli.township.offline.receipt.summary", Help: "cli.township.offline.receipt.help",
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			return func(ctx context.Context, args []string) error { return m.importReceipt(ctx, args[0]) }
		},
	}
}

// importCasesCommand is "import cases FILE [--token TOKEN] [--clerk NAME]".
func (m *Main) importCasesCommand() *cli.Command {
	return &cli.Command{
		Name: "cases", Args: "FILE", Summary: "cli.township.offline.cases.summary", Help: "cli.township.offline.cases.help",
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var token, clerk string
			fs.StringVar(&token, "token", "", hecha.T(lang, "cli.township.flag.token"))
			fs.StringVar(&clerk, "clerk", "", hecha.T(lang, "cli.township.flag.clerk"))
			return func(ctx context.Context, args []string) error { return m.importCases(ctx, args[0], token, clerk) }
		},
	}
}

// offlineKey returns the key of token for township.
func offlineKey(token string, township hecha.Code) (hsync.Key, error) {
	if token == "" {
		return hsync.Key{}, cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "cli.township.offline.no_token"))
	}
	id, hash, err := store.TokenSecretHash(token)
	if err != nil {
		return hsync.Key{}, cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "token", "cli.township.offline.bad_token"))
	}
	return hsync.NewKey(id, township, hash), nil
}

// refused gives a file the reader refused exit status 2: nothing changed.
func refused(err error) error {
	if hecha.ErrorCode(err) == hecha.EINVALID {
		return cli.Exit(cli.ExitUsage, err)
	}
	return err
}

// exportBatch writes every result the county has not answered to out.
func (m *Main) exportBatch(ctx context.Context, out string) error {
	if out == "" {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "cli.township.offline.need_out"))
	}
	n, h, err := m.ExportBatchFile(ctx, out)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.nothing"))
		return nil
	}
	name := cli.Sanitize(out)
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.wrote", n, name, h.ID))
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.wrote.next", name))
	return nil
}

// ExportBatchFile writes every result the county has not answered to the
// batch file at path, signed with the terminal's token, and returns how
// many it wrote and the file's header; with none waiting it writes no
// file and returns 0. The results stay waiting. It is "hecha export
// batch" without the printing, for the interface too.
//
// Errors: EINVALID (cli.township.offline.no_token) before the terminal
// has a token; EUNAVAILABLE when the file cannot be written.
func (m *Main) ExportBatchFile(ctx context.Context, path string) (int, hsync.FileHeader, error) {
	db, err := m.OpenDB(ctx)
	if err != nil {
		return 0, hsync.FileHeader{}, err
	}
	key, err := offlineKey(m.Settings.Token, m.Settings.Township)
	if err != nil {
		return 0, hsync.FileHeader{}, err
	}
	b, err := hsync.CollectBatch(ctx, db)
	if err != nil || len(b.Results) == 0 {
		return 0, hsync.FileHeader{}, err
	}
	var h hsync.FileHeader
	err = cli.WriteFileAtomic(path, func(w io.Writer) error {
		var err error
		h, err = hsync.EncodeFile(w, key, hsync.FileHeader{Kind: hsync.FileBatch}, b, m.Clock())
		return err
	})
	if err != nil {
		if hecha.ErrorCode(err) == hecha.EINVALID {
			return 0, h, err
		}
		return 0, h, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.township.offline.write", path, err)
	}
	return len(b.Results), h, nil
}

// importReceipt records the county's answers from a receipt, as a sync
// round records them, and lists the results set aside.
func (m *Main) importReceipt(ctx context.Context, path string) error {
	db, err := m.OpenDB(ctx)
	if err != nil {
		return err
	}
	key, err := offlineKey(m.Settings.Token, m.Settings.Township)
	if err != nil {
		return err
	}
	var r hsync.ReceiptFile
	h, _, err := hsync.ReadFile(ctx, path, hsync.FileReceipt, fixedKey(key), &r)
	if err != nil {
		return refused(err)
	}
	before, err := m.setAside(ctx)
	if err != nil {
		return err
	}
	rep, err := hsync.ApplyReceipt(ctx, db, r)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.receipt.done", cli.Sanitize(r.BatchID),
		h.CreatedAt.In(m.Clock().Location()).Format("2006-01-02 15:04"), rep.Accepted, rep.Duplicate, rep.Rejected, rep.Conflict))
	if rep.Kept > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.receipt.kept", rep.Kept))
	}
	if rep.Unknown > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.receipt.unknown", rep.Unknown))
	}
	items, err := db.Outbox(ctx, hecha.OutboxRejected, hecha.OutboxConflict)
	if err != nil {
		return err
	}
	// The receipt's own outcomes carry the county's messages as written.
	byID := make(map[string]hecha.Outcome, len(r.Outcomes))
	for _, o := range r.Outcomes {
		byID[o.ResultID] = o
	}
	for _, it := range items {
		if before[it.ResultID] != it.State {
			if o, ok := byID[it.ResultID]; ok {
				it.Outcome = o
			}
			m.printSetAside(it)
		}
	}
	return m.printOfflineCounts(ctx)
}

// fixedKey checks every file with k.
func fixedKey(k hsync.Key) hsync.KeyFunc {
	return func(context.Context, hsync.FileHeader) (hsync.Key, error) { return k, nil }
}

// printOfflineCounts says where the terminal's cases stand.
func (m *Main) printOfflineCounts(ctx context.Context) error {
	counts, err := m.DB.Counts(ctx)
	if err != nil {
		return err
	}
	pending, err := m.DB.Outbox(ctx, hecha.OutboxPending, hecha.OutboxSending)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.sync.counts", counts.Total(),
		counts[hecha.StatusPending]+counts[hecha.StatusDraft], counts[hecha.StatusUpload], counts[hecha.StatusDone],
		counts[hecha.StatusRejected]+counts[hecha.StatusConflict]))
	if len(pending) > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.left", len(pending)))
	}
	return nil
}

// importCases stores a case file from the county. With --token (needed
// the first time, and when the county has replaced the token) the token is
// checked against the file's signature and kept, with the file's
// township: a terminal can be set up by file alone.
func (m *Main) importCases(ctx context.Context, path, token, clerk string) error {
	db, err := m.OpenDB(ctx)
	if err != nil {
		return err
	}
	st := m.Settings
	if token == "" {
		token = st.Token
	}
	key, err := offlineKey(strings.TrimSpace(token), st.Township)
	if err != nil {
		return err
	}
	keys := func(_ context.Context, h hsync.FileHeader) (hsync.Key, error) {
		if key.Township == "" {
			// Not set up yet: the county signs only for the token's own
			// township, so a good signature vouches for the header's.
			k := key
			k.Township = h.Township
			return k, nil
		}
		return key, nil
	}
	var f hsync.CasesFile
	h, _, err := hsync.ReadFile(ctx, path, hsync.FileCases, keys, &f)
	if err != nil {
		return refused(err)
	}

	// The file vouches for the token and the township: keep them.
	newSetup := st.Township == ""
	if st.Token != strings.TrimSpace(token) || st.Township != h.Township || (clerk != "" && clerk != st.Clerk) {
		st.Token, st.Township = strings.TrimSpace(token), h.Township
		if clerk != "" {
			st.Clerk = clerk
		}
		if err := db.SaveSettings(ctx, st); err != nil {
			return err
		}
		m.Settings = st
	}
	if err := m.mergeRegions(ctx, f.Regions, f.Historic); err != nil {
		return err
	}
	if newSetup {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.setup", h.Township, cli.Sanitize(m.townshipName(h.Township))))
	}

	rep, err := hsync.ApplyCasesFile(ctx, db, &f)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.cases.done", rep.Cases, rep.Registry, cli.Sanitize(path),
		h.CreatedAt.In(m.Clock().Location()).Format("2006-01-02 15:04")))
	for _, s := range rep.Skipped {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.cases.skipped", cli.Sanitize(s.ID),
			cli.Sanitize(hecha.ErrorMessage(s.Errors, m.Lang))))
	}
	if rep.Gap {
		cur, _ := db.Settings(ctx)
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.cases.gap", h.Township, cur.Cursor, cur.RegistryCursor))
	}
	return m.printOfflineCounts(ctx)
}

// townshipName is the full name of a township from the division table, or
// a note that it is unknown.
func (m *Main) townshipName(c hecha.Code) string {
	if name := m.Rules.Divisions.FullName(c); name != "" && name != string(c) {
		return name
	}
	return hecha.T(m.Lang, "cli.township.setup.no_name")
}

// mergeRegions adds the county's division table (and historic codes) from
// a case file to the table stored in the database, as setup --regions
// does, so that the forms check division codes offline.
func (m *Main) mergeRegions(ctx context.Context, regions, historic string) error {
	if regions == "" && historic == "" {
		return nil
	}
	var fresh *hecha.DivisionTable
	if regions != "" {
		fresh = hecha.NewDivisionTable()
		if err := codefile.LoadDivisions(fresh, strings.NewReader(regions)); err != nil {
			return err
		}
	}
	added, err := m.addDivisions(ctx, fresh, []byte(historic))
	if err != nil {
		return err
	}
	if added > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.offline.regions", added))
	}
	return nil
}
