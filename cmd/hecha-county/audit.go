package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/pgstore"
	"hecha/sheet"
)

// The county's audit trail on the command line (hecha.AuditLog, issue
// 12): every county command that opened the database is recorded once it
// ends (recordCommand, called by Main.Run: the command's words, its flags
// and arguments, the operator's login name, the cases or the count the
// command noted, how it ended), also when it ran on a serving county
// through the admin endpoint; "serve" records the API's requests itself
// (package sync). "audit list" shows the log, "audit verify" checks its
// hash chain.
//
//	hecha-county audit list [--since DATE] [--township CODE] [--case ID] [--format table|csv]
//	hecha-county audit verify

func init() {
	additions = append(additions, func(m *Main) cli.Addition {
		return cli.Addition{Command: m.auditCommand()}
	})
}

// unaudited are the top-level commands not recorded: gen and compact do
// not read or change cases through the database, serve records its
// requests, and reading the audit trail changes nothing in it.
var unaudited = map[string]bool{"gen": true, "compact": true, "serve": true, "audit": true}

// auditNote is what a command tells its audit entry beyond its command
// line: the cases it read or changed, or how many records, and the
// township and token concerned.
type auditNote struct {
	cases    []string
	count    int
	township hecha.Code
	tokenID  string
}

// noteCases records case ids the command read or changed.
func (m *Main) noteCases(ids ...string) {
	for _, id := range ids {
		if id != "" {
			m.audit.cases = append(m.audit.cases, hecha.ClipAudit(id, hecha.MaxAuditText))
		}
	}
	m.audit.count += len(ids)
}

// noteCount records a number of records read or changed, ids unlisted.
func (m *Main) noteCount(n int) { m.audit.count += n }

// auditCommand is "audit list|verify".
func (m *Main) auditCommand() *cli.Command {
	return &cli.Command{
		Name: "audit", Summary: "county.cli.audit.summary",
		Sub: []*cli.Command{
			{
				Name: "list", Summary: "county.cli.audit.list.summary", Help: "county.cli.audit.list.help",
				ValueNames: map[string]string{"since": "DATE", "case": "ID", "format": "table|csv"},
				Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
					var o auditListOptions
					fs.StringVar(&o.since, "since", "", hecha.T(lang, "county.cli.audit.flag.since"))
					fs.StringVar(&o.township, "township", "", hecha.T(lang, "county.cli.audit.flag.township"))
					fs.StringVar(&o.caseID, "case", "", hecha.T(lang, "county.cli.audit.flag.case"))
					fs.StringVar(&o.format, "format", "table", hecha.T(lang, "county.cli.audit.flag.format"))
					return func(ctx context.Context, _ []string) error { return m.auditList(ctx, o) }
				},
			},
			{
				Name: "verify", Summary: "county.cli.audit.verify.summary", Help: "county.cli.audit.verify.help",
				Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
					return func(ctx context.Context, _ []string) error { return m.auditVerify(ctx) }
				},
			},
		},
	}
}

// auditListOptions are the flags of "audit list".
type auditListOptions struct {
	since, township, caseID, format string
}

// filter reads the options into a filter; dates are days in the zone of
// the program's clock.
func (o auditListOptions) filter(loc *time.Location) (hecha.AuditFilter, error) {
	var f hecha.AuditFilter
	if o.since != "" {
		d, err := hecha.ParseDate("since", o.since)
		if err != nil {
			return f, err
		}
		f.Since = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	}
	if o.township != "" {
		c, err := hecha.ParseCode("township", o.township)
		if err != nil {
			return f, err
		}
		f.Township = c
	}
	f.Case = strings.TrimSpace(o.caseID)
	return f, nil
}

// auditList prints the entries that match the options, as a table or as
// CSV on the standard output.
func (m *Main) auditList(ctx context.Context, o auditListOptions) error {
	loc := m.Clock().Location()
	f, err := o.filter(loc)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	format := strings.ToLower(strings.TrimSpace(o.format))
	if format != "table" && format != "csv" {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("format", "county.cli.audit.format", o.format))
	}
	db, err := m.openDB()
	if err != nil {
		return err
	}
	log := db.Audit()
	if format == "csv" {
		return m.auditCSV(ctx, log, f, loc)
	}
	t := cli.Table{
		Header: []string{
			hecha.T(m.Lang, "county.cli.audit.col.seq"), hecha.T(m.Lang, "county.cli.audit.col.time"),
			hecha.T(m.Lang, "county.cli.audit.col.who"), hecha.T(m.Lang, "county.cli.audit.col.action"),
			hecha.T(m.Lang, "county.cli.audit.col.cases"), hecha.T(m.Lang, "county.cli.audit.col.from"),
			hecha.T(m.Lang, "county.cli.audit.col.outcome"),
		},
		Right: []bool{true},
		// The action keeps the most room; the CSV has every field in full.
		// At their narrowest the columns fill 80 cells.
		Min: []int{4, 16, 9, 16, 7, 9, 7},
	}
	err = log.Entries(ctx, f, func(e hecha.AuditEntry) error {
		t.Rows = append(t.Rows, []string{fmt.Sprint(e.Seq), e.Time.In(loc).Format("2006-01-02 15:04"),
			auditWho(&e), auditAction(&e), auditCases(&e), remoteHost(e.Remote), e.Outcome})
		return nil
	})
	if err != nil {
		return err
	}
	if len(t.Rows) == 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.audit.none"))
		return nil
	}
	return t.Render(m.Stdout, m.width())
}

// auditCSV writes every field of the entries as CSV.
func (m *Main) auditCSV(ctx context.Context, log hecha.AuditLog, f hecha.AuditFilter, loc *time.Location) error {
	names := []string{"seq", "time", "township", "token_id", "device", "clerk", "user", "remote",
		"action", "detail", "cases", "count", "outcome", "hash"}
	cols := make([]sheet.ExportColumn, len(names))
	for i, n := range names {
		cols[i] = sheet.ExportColumn{Header: n}
	}
	w, err := sheet.NewExport(m.Stdout, cols, sheet.ExportOptions{Format: sheet.CSV})
	if err != nil {
		return err
	}
	defer w.Abort()
	err = log.Entries(ctx, f, func(e hecha.AuditEntry) error {
		return w.Write([]string{fmt.Sprint(e.Seq), e.Time.In(loc).Format(time.RFC3339Nano), string(e.Township),
			e.TokenID, e.Device, e.Clerk, e.User, e.Remote, e.Action, e.Detail, strings.Join(e.Cases, " "),
			fmt.Sprint(e.Count), e.Outcome, fmt.Sprintf("%x", e.Hash)})
	})
	if err != nil {
		return err
	}
	return w.Close()
}

// auditWho names the actor: the township and clerks of a request, the
// operator of a command (the token's id is in the CSV).
func auditWho(e *hecha.AuditEntry) string {
	var parts []string
	if e.Township != "" {
		parts = append(parts, string(e.Township))
	}
	if e.Clerk != "" {
		parts = append(parts, e.Clerk)
	}
	if e.User != "" {
		parts = append(parts, e.User)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// remoteHost is the host of a client's address, without the port.
func remoteHost(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// auditAction is the action with its detail.
func auditAction(e *hecha.AuditEntry) string {
	if e.Detail == "" {
		return e.Action
	}
	return e.Action + " " + e.Detail
}

// auditCases lists the first cases of an entry and the count.
func auditCases(e *hecha.AuditEntry) string {
	const shown = 3
	switch {
	case len(e.Cases) == 0 && e.Count == 0:
		return ""
	case len(e.Cases) == 0:
		return fmt.Sprintf("(%d)", e.Count)
	case len(e.Cases) <= shown && e.Count == len(e.Cases):
		return strings.Join(e.Cases, " ")
	}
	return fmt.Sprintf("%s … (%d)", strings.Join(e.Cases[:min(shown, len(e.Cases))], " "), max(e.Count, len(e.Cases)))
}

// auditVerify checks the whole chain and prints the head, or names the
// first bad entry and fails.
func (m *Main) auditVerify(ctx context.Context) error {
	db, err := m.openDB()
	if err != nil {
		return err
	}
	head, err := hecha.VerifyAuditLog(ctx, db.Audit())
	if err != nil {
		if hecha.ErrorField(err) == "audit" {
			fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.audit.broken", head.Seq))
		}
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.audit.intact", head.Seq, head.String()))
	return nil
}

// recordCommand appends the audit entry of the command that ran, when it
// opened the database; err is how it ended. An entry that cannot be
// appended is an error of the command.
func (m *Main) recordCommand(ctx context.Context, err error) error {
	if m.DB == nil {
		return nil
	}
	e, ok := m.commandEntry(err)
	if !ok {
		return nil
	}
	return m.DB.Audit().Append(context.WithoutCancel(ctx), e)
}

// commandEntry returns the audit entry of the command that ran and ended
// with err; false for a command not recorded. A postgres:// URL among its
// flags is written without its password.
func (m *Main) commandEntry(err error) (hecha.AuditEntry, bool) {
	args := m.rawArgs
	if m.auditArgs != nil {
		args = m.auditArgs
	}
	cl, ok := parseCommandLine(args)
	if !ok || unaudited[cl.words[0]] {
		return hecha.AuditEntry{}, false
	}
	var detail []string
	e := hecha.AuditEntry{
		Time: m.Clock(), User: hecha.ClipAudit(m.operator(), hecha.MaxAuditText),
		Action: strings.Join(cl.words, " "), Outcome: auditOutcome(err),
		Township: m.audit.township, TokenID: m.audit.tokenID,
		Cases: m.audit.cases, Count: m.audit.count,
	}
	for _, f := range cl.flags {
		if f.name == "lang" {
			continue // how the command spoke, not what it did
		}
		v := f.value
		if isPostgres(v) {
			v = pgstore.Redact(v)
		}
		detail = append(detail, "--"+f.name+"="+v)
		if e.Township == "" && (f.name == "township" || f.name == "to" || f.name == "unit") {
			if c, err := hecha.ParseCode(f.name, f.value); err == nil {
				e.Township = c
			}
		}
	}
	detail = append(detail, cl.pos...)
	e.Detail = hecha.ClipAudit(strings.Join(detail, " "), hecha.MaxAuditDetail)
	if len(e.Cases) > hecha.MaxAuditCases {
		e.Cases = e.Cases[:hecha.MaxAuditCases]
	}
	return e, true
}

// auditOutcome is the outcome of a command that ended with err.
func auditOutcome(err error) string {
	var ee *cli.ExitError
	switch {
	case err == nil:
		return hecha.AuditOK
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.As(err, &ee) && ee.Err == nil:
		// The command said what went wrong (an import's rejected rows).
		return fmt.Sprintf("exit %d", ee.Code)
	}
	return hecha.ErrorCode(err)
}

// The audit commands' messages.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.audit.summary":        {Zh: "查看和校验审计日志", En: "show and verify the audit trail"},
	"county.cli.audit.list.summary":   {Zh: "列出审计日志：谁在何时从何处查看或改动了哪些个案", En: "list the audit trail: who read or changed which cases, when and from where"},
	"county.cli.audit.list.help":      {Zh: "每条记录是一次同步请求（乡镇令牌、信息员、个案、来源地址）或一条县级命令（操作员、命令行）。\n条件可组合：--since 某日起，--township 该乡镇（或其上级代码下的所有乡镇），--case 涉及该个案。\n--format csv 输出全部字段（含每条记录的哈希），供表格软件查看或存档。", En: "Each entry is a sync request (the township's token, the clerk, the cases, the address it came from) or a county command (the operator, the command line).\nThe filters combine: --since a day, --township that township (or every one under a higher code), --case entries naming that case.\n--format csv writes every field (each entry's hash included), for a spreadsheet or an archive."},
	"county.cli.audit.verify.summary": {Zh: "校验审计日志的哈希链，指出第一条被改动、删除、调换或插入的记录", En: "check the audit trail's hash chain and name the first altered, removed, reordered or inserted entry"},
	"county.cli.audit.verify.help":    {Zh: "日志完好时打印记录条数和链尾（序号:哈希），退出状态 0。请把链尾抄下或存到别处：以后再校验时，链尾之前的记录若被整体重写也能发现。\n日志有问题时指出第一条有问题的记录及其问题，退出状态 1。", En: "When the log is intact it prints the number of entries and the head (seq:hash), and exits 0. Note the head down or keep it elsewhere: a later verify then also shows whether the log up to it was rewritten as a whole.\nWhen it is not, it names the first bad entry and what is wrong with it, and exits 1."},
	"county.cli.audit.flag.since":     {Zh: "只列出该日（含）以后的记录，如 2026-03-01", En: "only entries on or after this day, e.g. 2026-03-01"},
	"county.cli.audit.flag.township":  {Zh: "只列出该乡镇（或该代码下各乡镇）的记录", En: "only entries of this township (or of the townships under this code)"},
	"county.cli.audit.flag.case":      {Zh: "只列出涉及该个案编号的记录", En: "only entries naming this case id"},
	"county.cli.audit.flag.format":    {Zh: "table（在屏幕上显示）或 csv", En: "table (on the screen) or csv"},
	"county.cli.audit.format":         {Zh: "格式 %q 无效：应为 table 或 csv", En: "the format %q is not valid: table or csv"},
	"county.cli.audit.none":           {Zh: "没有符合条件的审计记录", En: "no audit entries match"},
	"county.cli.audit.intact":         {Zh: "审计日志完好：共 %d 条记录，链尾 %s", En: "the audit trail is intact: %d entries, head %s"},
	"county.cli.audit.broken":         {Zh: "审计日志前 %d 条记录完好，之后有问题：", En: "the audit trail is intact up to entry %d, then:"},
	"county.cli.audit.col.seq":        {Zh: "序号", En: "Seq"},
	"county.cli.audit.col.time":       {Zh: "时间", En: "Time"},
	"county.cli.audit.col.who":        {Zh: "操作者", En: "Who"},
	"county.cli.audit.col.action":     {Zh: "操作", En: "Action"},
	"county.cli.audit.col.cases":      {Zh: "个案", En: "Cases"},
	"county.cli.audit.col.from":       {Zh: "来源", En: "From"},
	"county.cli.audit.col.outcome":    {Zh: "结果", En: "Outcome"},
})
