package main

import (
	"context"
	"flag"
	"fmt"

	"hecha"
	"hecha/cmd/internal/cli"
)

// tokenCommand is "token create|revoke|list".
func (m *Main) tokenCommand() *cli.Command {
	return &cli.Command{
		Name:    "token",
		Summary: "county.cli.token.summary",
		Sub: []*cli.Command{
			{
				Name: "create", Summary: "county.cli.token.create.summary", Help: "county.cli.token.create.help",
				Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
					township := fs.String("township", "", hecha.T(lang, "county.cli.flag.township"))
					return func(ctx context.Context, _ []string) error { return m.tokenCreate(ctx, *township) }
				},
			},
			{
				Name: "revoke", Args: "ID", Summary: "county.cli.token.revoke.summary", MinArgs: 1, MaxArgs: -1,
				Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
					return m.tokenRevoke
				},
			},
			{
				Name: "list", Summary: "county.cli.token.list.summary",
				Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
					all := fs.Bool("all", false, hecha.T(lang, "county.cli.flag.token.all"))
					return func(ctx context.Context, _ []string) error { return m.tokenList(ctx, *all) }
				},
			},
		},
	}
}

// tokenCreate makes a token and prints it on Stdout, alone on its line, so
// a script can take it; the warning and the description go to Stderr.
func (m *Main) tokenCreate(ctx context.Context, township string) error {
	if township == "" {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("township", "county.cli.township.required"))
	}
	code, err := hecha.ParseCode("township", township)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	db, err := m.openDB()
	if err != nil {
		return err
	}
	secret, tok, err := db.CreateToken(ctx, code)
	if err != nil {
		return err
	}
	m.audit.tokenID = tok.ID
	fmt.Fprintln(m.Stdout, secret)
	fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.token.created", tok.ID, tok.Township, cli.Sanitize(m.Rules.Divisions.FullName(tok.Township))))
	fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.token.once"))
	return nil
}

// tokenRevoke revokes each token named.
func (m *Main) tokenRevoke(ctx context.Context, ids []string) error {
	db, err := m.openDB()
	if err != nil {
		return err
	}
	byID := map[string]hecha.Token{}
	if toks, err := db.Tokens(ctx); err == nil {
		for _, t := range toks {
			byID[t.ID] = t
		}
	}
	for _, id := range ids {
		if err := db.RevokeToken(ctx, id); err != nil {
			return err
		}
		t := byID[id]
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.token.revoked", id, t.Township, cli.Sanitize(m.Rules.Divisions.FullName(t.Township))))
	}
	return nil
}

// tokenList prints the tokens in force (all with --all) as a table.
func (m *Main) tokenList(ctx context.Context, all bool) error {
	db, err := m.openDB()
	if err != nil {
		return err
	}
	toks, err := db.Tokens(ctx)
	if err != nil {
		return err
	}
	t := cli.Table{Header: []string{
		hecha.T(m.Lang, "county.cli.col.token"), hecha.T(m.Lang, "county.cli.col.township"),
		hecha.T(m.Lang, "county.cli.col.name"), hecha.T(m.Lang, "county.cli.col.created"),
		hecha.T(m.Lang, "county.cli.col.state"),
	}}
	shown := 0
	for _, tok := range toks {
		if tok.Revoked && !all {
			continue
		}
		state := hecha.T(m.Lang, "county.cli.token.active")
		if tok.Revoked {
			state = hecha.T(m.Lang, "county.cli.token.revoked_state")
		}
		t.Rows = append(t.Rows, []string{tok.ID, string(tok.Township), m.shortName(tok.Township),
			tok.CreatedAt.Local().Format("2006-01-02 15:04"), state})
		shown++
	}
	if shown == 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.token.none"))
		return nil
	}
	return t.Render(m.Stdout, m.width())
}

// shortName returns a division's own name, or its code when unknown.
func (m *Main) shortName(c hecha.Code) string {
	if m.Rules == nil {
		return string(c)
	}
	if d, ok := m.Rules.Divisions.Lookup(c); ok {
		return d.Name
	}
	return string(c)
}
