package sheet

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"hecha"
)

// LoadDivisionDir loads every file of hecha.DivisionFiles present in dir
// into a new table, as hecha.LoadDivisionFiles reads them: a file with bad
// rows still loads its good rows, and the bad rows come back alongside the
// table as one error naming every file. A directory holding none of the
// files is an EINVALID error about "dir" (division.dir.empty).
func LoadDivisionDir(dir string) (*hecha.DivisionTable, error) {
	files := divisionFiles(dir)
	if len(files) == 0 {
		return nil, hecha.Invalid("dir", "division.dir.empty", dir)
	}
	return hecha.LoadDivisionFiles(files)
}

// divisionFiles lists the files of hecha.DivisionFiles present in dir. A
// file whose presence cannot be told is listed, for its opening to report
// why.
func divisionFiles(dir string) []hecha.DivisionFile {
	var files []hecha.DivisionFile
	for _, name := range hecha.DivisionFiles {
		path := filepath.Join(dir, name)
		var size int64
		fi, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err == nil {
			size = fi.Size()
		}
		files = append(files, hecha.DivisionFile{Name: name, Size: size,
			Open: func() (io.ReadCloser, error) { return os.Open(path) }})
	}
	return files
}
