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
// each page with its cursor in one transaction.
func (s *Syncer) pullCases(ctx context.Context, cursor uint64, rep *Report) error {
	s.progress(PhaseCases, 0, 0)
	restarted := cursor == 0
	for {
		page, err := s.Client.PullCasesExcept(ctx, cursor, s.PageSize, rep.ownFrom, rep.ownTo)
		if err != nil {
			return err
		}
		if page.Next < cursor && !restarted {
			// The county's sequence is behind ours: start over.
			cursor, restarted = 0, true
			continue
		}
		if len(page.Cases) > 0 || page.Next != cursor {
			if err := s.applyCases(ctx, page.Cases, page.Next, rep); err != nil {
				return err
			}
		}
		rep.PulledCases += len(page.Cases)
		s.progress(PhaseCases, rep.PulledCases, 0)
		if !page.More || page.Next == cursor {
			return nil
		}
		cursor = page.Next
	}
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

// pullRegistry pulls the township's registry extract as pullCases does.
func (s *Syncer) pullRegistry(ctx context.Context, cursor uint64, rep *Report) error {
	s.progress(PhaseRegistry, 0, 0)
	restarted := cursor == 0
	for {
		page, err := s.Client.PullRegistry(ctx, cursor, s.PageSize)
		if err != nil {
			return err
		}
		if page.Next < cursor && !restarted {
			cursor, restarted = 0, true
			continue
		}
		n := len(page.Floating) + len(page.Resident)
		if n > 0 || page.Next != cursor {
			if err := s.applyRegistry(ctx, page.Floating, page.Resident, page.Next, rep); err != nil {
				return err
			}
		}
		rep.PulledRegistry += n
		s.progress(PhaseRegistry, rep.PulledRegistry, 0)
		if !page.More || page.Next == cursor {
			return nil
		}
		cursor = page.Next
	}
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
