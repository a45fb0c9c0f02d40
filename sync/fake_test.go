package sync

import (
	"context"
	"encoding/json"
	stdsync "sync"

	"hecha"
)

// fakeCounty is an in-memory county for the handler tests: tokens, cases by
// township, and results by id. Its hooks let a test fail or watch a call.
// It implements the methods the handlers call; the rest of
// hecha.CountyStore is the nil embedded interface, so a handler calling
// one of them panics and the test sees a 500.
type fakeCounty struct {
	hecha.CountyStore

	mu        stdsync.Mutex
	tokens    map[string]hecha.Code
	cases     map[hecha.Code][]hecha.Case
	floating  map[hecha.Code][]hecha.FloatingRecord
	results   map[string]fakeResult
	caseOwner map[string]hecha.Code

	lastLimit int
	calls     map[string]int
	fail      map[string]error // method name → error to return
	panicOn   string
	// gateOn names a method that, once entered, signals entered and waits
	// for gate to close.
	gateOn  string
	entered chan struct{}
	gate    chan struct{}
}

type fakeResult struct {
	township hecha.Code
	data     string
}

func newFakeCounty() *fakeCounty {
	return &fakeCounty{
		tokens:    map[string]hecha.Code{},
		cases:     map[hecha.Code][]hecha.Case{},
		floating:  map[hecha.Code][]hecha.FloatingRecord{},
		results:   map[string]fakeResult{},
		caseOwner: map[string]hecha.Code{},
		calls:     map[string]int{},
		fail:      map[string]error{},
	}
}

// addCase assigns a case to township; its position is its cursor.
func (f *fakeCounty) addCase(township hecha.Code, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cases[township] = append(f.cases[township], hecha.Case{ID: id, Kind: hecha.KindCrossProvince, Unit: township, Rev: 1})
	f.caseOwner[id] = township
}

func (f *fakeCounty) enter(name string) error {
	f.mu.Lock()
	gated := f.gateOn == name
	f.mu.Unlock()
	if gated {
		f.entered <- struct{}{}
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[name]++
	if f.panicOn == name {
		panic("fake county: " + name)
	}
	return f.fail[name]
}

func (f *fakeCounty) Authenticate(ctx context.Context, token string) (hecha.Code, error) {
	if err := f.enter("Authenticate"); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tokens[token]
	if !ok {
		return "", hecha.Errorf(hecha.EUNAUTHORIZED, "", "")
	}
	return t, nil
}

func (f *fakeCounty) CasesSince(ctx context.Context, township hecha.Code, cursor uint64, limit int) ([]hecha.Case, uint64, error) {
	if err := f.enter("CasesSince"); err != nil {
		return nil, 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastLimit = limit
	all := f.cases[township]
	if cursor >= uint64(len(all)) {
		return nil, cursor, nil
	}
	end := min(uint64(len(all)), cursor+uint64(limit))
	return append([]hecha.Case(nil), all[cursor:end]...), end, nil
}

func (f *fakeCounty) RegistrySince(ctx context.Context, township hecha.Code, cursor uint64, limit int) ([]hecha.FloatingRecord, []hecha.ResidentRecord, uint64, error) {
	if err := f.enter("RegistrySince"); err != nil {
		return nil, nil, 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastLimit = limit
	all := f.floating[township]
	if cursor >= uint64(len(all)) {
		return nil, nil, cursor, nil
	}
	end := min(uint64(len(all)), cursor+uint64(limit))
	return append([]hecha.FloatingRecord(nil), all[cursor:end]...), nil, end, nil
}

func (f *fakeCounty) ApplyResults(ctx context.Context, township hecha.Code, results []hecha.Result) ([]hecha.Outcome, error) {
	if err := f.enter("ApplyResults"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	outs := make([]hecha.Outcome, len(results))
	for i, r := range results {
		outs[i].ResultID = r.ID
		data, _ := json.Marshal(r)
		old, seen := f.results[r.ID]
		switch {
		case !hecha.ValidResultID(r.ID):
			outs[i].Status = hecha.ResultRejected
			outs[i].Errors = hecha.Errors{hecha.Invalid("id", "sync.err.result_id", r.ID)}
		case seen && old.data == string(data) && old.township == township:
			outs[i].Status = hecha.ResultDuplicate
		case seen:
			outs[i].Status = hecha.ResultConflict
			outs[i].Errors = hecha.Errors{hecha.Errorf(hecha.ECONFLICT, "id", "")}
		case f.caseOwner[r.CaseID] != township:
			outs[i].Status = hecha.ResultConflict
			outs[i].Errors = hecha.Errors{hecha.Errorf(hecha.ECONFLICT, "case_id", "")}
		default:
			f.results[r.ID] = fakeResult{township: township, data: string(data)}
			outs[i].Status = hecha.ResultAccepted
		}
	}
	return outs, nil
}

// CasesSinceFor is CasesSince: the fake does not record who caused a
// change, so it leaves nothing out (a client then pulls its own changes in
// full, which is harmless).
func (f *fakeCounty) CasesSinceFor(ctx context.Context, township hecha.Code, own hecha.OwnChanges, cursor uint64, limit int) ([]hecha.Case, uint64, error) {
	return f.CasesSince(ctx, township, cursor, limit)
}

// ApplyResultsFrom is ApplyResults; accepted outcomes carry no ChangeSeq.
func (f *fakeCounty) ApplyResultsFrom(ctx context.Context, township hecha.Code, device string, results []hecha.Result) ([]hecha.Outcome, error) {
	return f.ApplyResults(ctx, township, results)
}

// DivisionsVersion says the fake holds no division table.
func (f *fakeCounty) DivisionsVersion(ctx context.Context) (string, error) { return "", nil }

// DivisionsCSV says the fake holds no division table.
func (f *fakeCounty) DivisionsCSV(ctx context.Context) (table, historic []byte, version string, err error) {
	return nil, nil, "", nil
}

func (f *fakeCounty) HasResults(ctx context.Context, township hecha.Code, ids []string) ([]string, error) {
	if err := f.enter("HasResults"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var missing []string
	for _, id := range ids {
		if r, ok := f.results[id]; !ok || r.township != township {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

func (f *fakeCounty) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}
