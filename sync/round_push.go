package sync

import (
	"context"
	"time"

	"hecha"
)

// The round's push (round.go runs the round, round_pull.go pulls): the
// outbox sent in batches and acknowledged, and the results the county has
// lost sent again.

// ackTimeout bounds recording the county's answers after the round's
// context is cancelled: they are worth keeping.
const ackTimeout = 10 * time.Second

// push sends the pending outbox in batches until none is left. Each batch
// is moved to sending, pushed and acknowledged; when the push fails the
// batch goes back to pending and push returns the error. A batch the
// server finds too large is split; a single result too large to send is
// set aside as rejected.
func (s *Syncer) push(ctx context.Context, rep *Report) error {
	pending, err := s.Store.Outbox(ctx, hecha.OutboxPending)
	if err != nil {
		return err
	}
	total, done := len(pending), 0
	s.progress(PhasePush, 0, total)
	size := s.batchSize()
	sent := map[string]bool{} // results pushed in this call
	for {
		batch, err := s.Store.NextBatch(ctx, size)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		fresh := false
		for _, r := range batch {
			if !sent[r.ID] {
				fresh = true
			}
		}
		if !fresh {
			// The county left every one of these unanswered before:
			// leave them pending for the next round rather than loop.
			return s.ack(ctx, unanswered(batch))
		}
		outs, err := s.Client.PushResults(ctx, batch)
		if err != nil {
			if aerr := s.ack(ctx, unanswered(batch)); aerr != nil {
				return aerr
			}
			if tooLarge(err) {
				if size > 1 {
					size = max(1, size/2)
					continue
				}
				// One result alone is too large: the clerk must shorten it.
				o := hecha.Outcome{ResultID: batch[0].ID, Status: hecha.ResultRejected, Errors: hecha.AsErrors(err), At: s.now()}
				rep.Rejected++
				if aerr := s.ack(ctx, []hecha.Outcome{o}); aerr != nil {
					return aerr
				}
				continue
			}
			// Sent, perhaps even applied, but not answered: back to
			// pending, and the next round sends them again.
			rep.Unanswered += len(batch)
			return err
		}
		rep.Pushed += len(batch)
		outs = matchOutcomes(batch, outs)
		for _, o := range outs {
			sent[o.ResultID] = true
			switch o.Status {
			case hecha.ResultAccepted:
				rep.Accepted++
				rep.noteOwn(o)
			case hecha.ResultDuplicate:
				rep.Duplicate++
			case hecha.ResultRejected:
				rep.Rejected++
			case hecha.ResultConflict:
				rep.Conflict++
			}
		}
		if err := s.ack(ctx, outs); err != nil {
			return err
		}
		done += len(batch)
		s.progress(PhasePush, done, max(total, done))
	}
}

// ack records outcomes, even when ctx was cancelled meanwhile.
func (s *Syncer) ack(ctx context.Context, outs []hecha.Outcome) error {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
	defer cancel()
	return s.Store.Acknowledge(actx, outs)
}

// unanswered returns an outcome without status for each result: the
// store puts them back to pending.
func unanswered(batch []hecha.Result) []hecha.Outcome {
	outs := make([]hecha.Outcome, len(batch))
	for i, r := range batch {
		outs[i] = hecha.Outcome{ResultID: r.ID}
	}
	return outs
}

// matchOutcomes returns one outcome per result of batch, taken from outs by
// result id; a result without an outcome, or with a status this client
// does not know, gets none (back to pending).
func matchOutcomes(batch []hecha.Result, outs []hecha.Outcome) []hecha.Outcome {
	byID := make(map[string]hecha.Outcome, len(outs))
	for _, o := range outs {
		if _, dup := byID[o.ResultID]; !dup {
			byID[o.ResultID] = o
		}
	}
	res := make([]hecha.Outcome, len(batch))
	for i, r := range batch {
		o, ok := byID[r.ID]
		switch {
		case !ok:
			o = hecha.Outcome{ResultID: r.ID}
		case o.Status != hecha.ResultAccepted && o.Status != hecha.ResultDuplicate &&
			o.Status != hecha.ResultRejected && o.Status != hecha.ResultConflict:
			o = hecha.Outcome{ResultID: r.ID}
		}
		res[i] = o
	}
	return res
}

// tooLarge reports whether err is the server refusing a batch for its size.
func tooLarge(err error) bool {
	var e = asDomainError(err)
	return e.Code == hecha.EINVALID && (e.MsgID == "sync.err.too_large" || e.MsgID == "sync.err.batch_size")
}

// reconcile asks the county which of the results it acknowledged it does
// not hold (it was restored from an older copy), puts those back to
// pending and pushes them again. It reports whether the county had lost
// any.
func (s *Syncer) reconcile(ctx context.Context, rep *Report) (lost bool, err error) {
	items, err := s.Store.Outbox(ctx, hecha.OutboxAccepted)
	if err != nil || len(items) == 0 {
		return false, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ResultID
	}
	s.progress(PhaseCheck, 0, len(ids))
	missing, err := s.Client.Check(ctx, ids)
	if err != nil {
		return false, err
	}
	// Only ids that were asked about may be requeued.
	asked := make(map[string]bool, len(ids))
	for _, id := range ids {
		asked[id] = true
	}
	var requeue []string
	for _, id := range missing {
		if asked[id] {
			requeue = append(requeue, id)
			asked[id] = false
		}
	}
	s.progress(PhaseCheck, len(ids), len(ids))
	if len(requeue) == 0 {
		return false, nil
	}
	if err := s.Store.Requeue(ctx, requeue); err != nil {
		return true, err
	}
	rep.Requeued += len(requeue)
	return true, s.push(ctx, rep)
}
