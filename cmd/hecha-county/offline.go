package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"hecha"
	"hecha/cmd/internal/cli"
	hsync "hecha/sync"
)

// The county's side of the offline files (package sync describes the
// format): a township with no connection brings a batch file, which
// "import batch" applies exactly as POST /api/v1/results would and
// answers with a signed receipt written next to it (FILE.receipt, or -o);
// "export cases" writes the township's cases, registry extract and the
// division table for "hecha import cases".
func init() {
	additions = append(additions,
		func(m *Main) cli.Addition {
			return cli.Addition{Parent: "import", Command: m.importBatchCommand()}
		},
		func(m *Main) cli.Addition {
			return cli.Addition{Parent: "export", GroupSummary: "county.cli.export.summary", Command: m.exportCasesCommand()}
		},
	)
}

// receiptSuffix is added to a batch file's name for its receipt.
const receiptSuffix = ".receipt"

// importBatchCommand is "import batch FILE [-o RECEIPT]".
func (m *Main) importBatchCommand() *cli.Command {
	return &cli.Command{
		Name: "batch", Args: "FILE", Summary: "county.cli.offline.batch.summary", Help: "county.cli.offline.batch.help",
		MinArgs: 1, MaxArgs: 1, ValueNames: map[string]string{"o": "FILE"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var out string
			fs.StringVar(&out, "o", "", hecha.T(lang, "county.cli.offline.flag.receipt"))
			return func(ctx context.Context, args []string) error { return m.importBatch(ctx, args[0], out) }
		},
	}
}

// exportCasesOptions are the flags of "export cases".
type exportCasesOptions struct {
	township, token, out string
	since, regSince      uint64
}

// exportCasesCommand is "export cases --township CODE [--since N]
// [--registry-since N] [--token ID] -o FILE".
func (m *Main) exportCasesCommand() *cli.Command {
	return &cli.Command{
		Name: "cases", Summary: "county.cli.offline.cases.summary", Help: "county.cli.offline.cases.help",
		ValueNames: map[string]string{"o": "FILE", "token": "ID", "township": "CODE"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var o exportCasesOptions
			fs.StringVar(&o.township, "township", "", hecha.T(lang, "county.cli.flag.township"))
			fs.Uint64Var(&o.since, "since", 0, hecha.T(lang, "county.cli.offline.flag.since"))
			fs.Uint64Var(&o.regSince, "registry-since", 0, hecha.T(lang, "county.cli.offline.flag.registry_since"))
			fs.StringVar(&o.token, "token", "", hecha.T(lang, "county.cli.offline.flag.token"))
			fs.StringVar(&o.out, "o", "", hecha.T(lang, "county.cli.offline.flag.out"))
			return func(ctx context.Context, _ []string) error { return m.exportCases(ctx, o) }
		},
	}
}

// tokenKeys returns the KeyFunc that checks a township's file with the
// token its header names, keeping the key it found in *found for the
// answer. An unknown token (EINVALID: the file was altered) or a revoked
// one (EUNAUTHORIZED) is refused naming the file.
func tokenKeys(db hecha.CountyStore, path string, found *hsync.Key) hsync.KeyFunc {
	return func(ctx context.Context, h hsync.FileHeader) (hsync.Key, error) {
		town, hash, err := db.TokenHash(ctx, h.TokenID)
		if err != nil {
			var e *hecha.Error
			if errors.As(err, &e) && e.MsgID == "county.token_revoked" {
				return hsync.Key{}, hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.cli.offline.token_revoked", path, h.TokenID, string(h.Township))
			}
			if hecha.ErrorCode(err) == hecha.EUNAUTHORIZED {
				// A token id the county never issued is an altered file (or
				// another county's): refused as a file is (exit 2), while a
				// revoked token is a token refused (exit 4).
				return hsync.Key{}, hecha.Errorf(hecha.EINVALID, "", "county.cli.offline.token_unknown", path, h.TokenID)
			}
			return hsync.Key{}, err
		}
		*found = hsync.NewKey(h.TokenID, town, hash)
		return *found, nil
	}
}

// importBatch verifies a township's batch file, applies its results as the
// sync API would and writes the signed receipt.
func (m *Main) importBatch(ctx context.Context, path, out string) error {
	db, err := m.openDB()
	if err != nil {
		return err
	}
	var key hsync.Key
	var b hsync.BatchFile
	h, _, err := hsync.ReadFile(ctx, path, hsync.FileBatch, tokenKeys(db, path, &key), &b)
	if err != nil {
		if hecha.ErrorCode(err) == hecha.EINVALID {
			return cli.Exit(cli.ExitUsage, err)
		}
		return err
	}
	m.audit.township, m.audit.tokenID = h.Township, h.TokenID
	for _, r := range b.Results {
		m.noteCases(r.CaseID)
	}
	outs, err := hsync.ApplyBatch(ctx, db, h.Township, b.Results)
	if err != nil {
		return err
	}
	if out == "" {
		out = path + receiptSuffix
	}
	err = cli.WriteFileAtomic(out, func(w io.Writer) error {
		_, err := hsync.EncodeFile(w, key, hsync.FileHeader{Kind: hsync.FileReceipt}, hsync.ReceiptFile{BatchID: h.ID, Outcomes: outs}, m.Clock())
		return err
	})
	if err != nil {
		// The results are applied; importing the file again writes the
		// receipt with every result a duplicate.
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.offline.receipt_write", out, err)
	}

	counts := map[hecha.ResultStatus]int{}
	for _, o := range outs {
		counts[o.Status]++
	}
	town := cli.Sanitize(m.Rules.Divisions.FullName(h.Township))
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.offline.batch.done", h.ID, h.Township, town,
		h.CreatedAt.In(m.Clock().Location()).Format("2006-01-02 15:04"), len(outs),
		counts[hecha.ResultAccepted], counts[hecha.ResultDuplicate], counts[hecha.ResultRejected], counts[hecha.ResultConflict]))
	byID := make(map[string]hecha.Result, len(b.Results))
	for _, r := range b.Results {
		byID[r.ID] = r
	}
	for _, o := range outs {
		if o.Status != hecha.ResultRejected && o.Status != hecha.ResultConflict {
			continue
		}
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.offline.batch.item."+string(o.Status), cli.Sanitize(byID[o.ResultID].CaseID), cli.Sanitize(o.ResultID)))
		for _, e := range o.Errors {
			fmt.Fprintln(m.Stdout, "  "+cli.Sanitize(hecha.ErrorMessage(e, m.Lang)))
		}
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.offline.batch.receipt", cli.Sanitize(out)))
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.offline.batch.cases", h.Township, b.Cursor, b.RegistryCursor))
	return nil
}

// exportCases writes the township's case file.
func (m *Main) exportCases(ctx context.Context, o exportCasesOptions) error {
	if o.township == "" {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("township", "county.cli.township.required"))
	}
	if o.out == "" {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "county.cli.offline.need_out"))
	}
	township, err := hecha.ParseCode("township", o.township)
	if err == nil && township.Level() != hecha.LevelTownship {
		err = hecha.Invalid("township", "county.cli.offline.not_township", o.township)
	}
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	db, err := m.openDB()
	if err != nil {
		return err
	}
	key, err := m.townshipKey(ctx, db, township, o.token)
	if err != nil {
		return err
	}
	f, err := hsync.CollectCases(ctx, db, township, o.since, o.regSince)
	if err != nil {
		return err
	}
	// The division table goes along as the sync API serves it.
	table, historic, _, err := db.DivisionsCSV(ctx)
	if err != nil {
		return err
	}
	f.Regions, f.Historic = string(table), string(historic)
	m.audit.tokenID = key.TokenID
	for _, c := range f.Cases {
		m.noteCases(c.ID)
	}
	m.noteCount(len(f.Floating) + len(f.Resident))
	err = cli.WriteFileAtomic(o.out, func(w io.Writer) error {
		_, err := hsync.EncodeFile(w, key, hsync.FileHeader{Kind: hsync.FileCases}, f, m.Clock())
		return err
	})
	if err != nil {
		if hecha.ErrorCode(err) == hecha.EINVALID {
			return err
		}
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.offline.write", o.out, err)
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.offline.cases.done", len(f.Cases), len(f.Floating)+len(f.Resident),
		township, cli.Sanitize(m.Rules.Divisions.FullName(township)), cli.Sanitize(o.out), key.TokenID))
	if f.Since != o.since || f.RegistrySince != o.regSince {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.offline.cases.restart"))
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.offline.cases.next", cli.Sanitize(o.out)))
	return nil
}

// townshipKey returns the key of the token named by id, or of the
// township's newest valid token when id is empty.
func (m *Main) townshipKey(ctx context.Context, db hecha.CountyStore, township hecha.Code, id string) (hsync.Key, error) {
	if id == "" {
		toks, err := db.Tokens(ctx)
		if err != nil {
			return hsync.Key{}, err
		}
		for _, t := range toks { // oldest first: the last valid one wins
			if t.Township == township && !t.Revoked {
				id = t.ID
			}
		}
		if id == "" {
			return hsync.Key{}, hecha.Errorf(hecha.ENOTFOUND, "township", "county.cli.offline.no_token", string(township))
		}
	}
	town, hash, err := db.TokenHash(ctx, id)
	if err != nil {
		return hsync.Key{}, err
	}
	if town != township {
		return hsync.Key{}, cli.Exit(cli.ExitUsage, hecha.Invalid("token", "county.cli.offline.token_township", id, string(town), string(township)))
	}
	return hsync.NewKey(id, town, hash), nil
}
