package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"hecha"
	"hecha/cmd/internal/cli"
)

// copyBatch is how many items one Import call (one transaction) writes.
const copyBatch = 2000

// copyCommand is "copy --from DB --to DB": move a county between stores
// (a bbolt file and a PostgreSQL database, either way) with everything it
// holds, then check that both hold the same.
func (m *Main) copyCommand() *cli.Command {
	return &cli.Command{
		Name: "copy", Summary: "county.cli.copy.summary", Help: "county.cli.copy.help",
		ValueNames: map[string]string{"from": "DB", "to": "DB"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var from, to string
			fs.StringVar(&from, "from", "", hecha.T(lang, "county.cli.copy.flag.from"))
			fs.StringVar(&to, "to", "", hecha.T(lang, "county.cli.copy.flag.to"))
			return func(ctx context.Context, _ []string) error { return m.copyCounty(ctx, from, to) }
		},
	}
}

// copySums are the canonical checksums of a store's items by kind, its
// change counters by township (compared as "at least", not summed), and
// the hashes of its audit entries in seq order. The audit trail is
// compared as a chain, not summed: the destination holds the source's
// trail when its entry at the seq of the source's last has the same hash
// (each entry's hash covers the one before), and it may go on after it
// (the copy's own entry, the commands run there since).
type copySums struct {
	kinds map[hecha.CopyKind]*hecha.CopySum
	seqs  map[string]uint64
	audit [][32]byte
}

// sumsOf reads every item of st into its checksums.
func sumsOf(ctx context.Context, st hecha.CountyCopier) (copySums, error) {
	s := copySums{kinds: map[hecha.CopyKind]*hecha.CopySum{}, seqs: map[string]uint64{}}
	err := st.Export(ctx, s.add)
	return s, err
}

func (s *copySums) add(it *hecha.CopyItem) error {
	switch it.Kind {
	case hecha.CopySequenceItem:
		s.seqs[it.Key()] = it.Sequence.Seq
		return nil
	case hecha.CopyAuditItem:
		if it.Audit.Seq != uint64(len(s.audit))+1 {
			return hecha.AuditUnreadable(it.Audit.Seq, fmt.Errorf("the entry after %d", len(s.audit)))
		}
		s.audit = append(s.audit, it.Audit.Hash)
		return nil
	}
	sum := s.kinds[it.Kind]
	if sum == nil {
		sum = new(hecha.CopySum)
		s.kinds[it.Kind] = sum
	}
	return sum.Add(it)
}

// same reports whether dst holds what s holds: every kind with the same
// count and checksum, and every change counter at least as high.
func (s copySums) same(dst copySums) bool {
	for _, k := range hecha.CopyKinds {
		a, b := s.kinds[k], dst.kinds[k]
		if k == hecha.CopySequenceItem || k == hecha.CopyAuditItem {
			continue
		}
		if a == nil {
			a = new(hecha.CopySum)
		}
		if b == nil {
			b = new(hecha.CopySum)
		}
		if a.Count != b.Count || a.Hex() != b.Hex() {
			return false
		}
	}
	return s.seqsCovered(dst) == len(s.seqs) && s.auditIn(dst)
}

// auditIn reports whether dst's audit trail begins with s's.
func (s copySums) auditIn(dst copySums) bool {
	n := len(s.audit)
	return n == 0 || len(dst.audit) >= n && dst.audit[n-1] == s.audit[n-1]
}

// auditFork returns the seq of the first entry where the audit trails of
// s and dst differ, 0 when one begins with the other (a copy can then
// bring dst's up to s's).
func (s copySums) auditFork(dst copySums) uint64 {
	for i := range min(len(s.audit), len(dst.audit)) {
		if s.audit[i] != dst.audit[i] {
			return uint64(i) + 1
		}
	}
	return 0
}

// seqsCovered counts s's change counters that dst has at least as high.
func (s copySums) seqsCovered(dst copySums) int {
	n := 0
	for k, v := range s.seqs {
		if dst.seqs[k] >= v {
			n++
		}
	}
	return n
}

// copyCounty copies the county of from (--county picks one of a
// province's database) into to, unless to holds the same already, and
// checks the result.
//
// The copy is recorded in an audit trail as every command is, once it
// ends: on success in the destination's, after the source's entries it
// copied, so that the trail that goes on where the county now lives says
// where it came from; otherwise in the source's, since the destination's
// may hold part of the source's and must stay its beginning for the copy
// run again to complete it.
func (m *Main) copyCounty(ctx context.Context, from, to string) error {
	if from == "" || to == "" {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("from", "county.cli.copy.need"))
	}
	if from == to {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("to", "county.cli.copy.same_db"))
	}
	county, err := m.scope()
	if err != nil {
		return err
	}
	src, err := m.openScoped(ctx, from, county)
	if err != nil {
		return err
	}
	defer src.Close()
	var dst hecha.CountyStore
	err = m.copyFrom(ctx, src, &dst, from, to)
	log := src.Audit()
	if err == nil {
		log = dst.Audit()
	}
	if e, ok := m.commandEntry(err); ok {
		if aerr := log.Append(context.WithoutCancel(ctx), e); aerr != nil && err == nil {
			err = aerr
		}
	}
	if dst != nil {
		dst.Close()
	}
	return err
}

// copyFrom copies the county of src into the store at to, which it opens
// into *dst.
func (m *Main) copyFrom(ctx context.Context, src hecha.CountyStore, dst *hecha.CountyStore, from, to string) error {
	county, err := src.County(ctx)
	if err != nil {
		return err
	}
	if county == "" {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("county", "county.cli.copy.no_county", cli.Sanitize(from)))
	}
	d, err := m.openScoped(ctx, to, county)
	if err != nil {
		return err // d may be a typed nil
	}
	*dst = d
	// Neither side may be served while it is copied: a PostgreSQL one is
	// locked against its servers for the copy (a bbolt file is locked by
	// being open).
	for _, st := range []hecha.CountyStore{src, *dst} {
		if l, ok := st.(interface {
			LockForCopy(context.Context) (func(), error)
		}); ok {
			release, err := l.LockForCopy(ctx)
			if err != nil {
				return err
			}
			defer release()
		}
	}
	srcCopier, ok1 := src.(hecha.CountyCopier)
	dstCopier, ok2 := (*dst).(hecha.CountyCopier)
	if !ok1 || !ok2 {
		return hecha.Errorf(hecha.EINVALID, "", "county.cli.copy.unsupported")
	}
	fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.copy.county", county, cli.Sanitize(src.Rules().Divisions.FullName(county))))

	// A copy already done (a second run) changes nothing.
	before, err := sumsOf(ctx, dstCopier)
	switch {
	case err != nil && hecha.ErrorCode(err) != hecha.EINVALID:
		return err
	case err != nil:
		// A destination that serves no county yet exports nothing, but
		// its commands may have left an audit trail already.
		err = (*dst).Audit().Entries(ctx, hecha.AuditFilter{}, func(e hecha.AuditEntry) error {
			before.audit = append(before.audit, e.Hash)
			return nil
		})
		if err != nil {
			return err
		}
	}
	want, err := sumsOf(ctx, srcCopier)
	if err != nil {
		return err
	}
	m.noteCount(want.count())
	if want.same(before) {
		m.printCopySums(want, before)
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.copy.already"))
		return nil
	}
	// An audit trail is never rewritten: the destination's must be empty
	// or the beginning of the source's (a copy cut off), or hold it.
	if seq := want.auditFork(before); seq != 0 {
		m.printCopySums(want, before)
		return cli.Exit(cli.ExitFailure, hecha.Errorf(hecha.ECONFLICT, "", "county.cli.copy.audit_fork", cli.Sanitize(to), seq))
	}

	// Stream the items across, copyBatch per transaction.
	var batch []*hecha.CopyItem
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := dstCopier.Import(ctx, batch)
		batch = batch[:0]
		return err
	}
	copied := 0
	err = srcCopier.Export(ctx, func(it *hecha.CopyItem) error {
		batch = append(batch, it)
		copied++
		if len(batch) >= copyBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	got, err := sumsOf(ctx, dstCopier)
	if err != nil {
		return err
	}
	m.printCopySums(want, got)
	if !want.same(got) {
		return cli.Exit(cli.ExitFailure, hecha.Errorf(hecha.ECONFLICT, "", "county.cli.copy.differs", cli.Sanitize(to)))
	}
	// The chain the destination now holds checks as a whole, up to the
	// head it keeps.
	if _, err := hecha.VerifyAuditLog(ctx, (*dst).Audit()); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.copy.done", copied))
	return nil
}

// count is the number of items s was read from.
func (s copySums) count() int {
	n := len(s.seqs) + len(s.audit)
	for _, k := range s.kinds {
		n += k.Count
	}
	return n
}

// printCopySums prints, per kind, the counts on both sides and whether the
// checksums agree.
func (m *Main) printCopySums(src, dst copySums) {
	t := &cli.Table{
		Header: []string{hecha.T(m.Lang, "county.cli.copy.col.kind"), hecha.T(m.Lang, "county.cli.copy.col.from"),
			hecha.T(m.Lang, "county.cli.copy.col.to"), hecha.T(m.Lang, "county.cli.copy.col.check")},
		Right: []bool{false, true, true, false},
	}
	for _, k := range hecha.CopyKinds {
		var from, to int
		ok := false
		if k == hecha.CopySequenceItem {
			from, to = len(src.seqs), len(dst.seqs)
			ok = src.seqsCovered(dst) == len(src.seqs)
		} else if k == hecha.CopyAuditItem {
			from, to, ok = len(src.audit), len(dst.audit), src.auditIn(dst)
		} else {
			a, b := src.kinds[k], dst.kinds[k]
			if a == nil {
				a = new(hecha.CopySum)
			}
			if b == nil {
				b = new(hecha.CopySum)
			}
			from, to, ok = a.Count, b.Count, a.Count == b.Count && a.Hex() == b.Hex()
		}
		check := hecha.T(m.Lang, "county.cli.copy.ok")
		if !ok {
			check = hecha.T(m.Lang, "county.cli.copy.bad")
		}
		t.Rows = append(t.Rows, []string{hecha.T(m.Lang, "county.cli.copy.kind."+string(k)), strconv.Itoa(from), strconv.Itoa(to), check})
	}
	t.Render(m.Stdout, m.width()) //nolint:errcheck // the standard output
}

// The messages of copy.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.copy.summary": {Zh: "把一个县的全部数据复制到另一个数据库（bbolt 文件与 PostgreSQL 之间，双向）并核对", En: "copy a county with everything it holds to another database (bbolt file and PostgreSQL, either way) and check it"},
	"county.cli.copy.help": {
		Zh: "复制区划表、县代码、登记库、个案（含状态、版本、分发与候选）、收到的核查结果、批次日志、冲突通知、令牌（只有散列）、各乡镇的变更序号（乡镇终端的同步游标继续有效）和审计日志（逐条原样复制，哈希链在目标库上继续）。复制后逐类核对数量和校验和。可以重复运行：数据已相同时不做任何改动；中途中断后再运行即可。复制成功记在目标库的审计日志里，失败记在源库的。两边的审计日志已各自延续时拒绝复制。复制期间须停止同步服务：PostgreSQL 上服务运行时拒绝复制。目标为 PostgreSQL 时须先运行 hecha-county migrate；省级数据库中有多个县时，用 --county 指定要复制出的县。",
		En: "Copies the division table, the county code, the registries, the cases (with status, revisions, assignment and candidates), the results as received, the batch log, the conflict notices, the tokens (their hashes only), the townships' change numbers (so the townships' sync cursors stay valid) and the audit trail (entry by entry as it is: the hash chain goes on at the destination). Then checks counts and checksums kind by kind. Safe to run again: when both hold the same it changes nothing, and a run cut off midway can simply be run again. A copy is recorded in the destination's audit trail when it succeeds, in the source's otherwise; it is refused when the two trails went on separately. The sync server must be stopped: on PostgreSQL the copy refuses while it runs. A PostgreSQL destination must be migrated first (hecha-county migrate); from a province's database holding several counties, --county picks the one to copy.",
	},
	"county.cli.copy.flag.from":   {Zh: "源数据库：bbolt 文件路径或 postgres:// 地址", En: "the source: a bbolt file or a postgres:// URL"},
	"county.cli.copy.flag.to":     {Zh: "目标数据库：bbolt 文件路径或 postgres:// 地址", En: "the destination: a bbolt file or a postgres:// URL"},
	"county.cli.copy.need":        {Zh: "请用 --from 和 --to 指定源数据库和目标数据库", En: "give the source and the destination with --from and --to"},
	"county.cli.copy.same_db":     {Zh: "源数据库和目标数据库相同", En: "the source and the destination are the same"},
	"county.cli.copy.no_county":   {Zh: "%s 没有设定县（省级数据库请用 --county 指定）", En: "%s serves no county (for a province's database, name one with --county)"},
	"county.cli.copy.unsupported": {Zh: "此数据库不支持复制", En: "this database cannot be copied"},
	"county.cli.copy.county":      {Zh: "复制县 %s %s", En: "copying the county %s %s"},
	"county.cli.copy.already":     {Zh: "目标数据库已与源数据库相同，没有做任何改动", En: "the destination already holds the same; nothing was changed"},
	"county.cli.copy.done":        {Zh: "已复制 %d 项，核对一致", En: "copied %d items; counts and checksums agree"},
	"county.cli.copy.differs":     {Zh: "复制后 %s 与源数据库不一致（见上表）；目标数据库中可能有源数据库没有的数据", En: "after the copy %s differs from the source (see the table above); the destination may hold data the source does not"},
	"county.cli.copy.audit_fork":  {Zh: "%s 的审计日志自第 %d 条起与源数据库的不同，两边已各自延续：审计日志只能追加，复制不会改写它。请复制到一个新的数据库", En: "the audit trail of %s differs from the source's from entry %d on: the two went on separately, and a copy never rewrites an audit trail. Copy into a new database"},
	"county.cli.copy.col.kind":    {Zh: "数据", En: "Kind"},
	"county.cli.copy.col.from":    {Zh: "源", En: "Source"},
	"county.cli.copy.col.to":      {Zh: "目标", En: "Destination"},
	"county.cli.copy.col.check":   {Zh: "核对", En: "Check"},
	"county.cli.copy.ok":          {Zh: "一致", En: "same"},
	"county.cli.copy.bad":         {Zh: "不一致", En: "DIFFERS"},

	"county.cli.copy.kind.county":      {Zh: "县代码", En: "county code"},
	"county.cli.copy.kind.divisions":   {Zh: "区划表", En: "division table"},
	"county.cli.copy.kind.floating":    {Zh: "流动人口记录", En: "floating records"},
	"county.cli.copy.kind.resident":    {Zh: "常住人口记录", En: "resident records"},
	"county.cli.copy.kind.case":        {Zh: "个案（含结果）", En: "cases (with results)"},
	"county.cli.copy.kind.reg_cand":    {Zh: "候选记录", En: "candidate links"},
	"county.cli.copy.kind.case_change": {Zh: "个案变更", En: "case changes"},
	"county.cli.copy.kind.reg_change":  {Zh: "登记库变更", En: "registry changes"},
	"county.cli.copy.kind.sequence":    {Zh: "变更序号", En: "change counters"},
	"county.cli.copy.kind.conflict":    {Zh: "冲突通知", En: "conflict notices"},
	"county.cli.copy.kind.token":       {Zh: "令牌", En: "tokens"},
	"county.cli.copy.kind.batch":       {Zh: "批次日志", En: "batch log"},
	"county.cli.copy.kind.audit":       {Zh: "审计日志", En: "audit trail"},
})
