package main

import (
	"context"
	"flag"
	"fmt"

	"hecha"
	"hecha/cmd/internal/cli"
	hsync "hecha/sync"
)

// syncCommand is "sync": one round with the county server.
func (m *Main) syncCommand() *cli.Command {
	return &cli.Command{
		Name: "sync", Summary: "cli.township.sync.summary", Help: "cli.township.sync.help",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			return func(ctx context.Context, _ []string) error { return m.sync(ctx) }
		},
	}
}

// sync runs one round: push the outbox, pull cases and the registry
// extract, and say what happened, listing each result the county rejected
// or found in conflict this round with its messages.
func (m *Main) sync(ctx context.Context) error {
	s, err := m.NewSyncer(ctx)
	if err != nil {
		return err
	}
	defer s.Client.CloseIdle()
	before, err := m.setAside(ctx)
	if err != nil {
		return err
	}
	rep, err := s.Round(ctx)
	if err == nil || rep.Moved() {
		// A round refused or cut off before anything moved says only
		// why (a pinned certificate that does not match, a revoked
		// token, no server), not that it moved nothing.
		m.printReport(rep)
	}
	if err != nil {
		return syncExit(err)
	}
	items, err := m.DB.Outbox(ctx, hecha.OutboxRejected, hecha.OutboxConflict)
	if err != nil {
		return err
	}
	older := 0
	for _, it := range items {
		if before[it.ResultID] == it.State {
			older++
			continue
		}
		m.printSetAside(it)
	}
	if older > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.sync.older", older))
	}
	counts, err := m.DB.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.sync.counts", counts.Total(),
		counts[hecha.StatusPending]+counts[hecha.StatusDraft], counts[hecha.StatusUpload], counts[hecha.StatusDone],
		counts[hecha.StatusRejected]+counts[hecha.StatusConflict]))
	return nil
}

// setAside returns the results already set aside (rejected or in
// conflict) before the round, by result id.
func (m *Main) setAside(ctx context.Context) (map[string]hecha.OutboxState, error) {
	items, err := m.DB.Outbox(ctx, hecha.OutboxRejected, hecha.OutboxConflict)
	if err != nil {
		return nil, err
	}
	out := make(map[string]hecha.OutboxState, len(items))
	for _, it := range items {
		out[it.ResultID] = it.State
	}
	return out, nil
}

// printReport says what the round did.
func (m *Main) printReport(r hsync.Report) {
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.sync.pushed", r.Pushed, r.Accepted, r.Duplicate, r.Rejected, r.Conflict))
	if r.Unanswered > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.sync.unanswered", r.Unanswered))
	}
	if r.Requeued > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.sync.requeued", r.Requeued))
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.sync.pulled", r.PulledCases, r.PulledRegistry, cli.FileSize(r.Bytes)))
	if r.Divisions != nil {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.divisions.taken", r.Divisions.Len()))
	}
}

// printSetAside lists one rejected or conflicting result with the
// county's messages, one line each.
func (m *Main) printSetAside(it hecha.OutboxItem) {
	state := hecha.T(m.Lang, "cli.township.sync.rejected")
	if it.State == hecha.OutboxConflict {
		state = hecha.T(m.Lang, "cli.township.sync.conflict")
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.sync.item", state, cli.Sanitize(it.CaseID), cli.Sanitize(it.ResultID)))
	for _, e := range it.Outcome.Errors {
		fmt.Fprintln(m.Stdout, "  "+cli.Sanitize(hecha.ErrorMessage(e, m.Lang)))
	}
}

// syncExit gives a failed round its exit status: unreachable (also when
// the server asks to wait too long) or token refused; others as usual.
func syncExit(err error) error {
	switch hecha.ErrorCode(err) {
	case hecha.EUNAVAILABLE, hecha.ETOOMANY:
		return cli.Exit(cli.ExitUnreachable, err)
	case hecha.EUNAUTHORIZED:
		return cli.Exit(cli.ExitUnauthorized, err)
	}
	return err
}
