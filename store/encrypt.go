package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.etcd.io/bbolt"

	"hecha"
)

// Unlocking, encrypting and rekeying a database (seal.go,
// keyring.go).
//
// A database gets its keyring from Encrypt, which then seals every value in
// place: in transactions of encryptBatch values, with its progress in the
// meta key keyEncrypting, so that a process killed at any moment leaves a
// file that the next Open with the passphrase finishes encrypting, and
// loses nothing. While that key is present the sealer reads values not yet
// sealed as plain. The last step writes a compacted copy of the file and
// renames it over the original: bbolt does not clear the pages it frees,
// so without it the plain values would stay readable in the file's free
// pages. (The old file's blocks are released to the file system, not
// overwritten: a copy of the file is safe, a forensic image of the disk
// taken soon after may not be.)
//
// Sealing binds a value to its bucket and key, so values cannot be moved
// between records; it does not stop whoever can write the file from
// deleting records or putting back older sealed values of the same key.
//
// keyEncrypting holds a phase byte: encryptSealing, then the index (one
// byte) of the step of encryptSteps in progress and the last key it sealed;
// or encryptCompacting.

// encryptBatch is how many values one transaction of the in-place
// encryption seals.
var encryptBatch = 1000

// The phases of the in-place encryption.
const (
	encryptSealing    = 'S'
	encryptCompacting = 'C'
)

// encryptSteps are the buckets the in-place encryption goes through, in
// order: the sealed buckets' values, then the registry indexes' keys.
var encryptSteps = append(append([][]byte{}, sealedBuckets...),
	bucketFloatingCID, bucketResidentCID, bucketFloatingName, bucketResidentName)

// cryptOptions are the options and keys of an encrypted database.
type cryptOptions struct {
	passphrase, recoveryKey string
	kdf                     *KDFParams
	// Set once unlocked.
	ring    *keyring
	dataKey []byte
}

// WithPassphrase unlocks an encrypted database with the clerk's
// passphrase. A database without a keyring opens as it is.
func WithPassphrase(p string) Option { return func(db *DB) { db.crypt.passphrase = p } }

// WithRecoveryKey unlocks an encrypted database with its recovery key (as
// written down: ParseRecoveryKey), for setting a new passphrase with
// ChangePassphrase.
func WithRecoveryKey(k string) Option { return func(db *DB) { db.crypt.recoveryKey = k } }

// WithKDF sets the Argon2id parameters ChangePassphrase uses (DefaultKDF by
// default). Tests use cheap ones.
func WithKDF(p KDFParams) Option { return func(db *DB) { db.crypt.kdf = &p } }

// NeedsPassphrase reports whether err is Open's refusal of an encrypted
// database opened without a passphrase or recovery key.
func NeedsPassphrase(err error) bool {
	var e *hecha.Error
	return asError(err, &e) && e.MsgID == "store.passphrase_needed"
}

// WrongPassphrase reports whether err says that a passphrase or recovery
// key did not unlock the database.
func WrongPassphrase(err error) bool {
	var e *hecha.Error
	return asError(err, &e) && (e.MsgID == "store.wrong_passphrase" || e.MsgID == "store.wrong_recovery_key")
}

// Encrypted reports whether the database has a keyring (and is unlocked:
// Open refuses it otherwise).
func (db *DB) Encrypted() bool { return db.crypt.ring != nil }

// unlock reads the keyring, if the file has one, unwraps the data key with
// the passphrase or recovery key given to Open and registers the sealer
// for db's file. It runs in Open's first transaction, before the
// migrations and resetSending, which read values.
//
// Errors: EUNAUTHORIZED with store.passphrase_needed when the file is
// encrypted and Open got neither; EUNAUTHORIZED about "passphrase" or
// "recovery_key" when it does not unlock the file; EINVALID about
// "recovery_key" for one mistyped.
func (db *DB) unlock(tx *bbolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	data := meta.Get(keyKeyring)
	if data == nil {
		return nil
	}
	var ring keyring
	if err := json.Unmarshal(data, &ring); err != nil {
		return errDamaged(db.path, fmt.Errorf("keyring: %w", err))
	}
	if err := ring.check(); err != nil {
		return errDamaged(db.path, err)
	}
	var key []byte
	var err error
	switch {
	case db.crypt.passphrase != "":
		key, err = ring.unwrapPassphrase(db.crypt.passphrase)
	case db.crypt.recoveryKey != "":
		key, err = ring.unwrapRecovery(db.crypt.recoveryKey)
	default:
		return hecha.Errorf(hecha.EUNAUTHORIZED, "passphrase", "store.passphrase_needed", db.path)
	}
	db.crypt.passphrase, db.crypt.recoveryKey = "", ""
	if err != nil {
		return err
	}
	s, err := newSealer(key)
	if err != nil {
		return err
	}
	s.migrating = meta.Get(keyEncrypting) != nil
	db.crypt.ring, db.crypt.dataKey = &ring, key
	sealers.Store(db.bolt, s)
	return nil
}

// Encrypt gives a plain database (a township's or the county's) the
// keyring of k (NewKeys) and
// seals every value in place (see the top of this file), returning when
// the whole file is encrypted. Show the recovery key before: if the
// process dies meanwhile, the next Open with the passphrase finishes the
// job. Call it before the database is used for anything else.
//
// Errors: ECONFLICT when the database is already encrypted.
func (db *DB) Encrypt(ctx context.Context, k *Keys) error {
	s, err := newSealer(k.dataKey)
	if err != nil {
		return err
	}
	s.migrating = true
	err = db.update(ctx, func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta.Get(keyKeyring) != nil {
			return hecha.Errorf(hecha.ECONFLICT, "", "store.already_encrypted", db.path)
		}
		ring, err := json.Marshal(&k.ring)
		if err != nil {
			return err
		}
		if err := meta.Put(keyKeyring, ring); err != nil {
			return err
		}
		return meta.Put(keyEncrypting, []byte{encryptSealing, 0})
	})
	if err != nil {
		return err
	}
	ring := k.ring
	db.crypt.ring, db.crypt.dataKey = &ring, k.dataKey
	sealers.Store(db.bolt, s)
	return db.finishEncryption(ctx)
}

// finishEncryption runs the in-place encryption from where keyEncrypting
// says it stopped; nothing when the key is absent.
func (db *DB) finishEncryption(ctx context.Context) error {
	s, _ := sealers.Load(db.bolt)
	if s == nil {
		return nil
	}
	for {
		var state []byte
		err := db.view(ctx, func(tx *bbolt.Tx) error {
			state = copyBytes(tx.Bucket(bucketMeta).Get(keyEncrypting))
			return nil
		})
		switch {
		case err != nil:
			return err
		case state == nil:
			s.(*sealer).migrating = false
			return nil
		case state[0] == encryptCompacting:
			if err := db.rewriteFile(); err != nil {
				return fmt.Errorf("encrypt %s: %w", db.path, err)
			}
			err = db.update(ctx, func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyEncrypting) })
		case state[0] == encryptSealing && len(state) >= 2:
			err = db.update(ctx, func(tx *bbolt.Tx) error { return encryptStep(tx, state) })
		default:
			return errDamaged(db.path, fmt.Errorf("encryption state %q", state))
		}
		if err != nil {
			return err
		}
	}
}

// encryptStep seals up to encryptBatch values (or rehashes as many index
// keys) from the position state and records the next position.
func encryptStep(tx *bbolt.Tx, state []byte) error {
	meta := tx.Bucket(bucketMeta)
	s := sealerOf(tx)
	step := int(state[1])
	if step >= len(encryptSteps) {
		// Last, the settings; then the copy.
		if v := meta.Get(keySettings); v != nil && (len(v) == 0 || v[0] != sealV1) {
			if err := meta.Put(keySettings, s.seal(bucketMeta, keySettings, copyBytes(v))); err != nil {
				return err
			}
		}
		return meta.Put(keyEncrypting, []byte{encryptCompacting})
	}
	name := encryptSteps[step]
	b := tx.Bucket(name)
	type entry struct{ k, v []byte }
	var batch []entry
	next := []byte{encryptSealing, byte(step + 1)} // this step done
	if sealedValue(name, nil) {
		// Values: seal those that are not yet, from after the last key
		// done, encryptBatch keys at most.
		after := state[2:]
		c := b.Cursor()
		k, v := c.First()
		if len(after) > 0 {
			if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
		}
		for n := 0; k != nil; k, v = c.Next() {
			if n == encryptBatch {
				next = append([]byte{encryptSealing, byte(step)}, batch[len(batch)-1].k...)
				break
			}
			n++
			sealed := v != nil && len(v) > 0 && v[0] == sealV1
			if v == nil || sealed {
				// A nested bucket (none is declared), or done before a crash.
				batch = append(batch, entry{copyBytes(k), nil})
				continue
			}
			batch = append(batch, entry{copyBytes(k), s.seal(name, k, v)})
		}
		for _, e := range batch {
			if e.v == nil {
				continue
			}
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
	} else {
		// Index keys: plain keys sort before hashed ones (hashedKey);
		// each is replaced by its hashed form, encryptBatch at a time.
		c := b.Cursor()
		for k, _ := c.First(); k != nil && k[0] != hashedKey && len(batch) < encryptBatch; k, _ = c.Next() {
			hk, ok := hashPlainIndexKey(s, name, k)
			if !ok {
				return errDamaged(tx.DB().Path(), fmt.Errorf("%s: index key %q", name, k))
			}
			batch = append(batch, entry{copyBytes(k), hk})
		}
		for _, e := range batch {
			if err := b.Delete(e.k); err != nil {
				return err
			}
			if err := b.Put(e.v, nil); err != nil {
				return err
			}
		}
		if len(batch) > 0 {
			next = []byte{encryptSealing, byte(step)}
		}
	}
	return meta.Put(keyEncrypting, next)
}

// rewriteFile replaces the file with a compacted copy of itself, holding
// its lock (see CompactFile), and reopens it.
func (db *DB) rewriteFile() error {
	removeStaleCopies(db.path)
	tmp, err := os.CreateTemp(filepath.Dir(db.path), filepath.Base(db.path)+".encrypt-*")
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	_ = tmp.Close()
	_ = os.Remove(tmpPath)
	defer os.Remove(tmpPath)
	if err := compactInto(db.bolt, db.path, tmpPath); err != nil {
		return err
	}
	s, _ := sealers.Load(db.bolt)
	if err := renameFile(tmpPath, db.path); err != nil {
		// Where an open file cannot be replaced (Windows), release it first.
		db.closeBolt()
		if err := renameFile(tmpPath, db.path); err != nil {
			return err
		}
	}
	if err := syncDir(filepath.Dir(db.path)); err != nil {
		return err
	}
	db.closeBolt()
	bdb, _, err := openBolt(db.path, db.boltOptions())
	if err != nil {
		return err
	}
	db.bolt = bdb
	sealers.Store(bdb, s)
	return nil
}

// removeStaleCopies removes the copies a rewriteFile killed midway left
// beside path (they hold sealed values only).
func removeStaleCopies(path string) {
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), filepath.Base(path)+".encrypt-") {
			_ = os.Remove(filepath.Join(filepath.Dir(path), e.Name()))
		}
	}
}

// closeBolt closes the bbolt file and forgets its sealer.
func (db *DB) closeBolt() {
	if db.bolt == nil {
		return
	}
	sealers.Delete(db.bolt)
	_ = db.bolt.Close()
}

// ChangePassphrase wraps the data key under a new passphrase (with a new
// salt); nothing is re-encrypted, and the recovery key stays valid. The
// database must be open with its passphrase or recovery key.
// Errors: EINVALID about "passphrase" (ValidatePassphrase); EINVALID when
// the database is not encrypted.
func (db *DB) ChangePassphrase(ctx context.Context, passphrase string) error {
	if err := ValidatePassphrase(passphrase); err != nil {
		return err
	}
	if db.crypt.ring == nil {
		return hecha.Errorf(hecha.EINVALID, "", "store.not_encrypted", db.path)
	}
	ring := *db.crypt.ring
	kdf := DefaultKDF
	if db.crypt.kdf != nil {
		kdf = *db.crypt.kdf
	}
	if err := ring.wrapPassphrase(db.crypt.dataKey, passphrase, kdf); err != nil {
		return err
	}
	data, err := json.Marshal(&ring)
	if err != nil {
		return err
	}
	err = db.update(ctx, func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyKeyring, data) })
	if err == nil {
		db.crypt.ring = &ring
	}
	return err
}

// VerifyPassphrase reports whether p is the database's passphrase: nil,
// or EUNAUTHORIZED about "passphrase". It takes as long as an unlock (the
// Argon2id derivation); the terminal's lock screen calls it.
func (db *DB) VerifyPassphrase(p string) error {
	if db.crypt.ring == nil {
		return hecha.Errorf(hecha.EINVALID, "", "store.not_encrypted", db.path)
	}
	key, err := db.crypt.ring.unwrapPassphrase(p)
	if err != nil {
		return err
	}
	if !bytes.Equal(key, db.crypt.dataKey) {
		return hecha.Errorf(hecha.EUNAUTHORIZED, "passphrase", "store.wrong_passphrase")
	}
	return nil
}

// asError is errors.As for the domain's error type.
func asError(err error, target **hecha.Error) bool { return errors.As(err, target) }
