package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/pgstore"
	hsync "hecha/sync"
)

// The county server's certificate.
//
// Unless told --tls-cert/--tls-key (a certificate from a real authority)
// or --insecure-http, "serve" speaks HTTPS with a self-signed certificate
// it makes on first start and keeps beside the database, in the folder
// <db>.tls (0700): cert.pem and key.pem (0600). Later starts reuse it, so
// its fingerprint, which every township pins at setup, stays the same.
// The pair is written into a temporary folder first and renamed into
// place, so a crash or a second process never leaves a key that does not
// fit its certificate.
//
//	hecha-county tls fingerprint [--tls-cert FILE]
//
// prints the fingerprint without serving (making the certificate when
// there is none yet), for the operator to read out to a township.

// tlsSuffix names the certificate folder beside the database.
const tlsSuffix = ".tls"

// The files in the certificate folder.
const (
	certFileName = "cert.pem"
	keyFileName  = "key.pem"
)

func init() {
	cli.ValueNames["fingerprint"] = "HEX"
	additions = append(additions, func(m *Main) cli.Addition {
		return cli.Addition{Parent: "tls", GroupSummary: "county.cli.tls.summary", Command: &cli.Command{
			Name: "fingerprint", Summary: "county.cli.tls.fingerprint.summary", Help: "county.cli.tls.fingerprint.help",
			Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
				cert := fs.String("tls-cert", "", hecha.T(lang, "county.cli.flag.tls.cert"))
				return func(ctx context.Context, _ []string) error { return m.tlsFingerprint(*cert) }
			},
		}}
	})
}

// tlsFingerprint prints the fingerprint of certFile, or of the
// certificate beside the database (made now when there is none).
func (m *Main) tlsFingerprint(certFile string) error {
	var fp string
	if certFile != "" {
		b, err := os.ReadFile(certFile)
		if err != nil {
			return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "tls_cert", "county.cli.tls.read", certFile, err))
		}
		if fp, err = hsync.PEMFingerprint(b); err != nil {
			return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "tls_cert", "county.cli.tls.bad", certFile, hecha.ErrorMessage(err, m.Lang)))
		}
	} else {
		db, err := m.dbPath()
		if err != nil {
			return err
		}
		cert, err := m.countyCertificate(db, DefaultAddr)
		if err != nil {
			return err
		}
		fp = cert.fp
	}
	fmt.Fprintln(m.Stdout, hecha.FormatFingerprint(fp))
	return nil
}

// countyCert is the certificate serve uses: its files and fingerprint.
type countyCert struct {
	certFile, keyFile string
	fp                string
}

// tlsDirEnv names the folder that holds the certificate folders of
// PostgreSQL databases.
const tlsDirEnv = "HECHA_COUNTY_TLS_DIR"

// tlsDir is the certificate folder of the database at db: beside a file.
// A PostgreSQL database, which several servers share, has no file: its
// folder, named after the database's host and name, is in the folder
// HECHA_COUNTY_TLS_DIR names, else in the data folder. Servers on several
// machines must serve one certificate (townships pin its fingerprint):
// copy the folder to each, or give --tls-cert and --tls-key.
func tlsDir(db string) string {
	if !pgstore.IsDSN(db) {
		return db + tlsSuffix
	}
	base := os.Getenv(tlsDirEnv)
	if base == "" {
		var err error
		if base, err = cli.DefaultDir(); err != nil {
			base = "."
		}
	}
	_ = os.MkdirAll(base, 0o700)
	name := "county"
	if u, err := url.Parse(db); err == nil {
		name += "-" + u.Hostname() + "-" + strings.TrimPrefix(u.Path, "/")
	}
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, name)
	return filepath.Join(base, name+tlsSuffix)
}

// countyCertificate returns the certificate kept beside the database at
// db, making it first when there is none (valid for the host of addr, this
// machine's name and the loopback addresses) and saying so on Stderr.
func (m *Main) countyCertificate(db, addr string) (countyCert, error) {
	dir := tlsDir(db)
	c := countyCert{certFile: filepath.Join(dir, certFileName), keyFile: filepath.Join(dir, keyFileName)}
	_, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		made, err := m.makeCertificate(dir, certHosts(addr))
		if err != nil {
			return c, hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.tls.create", dir, err)
		}
		if made {
			fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.tls.created", cli.Sanitize(dir)))
		}
	case err != nil:
		return c, hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.tls.read", dir, err)
	}
	if _, err := tls.LoadX509KeyPair(c.certFile, c.keyFile); err != nil {
		return c, hecha.Errorf(hecha.EINVALID, "", "county.cli.tls.damaged", cli.Sanitize(dir), err)
	}
	b, err := os.ReadFile(c.certFile)
	if err != nil {
		return c, hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.tls.read", c.certFile, err)
	}
	if c.fp, err = hsync.PEMFingerprint(b); err != nil {
		return c, hecha.Errorf(hecha.EINVALID, "", "county.cli.tls.damaged", cli.Sanitize(dir), hecha.ErrorMessage(err, m.Lang))
	}
	return c, nil
}

// makeCertificate writes a new certificate and key into a temporary
// folder beside dir and renames it to dir. It returns false, and leaves
// dir as it is, when another process made dir meanwhile.
func (m *Main) makeCertificate(dir string, hosts []string) (bool, error) {
	certPEM, keyPEM, err := hsync.NewCertificate(hosts, m.Clock())
	if err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".new-*")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp) // gone after the rename
	for _, f := range []struct {
		name string
		data []byte
		perm fs.FileMode
	}{{keyFileName, keyPEM, 0o600}, {certFileName, certPEM, 0o644}} {
		if err := writeSynced(filepath.Join(tmp, f.name), f.data, f.perm); err != nil {
			return false, err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(dir); serr == nil {
			return false, nil // another process was first: use its pair
		}
		return false, err
	}
	// Make the rename itself durable.
	if d, err := os.Open(filepath.Dir(dir)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return true, nil
}

// writeSynced creates the file at path with perm and data, synced to disk.
func writeSynced(path string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// certHosts are the names a new certificate is made for: the host of the
// listen address unless it is every address, this machine's name, and
// the loopback names. Townships that pin the certificate do not need the
// name they dial to be among them; those that trust it as an authority
// (setup --ca) do.
func certHosts(addr string) []string {
	var hosts []string
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "" {
		if ip := net.ParseIP(h); ip == nil || !ip.IsUnspecified() {
			hosts = append(hosts, h)
		}
	}
	if name, err := os.Hostname(); err == nil && name != "" {
		hosts = append(hosts, name)
	}
	return append(hosts, "localhost", "127.0.0.1", "::1")
}

// givenCertificate checks the pair given with --tls-cert and --tls-key
// before serving, and reads the certificate's fingerprint.
func givenCertificate(certFile, keyFile string) (countyCert, error) {
	c := countyCert{certFile: certFile, keyFile: keyFile}
	if _, err := tls.LoadX509KeyPair(certFile, keyFile); err != nil {
		return c, cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "tls_cert", "county.cli.tls.bad", certFile, err.Error()))
	}
	b, err := os.ReadFile(certFile)
	if err != nil {
		return c, cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "tls_cert", "county.cli.tls.read", certFile, err))
	}
	if c.fp, err = hsync.PEMFingerprint(b); err != nil {
		return c, cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "tls_cert", "county.cli.tls.bad", certFile, err.Error()))
	}
	return c, nil
}
