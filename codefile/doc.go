// Package codefile reads and writes the code-list files: the division
// tables (README "regions.csv": divisions, and the historic GB/T 2260
// codes), into and out of a hecha.DivisionTable through its bulk loader
// and Rows, and the configurable list of reasons for moving. It wraps
// encoding/csv for the root package, which opens no file and parses no
// file format.
package codefile
