package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/codefile"
	hsync "hecha/sync"
)

// setupTimeout bounds the check of the server and the token during setup;
// the division table that follows may take longer on a slow line.
const setupTimeout = 30 * time.Second

func init() { cli.ValueNames["fingerprint"] = "HEX" }

// setupOptions are the flags of "setup".
type setupOptions struct {
	server, token, clerk string
	ca, regions          string
	fingerprint          string
	insecure             bool
}

// setupCommand is "setup --server URL --token TOKEN [--clerk NAME]
// [--fingerprint HEX | --ca FILE | --insecure-http]".
func (m *Main) setupCommand() *cli.Command {
	return &cli.Command{
		Name: "setup", Summary: "cli.township.setup.summary", Help: "cli.township.setup.help",
		ValueNames: map[string]string{"regions": "FILE"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var o setupOptions
			fs.StringVar(&o.server, "server", "", hecha.T(lang, "cli.township.flag.server"))
			fs.StringVar(&o.token, "token", "", hecha.T(lang, "cli.township.flag.token"))
			fs.StringVar(&o.clerk, "clerk", "", hecha.T(lang, "cli.township.flag.clerk"))
			fs.StringVar(&o.ca, "ca", "", hecha.T(lang, "cli.township.flag.ca"))
			fs.StringVar(&o.regions, "regions", "", hecha.T(lang, "cli.township.flag.regions"))
			fs.StringVar(&o.fingerprint, "fingerprint", "", hecha.T(lang, "cli.township.flag.fingerprint"))
			fs.BoolVar(&o.insecure, "insecure-http", false, hecha.T(lang, "cli.township.flag.insecure"))
			return func(ctx context.Context, _ []string) error { return m.setup(ctx, o) }
		},
	}
}

// setup pins the server's certificate (the fingerprint given, or the
// one the server shows once the clerk confirmed it against the county's),
// checks the token (the server says which township it belongs to), takes
// the county's division table (unless --regions brings one from a file)
// and stores the settings. A database that already holds another
// township's cases is refused: one database, one township.
func (m *Main) setup(ctx context.Context, o setupOptions) error {
	if o.server == "" || o.token == "" {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "cli.township.setup.need"))
	}
	var pin string
	if o.fingerprint != "" {
		fp, err := hecha.ParseFingerprint("fingerprint", o.fingerprint)
		if err != nil {
			return cli.Exit(cli.ExitUsage, err)
		}
		pin = fp
	}
	plain := false
	if u, err := url.Parse(strings.TrimSpace(o.server)); err == nil && u.Scheme == "http" {
		switch {
		case !o.insecure:
			return cli.Exit(cli.ExitUsage, hecha.Invalid("server", "cli.township.setup.plain_http", o.server))
		case pin != "" || o.ca != "":
			return cli.Exit(cli.ExitUsage, hecha.Invalid("server", "cli.township.setup.http_pin"))
		}
		plain = true
	}
	var caPEM []byte
	if o.ca != "" {
		b, err := os.ReadFile(o.ca)
		if err != nil {
			return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "cli.township.ca.read", o.ca, err))
		}
		if !x509.NewCertPool().AppendCertsFromPEM(b) {
			return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "cli.township.ca.bad", o.ca))
		}
		caPEM = b
	}
	db, err := m.OpenDB(ctx)
	if err != nil {
		return err
	}
	if err := m.secrets().SetupEncryption(ctx, db.DB); err != nil {
		return err
	}
	if caPEM != nil {
		if err := cli.WriteFileAtomic(caPath(m.DBPath), func(w io.Writer) error { _, err := w.Write(caPEM); return err }); err != nil {
			return hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.township.ca.write", caPath(m.DBPath), err)
		}
	}
	if o.regions != "" {
		if err := m.importRegions(ctx, o.regions); err != nil {
			return err
		}
	}

	// Which certificate to trust: the pin given, the county's authority
	// (--ca now or before) alone, or the certificate the server shows,
	// once the clerk has compared it with the county's.
	cctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	trust := []hsync.ClientOption{hsync.WithRetry(2, time.Second, 5*time.Second)}
	switch {
	case plain:
		trust = append(trust, hsync.WithInsecureHTTP())
	case pin == "" && !m.hasCA():
		fp, err := m.confirmFingerprint(cctx, o.server)
		if err != nil {
			return err
		}
		pin = fp
	}
	if pin != "" {
		trust = append(trust, hsync.WithPinnedCertificate(pin))
	}

	// Ask the server whose token this is.
	client, err := m.NewClient(o.server, o.token, trust...)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	defer client.CloseIdle()
	township, err := client.WhoAmI(cctx)
	if err != nil {
		return err
	}

	// One database serves one township.
	st := m.Settings
	if st.Township != "" && st.Township != township {
		counts, err := db.Counts(ctx)
		if err != nil {
			return err
		}
		if counts.Total() > 0 {
			return hecha.Errorf(hecha.ECONFLICT, "", "cli.township.setup.other", m.DBPath, st.Township, counts.Total(), township)
		}
		st = hecha.Settings{} // a new township starts from the first page
	}
	if o.regions == "" {
		if err := m.pullDivisions(ctx, client); err != nil {
			return err
		}
	}
	if st.ServerURL != o.server {
		// Another server's change sequence: pull from the start (pulls
		// never overwrite local work, so this costs only traffic).
		st.Cursor, st.RegistryCursor = 0, 0
	}
	st.ServerURL, st.Token, st.Township = o.server, o.token, township
	st.TLSFingerprint, st.InsecureHTTP = pin, plain
	if o.clerk != "" {
		st.Clerk = o.clerk
	}
	if err := db.SaveSettings(ctx, st); err != nil {
		return err
	}
	m.Settings = st
	name := m.Rules.Divisions.FullName(township)
	if name == "" || name == string(township) {
		name = hecha.T(m.Lang, "cli.township.setup.no_name")
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.setup.done", township, cli.Sanitize(name), cli.Sanitize(o.server)))
	if st.Clerk != "" {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.setup.clerk", cli.Sanitize(st.Clerk)))
	}
	switch {
	case pin != "":
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.setup.pinned", hecha.FormatFingerprint(pin)))
	case plain:
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "cli.township.setup.plain"))
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.setup.next"))
	return nil
}

// importRegions loads a division file (as "hecha-county import regions"
// reads it) into the table stored in the database, so that the forms
// check division codes offline: for a county that has no table to give.
func (m *Main) importRegions(ctx context.Context, path string) error {
	data, header, _, err := cli.TableCSV(path)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	if cli.IsHistoricHeader(header) {
		if err := codefile.LoadHistoric(hecha.NewDivisionTable(), bytes.NewReader(data)); err != nil {
			return cli.Exit(cli.ExitUsage, err)
		}
		_, err := m.addDivisions(ctx, nil, data)
		return err
	}
	fresh := hecha.NewDivisionTable()
	if err := codefile.LoadDivisions(fresh, bytes.NewReader(data)); err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	if _, err := m.addDivisions(ctx, fresh, nil); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.setup.regions", fresh.Len()))
	return nil
}

// hasCA reports whether the county's certificate authority is kept beside
// the database (setup --ca, now or before): the server's certificate is
// then verified against it, and pinning is optional.
func (m *Main) hasCA() bool {
	_, err := os.Stat(caPath(m.DBPath))
	return err == nil
}

// confirmFingerprint reads the fingerprint of the certificate the server
// at serverURL presents, shows it to the clerk to compare with the one
// the county reads out on the phone, and returns it once the clerk
// answers yes. Any other answer, or none (no terminal), saves nothing.
func (m *Main) confirmFingerprint(ctx context.Context, serverURL string) (string, error) {
	fp, err := hsync.ServerFingerprint(ctx, serverURL, m.ClientOptions...)
	if hecha.ErrorCode(err) == hecha.EINVALID {
		return "", cli.Exit(cli.ExitUsage, err) // not a server address
	}
	if err != nil {
		return "", err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.setup.shown", cli.Sanitize(serverURL)))
	fmt.Fprintln(m.Stdout, "  "+hecha.FormatFingerprint(fp))
	if old := m.Settings.TLSFingerprint; old != "" && old != fp {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.setup.changed", hecha.FormatFingerprint(old)))
	}
	fmt.Fprint(m.Stdout, hecha.T(m.Lang, "cli.township.setup.ask"))
	line, _ := bufio.NewReader(m.Stdin).ReadString('\n')
	fmt.Fprintln(m.Stdout)
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "是", "对", "一致":
		return fp, nil
	}
	return "", hecha.Errorf(hecha.EINVALID, "fingerprint", "cli.township.setup.not_confirmed")
}
