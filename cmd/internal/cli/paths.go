package cli

import (
	"os"
	"path/filepath"

	"hecha"
)

// The database files and the environment variables that name them.
const (
	CountyDBEnv    = "HECHA_COUNTY_DB" // hecha-county's database when --db is absent
	TownshipDBEnv  = "HECHA_DB"        // hecha's database when --db is absent
	CountyDBFile   = "county.db"       // the default file name in the data folder
	TownshipDBFile = "township.db"
	// AppDir is the data folder's name inside the user's config folder.
	AppDir = "hecha"
)

// DBPath returns the database file to use: flagValue when set, else the
// environment variable env (read with getenv; nil means os.Getenv), else
// file in the folder DefaultDir returns, which is created (0700) if
// missing. Errors are hecha errors with a catalogue message.
func DBPath(flagValue, env, file string, getenv func(string) string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := getenv(env); v != "" {
		return v, nil
	}
	dir, err := DefaultDir()
	if err != nil {
		return "", hecha.Errorf(hecha.EINVALID, "", "cli.db.nohome", env)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.db.folder", dir, err)
	}
	return filepath.Join(dir, file), nil
}

// DefaultDir returns the data folder: <os.UserConfigDir>/hecha.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, AppDir), nil
}

// DefaultDBPath returns where file lives in the data folder, for help
// text; it creates nothing. When there is no config folder it returns a
// description instead of a path.
func DefaultDBPath(lang hecha.Lang, file string) string {
	dir, err := DefaultDir()
	if err != nil {
		return hecha.T(lang, "cli.db.nodefault")
	}
	return filepath.Join(dir, file)
}
