package sheet

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"hecha"
	"hecha/codefile"
)

// LoadDivisionDir loads every file of codefile.DivisionFiles present in dir
// into a new table, as codefile.LoadDivisionFiles reads them: a file with bad
// rows still loads its good rows, and the bad rows come back alongside the
// table as one error naming every file. A directory holding none of the
// files is an EINVALID error about "dir" (division.dir.empty).
func LoadDivisionDir(dir string) (*hecha.DivisionTable, error) {
	files := divisionFiles(dir)
	if len(files) == 0 {
		return nil, hecha.Invalid("dir", "division.dir.empty", dir)
	}
	return codefile.LoadDivisionFiles(files)
}

// divisionFiles lists the files of codefile.DivisionFiles present in dir. A
// file whose presence cannot be told is listed, for its opening to report
// why.
func divisionFiles(dir string) []codefile.DivisionFile {
	var files []codefile.DivisionFile
	for _, name := range codefile.DivisionFiles {
		path := filepath.Join(dir, name)
		var size int64
		fi, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err == nil {
			size = fi.Size()
		}
		files = append(files, codefile.DivisionFile{Name: name, Size: size,
			Open: func() (io.ReadCloser, error) { return os.Open(path) }})
	}
	return files
}
