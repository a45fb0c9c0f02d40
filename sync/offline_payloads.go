package sync

import (
	"context"
	"fmt"

	"hecha"
)

// What each kind of offline file carries (the file's envelope, header and
// signature are in offline.go), collected on the side that writes it and
// applied on the side that reads it.

// BatchFile is the payload of a batch file: the township's results the
// county has not acknowledged, oldest first (a correction after the result
// it replaces), and how far the township had pulled when it wrote them, so
// the county can send just the changes since (see CollectCases).
type BatchFile struct {
	Results        []hecha.Result `json:"results"`
	Cursor         uint64         `json:"cursor"`
	RegistryCursor uint64         `json:"registry_cursor"`
}

// ReceiptFile is the payload of a receipt: the county's outcome for each
// result of the batch file BatchID, in the batch's order, exactly as POST
// /api/v1/results would have answered them.
type ReceiptFile struct {
	BatchID  string          `json:"batch_id"`
	Outcomes []hecha.Outcome `json:"outcomes"`
}

// CasesFile is the payload of a case file: the township's cases changed
// after Since up to Next and its registry extract changed after
// RegistrySince up to RegistryNext, in the county's change order (Since 0:
// everything), and the county's division table as the CSV that
// codefile.WriteDivisions writes (Regions; Historic the historic
// county codes), so that a township with no connection has it too.
type CasesFile struct {
	Since         uint64                 `json:"since"`
	Next          uint64                 `json:"next"`
	RegistrySince uint64                 `json:"registry_since"`
	RegistryNext  uint64                 `json:"registry_next"`
	Cases         []hecha.Case           `json:"cases"`
	Floating      []hecha.FloatingRecord `json:"floating"`
	Resident      []hecha.ResidentRecord `json:"resident"`
	Regions       string                 `json:"regions,omitempty"`
	Historic      string                 `json:"historic,omitempty"`
}

// BatchSource is what CollectBatch reads from the township's database
// (store.TownshipDB).
type BatchSource interface {
	Settings(ctx context.Context) (hecha.Settings, error)
	Outbox(ctx context.Context, states ...hecha.OutboxState) ([]hecha.OutboxItem, error)
	Result(ctx context.Context, id string) (*hecha.ResultVersion, error)
}

// CollectBatch returns everything in the outbox the county has not
// answered — pending and sending items, oldest first — as a batch, with
// the township's cursors. It changes nothing: the items stay where they
// are until a receipt (or a sync) answers them, since a file may never
// arrive. Rejected and conflicting results are not included: the clerk
// fixes them and saves a new result, which is.
func CollectBatch(ctx context.Context, src BatchSource) (BatchFile, error) {
	st, err := src.Settings(ctx)
	if err != nil {
		return BatchFile{}, err
	}
	items, err := src.Outbox(ctx, hecha.OutboxPending, hecha.OutboxSending)
	if err != nil {
		return BatchFile{}, err
	}
	b := BatchFile{Results: make([]hecha.Result, 0, len(items)), Cursor: st.Cursor, RegistryCursor: st.RegistryCursor}
	for _, it := range items {
		rv, err := src.Result(ctx, it.ResultID)
		if err != nil {
			return BatchFile{}, fmt.Errorf("read result %s: %w", it.ResultID, err)
		}
		b.Results = append(b.Results, rv.Result)
	}
	return b, nil
}

// ApplyBatch applies the results of a verified batch file for township
// exactly as POST /api/v1/results does: in requests of at most MaxBatch
// results, each applied in one transaction by ApplyResults, one outcome
// per result in order. Applying the same results again, by file or over
// the network, gives duplicates and changes nothing. On an error the
// requests before it stay applied; applying the file again is safe.
func ApplyBatch(ctx context.Context, county hecha.CountyStore, township hecha.Code, results []hecha.Result) ([]hecha.Outcome, error) {
	outs := make([]hecha.Outcome, 0, len(results))
	for start := 0; start < len(results); start += MaxBatch {
		part := results[start:min(start+MaxBatch, len(results))]
		got, err := county.ApplyResults(ctx, township, part)
		if err != nil {
			return nil, err
		}
		if len(got) != len(part) {
			return nil, fmt.Errorf("apply results: %d outcomes for %d results", len(got), len(part))
		}
		for i := range got {
			if got[i].ResultID == "" {
				got[i].ResultID = part[i].ID
			}
		}
		outs = append(outs, got...)
	}
	return outs, nil
}

// ReceiptReport counts what ApplyReceipt did with a receipt's outcomes.
// Unknown counts outcomes for results this database does not hold; Kept
// those it left alone because the county had since accepted the result
// (a receipt older than a sync or another receipt).
type ReceiptReport struct {
	Accepted  int `json:"accepted"`
	Duplicate int `json:"duplicate"`
	Rejected  int `json:"rejected"`
	Conflict  int `json:"conflict"`
	Unknown   int `json:"unknown"`
	Kept      int `json:"kept"`
}

// ApplyReceipt records a verified receipt's outcomes through Acknowledge,
// as a sync round records the county's answers: accepted and duplicate
// results are done; rejected and conflicting ones are set aside with the
// county's messages. Two things only a file can bring are left out: an
// outcome without a known status, and a rejection or conflict for a
// result already accepted (the county never takes an accepted result
// back, so such a receipt is older than the acceptance). Importing a
// receipt twice therefore changes nothing the second time.
func ApplyReceipt(ctx context.Context, st Store, r ReceiptFile) (ReceiptReport, error) {
	var rep ReceiptReport
	items, err := st.Outbox(ctx)
	if err != nil {
		return rep, err
	}
	state := make(map[string]hecha.OutboxState, len(items))
	for _, it := range items {
		state[it.ResultID] = it.State
	}
	var outs []hecha.Outcome
	for _, o := range r.Outcomes {
		s, known := state[o.ResultID]
		switch {
		case !known:
			rep.Unknown++
			continue
		case o.Status != hecha.ResultAccepted && o.Status != hecha.ResultDuplicate &&
			o.Status != hecha.ResultRejected && o.Status != hecha.ResultConflict:
			rep.Unknown++
			continue
		case s == hecha.OutboxAccepted && (o.Status == hecha.ResultRejected || o.Status == hecha.ResultConflict):
			rep.Kept++
			continue
		}
		switch o.Status {
		case hecha.ResultAccepted:
			rep.Accepted++
		case hecha.ResultDuplicate:
			rep.Duplicate++
		case hecha.ResultRejected:
			rep.Rejected++
		case hecha.ResultConflict:
			rep.Conflict++
		}
		outs = append(outs, o)
	}
	normalizeOutcomes(outs)
	if len(outs) == 0 {
		return rep, nil
	}
	return rep, st.Acknowledge(ctx, outs)
}

// CollectCases gathers the township's cases changed after since and its
// registry extract changed after regSince, as the pulls of a sync round
// would page through them. A cursor the county's sequence has not reached
// (it was restored from an older copy) starts from 0, and the file says
// so. The caller adds the division table.
func CollectCases(ctx context.Context, src hecha.CountyStore, township hecha.Code, since, regSince uint64) (CasesFile, error) {
	f := CasesFile{Cases: []hecha.Case{}, Floating: []hecha.FloatingRecord{}, Resident: []hecha.ResidentRecord{}}
	var err error
	f.Since, f.Next, err = pages(since, func(cursor uint64) (int, uint64, error) {
		cs, next, err := src.CasesSince(ctx, township, cursor, MaxPageLimit)
		f.Cases = append(f.Cases, cs...)
		return len(cs), next, err
	}, func() { f.Cases = f.Cases[:0] })
	if err != nil {
		return CasesFile{}, err
	}
	f.RegistrySince, f.RegistryNext, err = pages(regSince, func(cursor uint64) (int, uint64, error) {
		fl, rs, next, err := src.RegistrySince(ctx, township, cursor, MaxPageLimit)
		f.Floating, f.Resident = append(f.Floating, fl...), append(f.Resident, rs...)
		return len(fl) + len(rs), next, err
	}, func() { f.Floating, f.Resident = f.Floating[:0], f.Resident[:0] })
	return f, err
}

// pages walks a change sequence from since with page until a page comes
// short or the cursor stops, and returns where it started (0 after a
// restart) and the cursor reached. A first page whose next is below since
// means the sequence is behind since: reset is called and the walk starts
// from 0.
func pages(since uint64, page func(cursor uint64) (int, uint64, error), reset func()) (from, next uint64, err error) {
	from, cursor := since, since
	for {
		n, nx, err := page(cursor)
		if err != nil {
			return since, since, err
		}
		if nx < cursor && from != 0 {
			reset()
			from, cursor = 0, 0
			continue
		}
		if n < MaxPageLimit || nx == cursor {
			return from, max(nx, cursor), nil
		}
		cursor = nx
	}
}

// CasesReport says what ApplyCasesFile stored. Gap is set when the file
// starts after the township's own cursor (it was exported with a --since
// beyond what the township had pulled): its records were stored but the
// cursor kept, so that the changes in between still come, by the next
// file or sync.
type CasesReport struct {
	Cases          int       `json:"cases"`
	Registry       int       `json:"registry"`
	Skipped        []Skipped `json:"skipped,omitempty"`
	Gap            bool      `json:"gap,omitempty"`
	Cursor         uint64    `json:"cursor"`
	RegistryCursor uint64    `json:"registry_cursor"`
}

// ApplyCasesFile stores a verified case file on the township by the rules
// of a sync round's pulls, page by page through ApplyCases and
// ApplyRegistry: a local draft or a result awaiting upload is never
// overwritten, an older revision never replaces a newer one, and a record
// the database refuses is skipped and reported while the rest are stored.
// The cursors move to the file's end only when the file starts at or
// before them (or at 0: a full export); only the last page moves them, so
// a file cut short by a failure is simply imported again.
func ApplyCasesFile(ctx context.Context, st Store, f *CasesFile) (CasesReport, error) {
	var rep CasesReport
	set, err := st.Settings(ctx)
	if err != nil {
		return rep, err
	}
	s := &Syncer{Store: st}
	var pulled Report
	cursor, gap1 := fileCursor(set.Cursor, f.Since, f.Next)
	for start := 0; start == 0 || start < len(f.Cases); start += DefaultPageLimit {
		page := f.Cases[start:min(start+DefaultPageLimit, len(f.Cases))]
		last := start+DefaultPageLimit >= len(f.Cases)
		at := set.Cursor
		if last {
			at = cursor
		}
		if len(page) == 0 && at == set.Cursor {
			break
		}
		if err := s.applyCases(ctx, page, at, &pulled); err != nil {
			return rep, err
		}
		rep.Cases += len(page)
	}
	regCursor, gap2 := fileCursor(set.RegistryCursor, f.RegistrySince, f.RegistryNext)
	// A first file, like a first pull, leaves the registry indexes to
	// its end (see pullRegistry).
	indexer, _ := st.(registryIndexer)
	if indexer != nil {
		if _, err := indexer.DeferRegistryIndexes(ctx); err != nil {
			return rep, err
		}
	}
	fl, rs := f.Floating, f.Resident
	for first := true; first || len(fl)+len(rs) > 0; first = false {
		nf := min(len(fl), DefaultPageLimit)
		nr := min(len(rs), DefaultPageLimit-nf)
		at := set.RegistryCursor
		if nf == len(fl) && nr == len(rs) {
			at = regCursor
		}
		if nf+nr == 0 && at == set.RegistryCursor {
			break
		}
		if err := s.applyRegistry(ctx, fl[:nf], rs[:nr], at, &pulled); err != nil {
			return rep, err
		}
		rep.Registry += nf + nr
		fl, rs = fl[nf:], rs[nr:]
	}
	if indexer != nil {
		if err := indexer.BuildRegistryIndexes(ctx); err != nil {
			return rep, err
		}
	}
	rep.Skipped, rep.Gap = pulled.Skipped, gap1 || gap2
	rep.Cursor, rep.RegistryCursor = cursor, regCursor
	return rep, nil
}

// fileCursor returns the cursor a township moves to after storing a file
// that covers (since, next] of a change sequence it had pulled up to cur,
// and whether the file leaves a gap after cur.
func fileCursor(cur, since, next uint64) (uint64, bool) {
	switch {
	case since == 0:
		return next, false
	case since <= cur:
		return max(cur, next), false
	}
	return cur, true
}
