// Package sheet holds hecha's file formats: the rows of the county's import
// files and of the field worksheet to and from the domain's values (Header,
// CaseRow, WorksheetHeader, WorksheetRow), the table files they are read
// from and written to (Reader, Writer: CSV in UTF-8, GB18030 or UTF-16, and
// XLSX), the exports laid out for people (Export), and the folder of
// division tables (LoadDivisionDir). The rules a value must follow are the
// root package's; sheet only reads and writes them.
package sheet
