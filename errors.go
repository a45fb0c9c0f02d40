package hecha

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Error codes. They are strings because they cross the wire between a
// township and the county; sync maps each to an HTTP status and back.
const (
	ECONFLICT     = "conflict"     // the case was reassigned or changed, or a result id arrived with other content
	EINTERNAL     = "internal"     // a bug or an unexpected failure
	EINVALID      = "invalid"      // input failed validation; Field names the field
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EUNAUTHORIZED = "unauthorized" // missing, unknown or revoked token
	EUNAVAILABLE  = "unavailable"  // the county server or the database cannot be reached now
	ELOCKED       = "locked"       // another hecha process holds the database file
	ETOOMANY      = "too_many"     // rate limited; try again later
)

// Error is the domain's one error type. Code is one of the E* constants.
// Field, when set, names the field the error is about (a form puts the
// message next to it; an import names it with the line). MsgID keys the
// message catalogue so the text can be shown in the user's language; Args
// fill its placeholders.
type Error struct {
	Code  string `json:"code"`
	Field string `json:"field,omitempty"`
	MsgID string `json:"msg_id,omitempty"`
	Args  []any  `json:"args,omitempty"`
	// Detail is free text for errors that carry no catalogue message
	// (wrapped system errors, server messages); used when MsgID is empty.
	Detail string `json:"detail,omitempty"`
}

// Errorf returns an Error with the given code, field and catalogue message.
func Errorf(code, field, msgID string, args ...any) *Error {
	return &Error{Code: code, Field: field, MsgID: msgID, Args: args}
}

// Invalid returns an EINVALID error about field with the catalogue message msgID.
func Invalid(field, msgID string, args ...any) *Error {
	return Errorf(EINVALID, field, msgID, args...)
}

// Error implements the error interface. It reads in English, prefixed with
// the field; use Message for the user's language.
func (e *Error) Error() string {
	msg := e.Message(English)
	if e.Field != "" {
		return e.Field + ": " + msg
	}
	return msg
}

// UnmarshalJSON reads an Error, keeping integral numbers among Args as
// int64: a plain decode would turn them into float64, and a message's %d
// would then print "%!d(float64=2)" after the error crossed the wire or
// was read back from the database.
func (e *Error) UnmarshalJSON(b []byte) error {
	type plain Error
	var v struct {
		plain
		Args []json.RawMessage `json:"args,omitempty"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*e = Error(v.plain)
	e.Args = nil
	for _, raw := range v.Args {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var a any
		if err := dec.Decode(&a); err != nil {
			return err
		}
		if n, ok := a.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				a = i
			} else if f, err := n.Float64(); err == nil {
				a = f
			}
		}
		e.Args = append(e.Args, a)
	}
	return nil
}

// Message returns the error's message in lang, without the field name.
func (e *Error) Message(lang Lang) string {
	if e.MsgID == "" {
		if e.Detail != "" {
			return e.Detail
		}
		return T(lang, "err."+e.Code)
	}
	return T(lang, e.MsgID, e.Args...)
}

// Errors is a list of errors, as a form's Validate returns every problem at
// once so each field can show its own. A nil or empty Errors is no error.
type Errors []*Error

// Error implements the error interface.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Err returns es as an error, or nil when es is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Add appends err to es: an *Error, each element of an Errors, or any other
// error wrapped as EINTERNAL. A nil err is ignored.
func (es *Errors) Add(err error) {
	if err == nil {
		return
	}
	var list Errors
	if errors.As(err, &list) {
		*es = append(*es, list...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*es = append(*es, e)
		return
	}
	*es = append(*es, &Error{Code: EINTERNAL, Detail: err.Error()})
}

// AddField is Add for an error about a nested value: the field of every
// error added is prefixed with prefix and a dot ("verified.name").
func (es *Errors) AddField(prefix string, err error) {
	var sub Errors
	sub.Add(err)
	for _, e := range sub {
		c := *e
		if c.Field == "" {
			c.Field = prefix
		} else {
			c.Field = prefix + "." + c.Field
		}
		*es = append(*es, &c)
	}
}

// ForField returns the errors in es about field exactly.
func (es Errors) ForField(field string) Errors {
	var out Errors
	for _, e := range es {
		if e.Field == field {
			out = append(out, e)
		}
	}
	return out
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var list Errors
	if errors.As(err, &list) && len(list) > 0 {
		return list[0].Code
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorField returns the field of the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var list Errors
	if errors.As(err, &list) && len(list) > 0 {
		return list[0].Field
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorMessage returns the user-facing message of err in lang. Domain errors
// use the catalogue; any other error says only that something went wrong
// internally, with its text appended for the log reader.
func ErrorMessage(err error, lang Lang) string {
	if err == nil {
		return ""
	}
	var list Errors
	if errors.As(err, &list) {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = fieldPrefix(e, lang) + e.Message(lang)
		}
		return strings.Join(parts, "; ")
	}
	var e *Error
	if errors.As(err, &e) {
		return fieldPrefix(e, lang) + e.Message(lang)
	}
	return fmt.Sprintf("%s (%v)", T(lang, "err.internal"), err)
}

// AsErrors returns every domain error in err: the elements of an Errors, a
// single *Error, or any other error wrapped as EINTERNAL.
func AsErrors(err error) Errors {
	var es Errors
	es.Add(err)
	return es
}

func fieldPrefix(e *Error, lang Lang) string {
	if e.Field == "" {
		return ""
	}
	return FieldName(lang, e.Field) + ": "
}
