// Package store keeps hecha's data in a bbolt file: on the township
// (OpenTownship, TownshipDB) the assigned cases, drafts, the result history
// and the outbox; on the county (OpenCounty, CountyDB) every case, the
// registries, received results and tokens; on both (DB, which each embeds)
// the division table (SaveDivisions, Divisions, WithStoredDivisions), so no
// file beside the database is needed. It implements the root package's
// service interfaces: CountyDB is a hecha.CountyStore.
package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
)

// Role says which program a database belongs to. It is written into the
// file when it is created; opening a file with the other role is refused.
type Role int

// The two roles.
const (
	RoleTownship Role = iota // the township terminal (hecha)
	RoleCounty               // the county server (hecha-county)
)

// String returns "township" or "county".
func (r Role) String() string {
	if r == RoleCounty {
		return "county"
	}
	return "township"
}

// DefaultTimeout is how long Open waits for another process to release the
// file before it gives up with ELOCKED.
const DefaultTimeout = time.Second

// DB is a hecha database file: the core both roles share (opening,
// migrations, the division table, the registries, a case by id,
// compaction). A file is used through the type of its role, CountyDB or
// TownshipDB, which add that role's methods. Its methods are safe for
// concurrent use.
type DB struct {
	bolt    *bbolt.DB
	path    string
	now     func() time.Time
	rules   *hecha.Rules
	role    Role
	noSync  bool
	timeout time.Duration
	// storedDivisions: validate against the table stored in the file.
	storedDivisions bool
	// crypt: the keys of an encrypted township database (encrypt.go).
	crypt cryptOptions
}

// CountyDB is a county database (hecha-county): every case and its
// assignment, the registries, the results the townships sent and their
// tokens. It implements hecha.CountyStore.
type CountyDB struct {
	*DB
	audit *AuditLog // the audit trail, shared by every request
}

// TownshipDB is a township terminal's database (hecha): the assigned cases,
// drafts, the result history and the outbox, the settings and the
// registry extract. It implements hecha.TownshipService and
// hecha.SyncStore.
type TownshipDB struct{ *DB }

// Option configures OpenCounty and OpenTownship.
type Option func(*DB)

// WithNow sets the clock used for timestamps and for validation's today
// (unless WithRules brings its own). It is required: the command passes
// time.Now, tests a fixed clock.
func WithNow(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// WithRules sets the rules every write validates against (the division
// table, the reasons). Without it, validation has no division table.
func WithRules(r *hecha.Rules) Option { return func(db *DB) { db.rules = r } }

// WithNoSync turns off fsync after each commit: much faster, but a crash
// can lose the last commits. For tests and bulk imports only.
func WithNoSync() Option { return func(db *DB) { db.noSync = true } }

// WithTimeout sets how long Open waits for the file lock (DefaultTimeout by
// default).
func WithTimeout(d time.Duration) Option { return func(db *DB) { db.timeout = d } }

// OpenCounty opens or creates the county database at path, as open
// describes.
func OpenCounty(path string, opts ...Option) (*CountyDB, error) {
	db, err := open(path, RoleCounty, opts)
	if err != nil {
		return nil, err
	}
	c := &CountyDB{DB: db}
	c.audit = &AuditLog{db: db}
	return c, nil
}

// OpenTownship opens or creates a township terminal's database at path,
// as open describes.
func OpenTownship(path string, opts ...Option) (*TownshipDB, error) {
	db, err := open(path, RoleTownship, opts)
	if err != nil {
		return nil, err
	}
	return &TownshipDB{db}, nil
}

// open opens or creates the database at path (mode 0600), checks that it is
// a hecha database of role and of a schema version this code knows,
// runs the migrations it needs in one transaction, on the township puts
// outbox items left in sending back to pending, and with
// WithStoredDivisions loads the division table stored in the file.
//
// An encrypted file (encrypt.go) is unlocked with WithPassphrase or
// WithRecoveryKey before anything is read, and an in-place encryption a
// crash interrupted is finished.
//
// Errors: ELOCKED when another process holds the file; EUNAVAILABLE, with a
// message naming the file, when it cannot be opened, is damaged, is not a
// hecha database, belongs to the other role or was written by a newer hecha;
// EUNAUTHORIZED for an encrypted file opened without its passphrase
// (NeedsPassphrase) or with a wrong one (WrongPassphrase).
//
// It panics without WithNow: the store never reads the real clock itself,
// and a missing clock is a programming error.
func open(path string, role Role, opts []Option) (*DB, error) {
	db := &DB{path: path, role: role, timeout: DefaultTimeout}
	for _, o := range opts {
		o(db)
	}
	if db.now == nil {
		panic("store: OpenCounty and OpenTownship need WithNow")
	}
	r := hecha.Rules{}
	if db.rules != nil {
		r = *db.rules
	}
	if r.Now == nil {
		r.Now = db.now
	}
	db.rules = &r

	bdb, sizeAtOpen, err := openBolt(path, db.boltOptions())
	if err != nil {
		return nil, err
	}
	db.bolt = bdb
	if err := db.init(sizeAtOpen); err != nil {
		db.closeBolt()
		return nil, err
	}
	if err := db.finishEncryption(context.Background()); err != nil {
		db.closeBolt()
		return nil, err
	}
	if db.storedDivisions {
		t, err := db.Divisions(context.Background())
		if err != nil {
			db.closeBolt()
			return nil, err
		}
		db.rules.Divisions = t
	}
	return db, nil
}

// boltOptions returns the options Open opens the bbolt file with.
func (db *DB) boltOptions() *bbolt.Options {
	return &bbolt.Options{
		Timeout:      db.timeout,
		NoSync:       db.noSync,
		FreelistType: bbolt.FreelistMapType,
	}
}

// openBolt opens the bbolt file, turning its errors (and any panic or
// memory fault on a damaged file) into domain errors naming the file. It
// also returns the file's size as bbolt opened it, before bbolt could grow
// it: on Windows bbolt extends the file to the size it maps.
func openBolt(path string, o *bbolt.Options) (bdb *bbolt.DB, sizeAtOpen int64, err error) {
	// bbolt panics on some damaged files (a bad freelist page) after it has
	// opened, mapped and locked the file; keep the handle so that a panic
	// does not leave the file locked for the rest of the process (the
	// mapping itself stays until the process ends; on Windows the file
	// cannot be deleted or replaced until then).
	var file *os.File
	o.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(name, flag, perm)
		file = f
		if err == nil {
			if info, err := f.Stat(); err == nil {
				sizeAtOpen = info.Size()
			}
		}
		return f, err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if file != nil {
				releaseLock(file)
				_ = file.Close()
			}
			bdb, err = nil, errDamaged(path, fmt.Errorf("%v", p))
		}
	}()
	bdb, err = bbolt.Open(path, 0o600, o)
	switch {
	case err == nil:
		return bdb, sizeAtOpen, nil
	case errors.Is(err, bbolt.ErrTimeout):
		return nil, 0, hecha.Errorf(hecha.ELOCKED, "", "store.locked", path)
	case errors.Is(err, bbolt.ErrInvalid), errors.Is(err, bbolt.ErrVersionMismatch),
		errors.Is(err, bbolt.ErrChecksum), errors.Is(err, bbolt.ErrInvalidMapping):
		return nil, 0, errDamaged(path, err)
	default:
		return nil, 0, hecha.Errorf(hecha.EUNAVAILABLE, "", "store.open", path, err.Error())
	}
}

// init checks the meta bucket and brings the file to SchemaVersion.
// sizeAtOpen is the file's size when bbolt opened it (see openBolt).
func (db *DB) init(sizeAtOpen int64) error {
	// A file shorter than its own high-water mark was cut off (copied
	// half-way, disk full): reading its last pages would fault, or, on
	// Windows, where bbolt has extended the file with zeros to map it,
	// read zeros.
	info, err := os.Stat(db.path)
	if err != nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "store.open", db.path, err.Error())
	}
	return db.update(context.Background(), func(tx *bbolt.Tx) error {
		if tx.Size() > info.Size() {
			return errDamaged(db.path, fmt.Errorf("file is %d bytes, expected at least %d", info.Size(), tx.Size()))
		}
		if tx.Size() > sizeAtOpen {
			// The file grew between bbolt's open and its lock, or bbolt
			// grew it: only a file cut off reads as zeros past its old end.
			zero, err := zeroFrom(db.path, sizeAtOpen, tx.Size())
			if err != nil {
				return hecha.Errorf(hecha.EUNAVAILABLE, "", "store.open", db.path, err.Error())
			}
			if zero {
				return errDamaged(db.path, fmt.Errorf("file was %d bytes, expected at least %d", sizeAtOpen, tx.Size()))
			}
		}
		version, err := db.checkMeta(tx)
		if err != nil {
			return err
		}
		if err := db.unlock(tx); err != nil {
			return err
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				// A bucket's name held by a plain value: not a file this
				// code wrote (found by FuzzOpen).
				return errDamaged(db.path, fmt.Errorf("create bucket %s: %w", name, err))
			}
		}
		for _, m := range migrations {
			if m.version <= version {
				continue
			}
			if err := m.up(tx); err != nil {
				return fmt.Errorf("migrate %s to version %d: %w", db.path, m.version, err)
			}
			version = m.version
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keySchemaVersion, u64(version)); err != nil {
			return err
		}
		if db.role == RoleTownship {
			return resetSending(tx)
		}
		return nil
	})
}

// checkMeta returns the file's schema version after checking that it is a
// hecha database of db's role that this code can read. A new, empty file
// is marked as a hecha database of db's role, at version 0.
func (db *DB) checkMeta(tx *bbolt.Tx) (uint64, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		// Only an empty bbolt file may become a hecha database.
		empty := true
		_ = tx.ForEach(func([]byte, *bbolt.Bucket) error { empty = false; return nil })
		if !empty {
			return 0, hecha.Errorf(hecha.EUNAVAILABLE, "", "store.not_hecha", db.path)
		}
		var err error
		if meta, err = tx.CreateBucket(bucketMeta); err != nil {
			return 0, err
		}
		if err := meta.Put(keyApp, appName); err != nil {
			return 0, err
		}
		return 0, meta.Put(keyRole, []byte(db.role.String()))
	}
	if !bytes.Equal(meta.Get(keyApp), appName) {
		return 0, hecha.Errorf(hecha.EUNAVAILABLE, "", "store.not_hecha", db.path)
	}
	v := meta.Get(keySchemaVersion)
	if len(v) != 8 {
		return 0, errDamaged(db.path, errors.New("no schema version"))
	}
	version := binary.BigEndian.Uint64(v)
	if version > SchemaVersion {
		return 0, hecha.Errorf(hecha.EUNAVAILABLE, "", "store.newer", db.path, int(version), SchemaVersion)
	}
	if role := string(meta.Get(keyRole)); role != db.role.String() {
		return 0, hecha.Errorf(hecha.EUNAVAILABLE, "", "store.role."+db.role.String(), db.path)
	}
	return version, nil
}

// Close closes the database file.
func (db *DB) Close() error {
	if db == nil || db.bolt == nil {
		return nil
	}
	sealers.Delete(db.bolt)
	return db.bolt.Close()
}

// Path returns the path of the database file.
func (db *DB) Path() string { return db.path }

// Role returns the role the database was opened with.
func (db *DB) Role() Role { return db.role }

// Rules returns the rules writes are validated against.
func (db *DB) Rules() *hecha.Rules { return db.rules }

// view runs fn in a read transaction. A panic inside bbolt (a damaged page)
// becomes an EUNAVAILABLE error naming the file.
func (db *DB) view(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	return db.run(ctx, false, fn)
}

// update runs fn in a write transaction, committed when fn returns nil and
// rolled back otherwise.
func (db *DB) update(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	return db.run(ctx, true, fn)
}

func (db *DB) run(ctx context.Context, write bool, fn func(tx *bbolt.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = errDamaged(db.path, fmt.Errorf("%v", p))
		}
	}()
	if write {
		err = db.bolt.Update(fn)
	} else {
		err = db.bolt.View(fn)
	}
	if errors.Is(err, bbolt.ErrDatabaseNotOpen) {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "store.closed", db.path)
	}
	return err
}

// errDamaged says that the file at path cannot be read as a database.
func errDamaged(path string, cause error) error {
	return hecha.Errorf(hecha.EUNAVAILABLE, "", "store.damaged", path, cause.Error())
}

// notFound returns an ENOTFOUND error with the catalogue message msgID
// about id.
func notFound(msgID, id string) error {
	return hecha.Errorf(hecha.ENOTFOUND, "", msgID, id)
}

// zeroFrom reports whether the bytes of the file at path from offset from
// up to end are all zero. What bbolt writes there (page headers, which
// hold the page's id, and records) is not.
func zeroFrom(path string, from, end int64) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for off := from; off < end; {
		n, err := f.ReadAt(buf[:min(int64(len(buf)), end-off)], off)
		for _, c := range buf[:n] {
			if c != 0 {
				return false, nil
			}
		}
		off += int64(n)
		if err == io.EOF {
			return true, nil // cut off even now
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}
