package sync

import (
	"context"
	"regexp"
	"strconv"

	"hecha"
)

// Skipped is a record pulled from the county that the township's database
// refused: it failed validation there (for instance a division code the
// township's table does not have yet). The rest of its page was stored;
// the record comes again when the county next changes it.
type Skipped struct {
	Kind   string       `json:"kind"` // "case", "floating" or "resident"
	ID     string       `json:"id"`
	Errors hecha.Errors `json:"errors"` // fields relative to the record
}

// pullCases pulls the township's cases page by page from cursor, storing
// each page with its cursor in one transaction. The next page is asked
// for while the store commits the one before (fetchAhead).
func (s *Syncer) pullCases(ctx context.Context, cursor uint64, rep *Report) error {
	s.progress(PhaseCases, 0, 0)
	restarted := cursor == 0
	fetch := func(ctx context.Context, from uint64) (*CasesResponse, error) {
		return s.Client.PullCasesExcept(ctx, from, s.PageSize, rep.ownFrom, rep.ownTo)
	}
	next := fetchAhead(ctx, cursor, fetch)
	defer func() { next.stop() }()
	for {
		page, err := next.wait()
		if err != nil {
			return err
		}
		if page.Next < cursor && !restarted {
			// The county's sequence is behind ours: start over.
			cursor, restarted = 0, true
			next = fetchAhead(ctx, cursor, fetch)
			continue
		}
		more := page.More && page.Next != cursor
		if more {
			next = fetchAhead(ctx, page.Next, fetch)
		}
		if len(page.Cases) > 0 || page.Next != cursor {
			if err := s.applyCases(ctx, page.Cases, page.Next, rep); err != nil {
				return err
			}
		}
		rep.PulledCases += len(page.Cases)
		s.progress(PhaseCases, rep.PulledCases, 0)
		if !more {
			return nil
		}
		cursor = page.Next
	}
}

// pending is a page being fetched in the background.
type pending[T any] struct {
	done   chan struct{}
	page   T
	err    error
	cancel context.CancelFunc
}

// fetchAhead starts fetching the page from cursor while the caller stores
// the page before: the county's answer and the township's commit, each
// waiting on its own disk or network, overlap. At most one page is ahead.
func fetchAhead[T any](ctx context.Context, cursor uint64, fetch func(context.Context, uint64) (T, error)) *pending[T] {
	fctx, cancel := context.WithCancel(ctx)
	p := &pending[T]{done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(p.done)
		p.page, p.err = fetch(fctx, cursor)
	}()
	return p
}

// wait returns the fetched page. (A round cancelled meanwhile stores
// nothing more: the store checks the context before each transaction.)
func (p *pending[T]) wait() (T, error) {
	<-p.done
	p.cancel()
	return p.page, p.err
}

// stop abandons the fetch and waits for it to end.
func (p *pending[T]) stop() {
	p.cancel()
	<-p.done
}

// applyCases stores a page; when the store refuses some of its cases, it
// stores the others and reports those as skipped.
func (s *Syncer) applyCases(ctx context.Context, cases []hecha.Case, next uint64, rep *Report) error {
	err := s.Store.ApplyCases(ctx, cases, next)
	bad, ok := refused(err, map[string]int{"cases": len(cases)})
	if !ok {
		return err
	}
	keep := make([]hecha.Case, 0, len(cases))
	for i, c := range cases {
		if errs, isBad := bad["cases"][i]; isBad {
			rep.Skipped = append(rep.Skipped, Skipped{Kind: "case", ID: c.ID, Errors: errs})
			continue
		}
		keep = append(keep, c)
	}
	return s.Store.ApplyCases(ctx, keep, next)
}

// registryIndexer is a Store that can leave the registry indexes of a
// first pull to be built once at its end (store.TownshipDB).
type registryIndexer interface {
	DeferRegistryIndexes(ctx context.Context) (bool, error)
	BuildRegistryIndexes(ctx context.Context) error
}

// pullRegistry pulls the township's registry extract as pullCases does.
// On a township that holds no registry record yet (or whose first pull
// was cut off) the records are stored without their index entries, which
// are then written once, in key order, when the pull ends.
func (s *Syncer) pullRegistry(ctx context.Context, cursor uint64, rep *Report) error {
	s.progress(PhaseRegistry, 0, 0)
	indexer, _ := s.Store.(registryIndexer)
	if indexer != nil {
		if _, err := indexer.DeferRegistryIndexes(ctx); err != nil {
			return err
		}
	}
	restarted := cursor == 0
	fetch := func(ctx context.Context, from uint64) (*RegistryResponse, error) {
		return s.Client.PullRegistry(ctx, from, s.PageSize)
	}
	next := fetchAhead(ctx, cursor, fetch)
	defer func() { next.stop() }()
	for {
		page, err := next.wait()
		if err != nil {
			return err
		}
		if page.Next < cursor && !restarted {
			cursor, restarted = 0, true
			next = fetchAhead(ctx, cursor, fetch)
			continue
		}
		more := page.More && page.Next != cursor
		if more {
			next = fetchAhead(ctx, page.Next, fetch)
		}
		n := len(page.Floating) + len(page.Resident)
		if n > 0 || page.Next != cursor {
			if err := s.applyRegistry(ctx, page.Floating, page.Resident, page.Next, rep); err != nil {
				return err
			}
		}
		rep.PulledRegistry += n
		s.progress(PhaseRegistry, rep.PulledRegistry, 0)
		if !more {
			break
		}
		cursor = page.Next
	}
	if indexer == nil {
		return nil
	}
	return indexer.BuildRegistryIndexes(ctx)
}

// applyRegistry stores a page of the extract as applyCases does.
func (s *Syncer) applyRegistry(ctx context.Context, fl []hecha.FloatingRecord, rs []hecha.ResidentRecord, next uint64, rep *Report) error {
	err := s.Store.ApplyRegistry(ctx, fl, rs, next)
	bad, ok := refused(err, map[string]int{"floating": len(fl), "resident": len(rs)})
	if !ok {
		return err
	}
	var keepF []hecha.FloatingRecord
	for i, r := range fl {
		if errs, isBad := bad["floating"][i]; isBad {
			rep.Skipped = append(rep.Skipped, Skipped{Kind: "floating", ID: r.ID, Errors: errs})
			continue
		}
		keepF = append(keepF, r)
	}
	var keepR []hecha.ResidentRecord
	for i, r := range rs {
		if errs, isBad := bad["resident"][i]; isBad {
			rep.Skipped = append(rep.Skipped, Skipped{Kind: "resident", ID: r.ID, Errors: errs})
			continue
		}
		keepR = append(keepR, r)
	}
	return s.Store.ApplyRegistry(ctx, keepF, keepR, next)
}

// indexedField matches "cases[12].person.name": the list, the index and
// the rest of the field.
var indexedField = regexp.MustCompile(`^([a-z_]+)\[([0-9]+)\](?:\.(.*))?$`)

// refused reads a validation error of a page into the errors of each
// refused element, by list name ("cases") and index, with fields relative
// to the element. It returns ok only when err is EINVALID and every error
// names an element of one of the lists, within its size.
func refused(err error, sizes map[string]int) (map[string]map[int]hecha.Errors, bool) {
	if err == nil || hecha.ErrorCode(err) != hecha.EINVALID {
		return nil, false
	}
	errs := hecha.AsErrors(err)
	if len(errs) == 0 {
		return nil, false
	}
	bad := map[string]map[int]hecha.Errors{}
	for _, e := range errs {
		m := indexedField.FindStringSubmatch(e.Field)
		if m == nil {
			return nil, false
		}
		n, known := sizes[m[1]]
		i, aerr := strconv.Atoi(m[2])
		if !known || aerr != nil || i >= n {
			return nil, false
		}
		c := *e
		c.Field = m[3]
		if bad[m[1]] == nil {
			bad[m[1]] = map[int]hecha.Errors{}
		}
		bad[m[1]][i] = append(bad[m[1]][i], &c)
	}
	return bad, true
}
