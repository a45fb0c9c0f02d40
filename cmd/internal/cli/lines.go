package cli

import (
	"fmt"
	"io"

	"hecha"
)

// LineReporter prints the errors of rejected input rows, one line per
// error: "line 12, field citizen ID: message" in English, "第 12 行，字段
// 公民身份证号：message" in Chinese. The field is shown by its display
// name (hecha.FieldName); an error without a field omits it.
type LineReporter struct {
	W    io.Writer
	Lang hecha.Lang
	// Rows counts the rows reported, Errors the error lines printed.
	Rows, Errors int
}

// Report prints every domain error in err as being about input line line.
func (r *LineReporter) Report(line int, err error) {
	if err == nil {
		return
	}
	r.Rows++
	for _, e := range hecha.AsErrors(err) {
		r.Errors++
		fmt.Fprintln(r.W, LineMessage(r.Lang, line, e))
	}
}

// LineMessage returns the report line for one error about input line.
func LineMessage(lang hecha.Lang, line int, e *hecha.Error) string {
	msg := e.Message(lang)
	if e.Code == hecha.EINTERNAL && e.MsgID == "" && e.Detail != "" {
		msg = e.Detail
	}
	msg = Sanitize(msg)
	if e.Field == "" {
		return hecha.T(lang, "cli.line", line, msg)
	}
	return hecha.T(lang, "cli.line.field", line, Sanitize(hecha.FieldName(lang, e.Field)), msg)
}
