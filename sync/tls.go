package sync

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	stdsync "sync"
	"time"

	"hecha"
)

// TLS between the townships and the county.
//
// The county server makes its own certificate (NewCertificate) and says
// its SHA-256 fingerprint; the township pins that fingerprint
// (WithPinnedCertificate) after the clerk compared it with the county on
// the phone, and from then on accepts that certificate and no other.
// Counties with a certificate authority of their own can instead hand it
// to the client (WithTLSConfig with RootCAs). Plain HTTP needs
// WithInsecureHTTP.

// CertificateValidity is how long a certificate NewCertificate makes is
// valid. A pinned certificate is trusted for exactly what it is, so it
// need not expire soon; replacing it means calling every township.
const CertificateValidity = 20 * 365 * 24 * time.Hour

// NewCertificate makes a self-signed certificate for the county server:
// an ECDSA P-256 key, valid for hosts (names and IP addresses) from an
// hour before now for CertificateValidity. It returns the certificate and
// its private key (PKCS #8), both in PEM.
func NewCertificate(hosts []string, now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, nil, fmt.Errorf("serial number: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "hecha-county", Organization: []string{"hecha"}},
		NotBefore:             now.Add(-time.Hour).UTC(),
		NotAfter:              now.Add(CertificateValidity).UTC(),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	seen := map[string]bool{}
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("create certificate: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), nil
}

// Fingerprint returns the SHA-256 fingerprint of a certificate in DER:
// hecha.FingerprintDigits lower-case hex digits.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// PEMFingerprint returns the fingerprint of the first certificate in
// certPEM: the server's own, ahead of any chain. EINVALID when there is
// none.
func PEMFingerprint(certPEM []byte) (string, error) {
	for rest := certPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return "", hecha.Invalid("tls_cert", "sync.err.no_cert")
		}
		if b.Type == "CERTIFICATE" {
			if _, err := x509.ParseCertificate(b.Bytes); err != nil {
				return "", hecha.Invalid("tls_cert", "sync.err.bad_cert", err.Error())
			}
			return Fingerprint(b.Bytes), nil
		}
	}
}

// WithPinnedCertificate makes the client accept the server's certificate
// only when its SHA-256 fingerprint is fp (as hecha.ParseFingerprint
// returns it), whoever signed it. Any other certificate ends the
// handshake before a request is written, so the token is never sent: the
// call returns EUNAUTHORIZED about "fingerprint" (sync.err.pin). With
// RootCAs (WithTLSConfig) the chain is verified as well.
func WithPinnedCertificate(fp string) ClientOption {
	return func(c *clientConfig) { c.pin = fp }
}

// WithInsecureHTTP lets the client use an http:// address, where the
// token and every case travel in clear text. Without it NewClient
// refuses such an address.
func WithInsecureHTTP() ClientOption { return func(c *clientConfig) { c.insecureHTTP = true } }

// pinTLS returns cfg set up to accept exactly the certificate whose
// fingerprint is pin.
//
// A self-signed certificate has no chain a client can verify, so the
// ordinary verification (chain to a trusted root, host name, validity
// dates) is turned off with InsecureSkipVerify unless cfg has RootCAs, and
// VerifyConnection does the check instead. That is sound because:
//   - crypto/tls calls VerifyConnection on every handshake, full or
//     resumed, after the peer's certificates are known and before the
//     handshake completes; an error from it aborts the handshake, so no
//     HTTP request (and no Authorization header) is ever written on the
//     connection. (VerifyPeerCertificate, by contrast, is not called on
//     resumed sessions.)
//   - InsecureSkipVerify does not skip the proof of possession: the
//     server still has to sign the handshake with the private key of the
//     certificate it presents, so presenting a copy of the pinned
//     certificate without its key fails.
//   - the leaf's fingerprint covers the whole certificate, key and names
//     and dates included, so it names exactly one certificate. Its dates
//     are not checked: the pin alone is the trust, and the township's
//     clock may well be wrong.
func pinTLS(cfg *tls.Config, pin string) {
	cfg.InsecureSkipVerify = cfg.RootCAs == nil
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return &pinError{want: pin}
		}
		if got := Fingerprint(cs.PeerCertificates[0].Raw); got != pin {
			return &pinError{got: got, want: pin}
		}
		return nil
	}
}

// pinError is a handshake ended because the server's certificate is not
// the pinned one.
type pinError struct{ got, want string }

func (e *pinError) Error() string {
	return "the server's certificate has the fingerprint " + e.got + ", not the pinned " + e.want
}

// errFingerprintSeen ends the handshake of ServerFingerprint once the
// server's certificate is seen.
var errFingerprintSeen = errors.New("the server's certificate fingerprint was read")

// pinFailure returns the domain error for a handshake refused because
// of the pin, or nil when err is something else.
func pinFailure(err error) error {
	var pe *pinError
	switch {
	case errors.As(err, &pe):
		got := hecha.FormatFingerprint(pe.got)
		if got == "" {
			got = "-"
		}
		return hecha.Errorf(hecha.EUNAUTHORIZED, "fingerprint", "sync.err.pin", hecha.FormatFingerprint(pe.want), got)
	case errors.Is(err, errFingerprintSeen):
		return errFingerprintSeen
	}
	return nil
}

// ServerFingerprint connects to the county server at baseURL (https) and
// returns the fingerprint of the certificate it presents, without
// trusting it: the handshake is ended as soon as the certificate is
// seen, so no request is sent. The clerk compares it with the county's
// before it is pinned. EINVALID for an http:// address; EUNAVAILABLE when
// the server cannot be reached.
func ServerFingerprint(ctx context.Context, baseURL string, opts ...ClientOption) (string, error) {
	var mu stdsync.Mutex
	var seen string
	opts = append(opts, WithRetry(1, 0, 0), func(c *clientConfig) {
		c.observe = func(fp string) {
			mu.Lock()
			defer mu.Unlock()
			seen = fp
		}
	})
	c, err := NewClient(baseURL, "", opts...)
	if err != nil {
		return "", err
	}
	defer c.CloseIdle()
	if c.base.Scheme != "https" {
		return "", hecha.Invalid("server_url", "sync.err.not_tls", baseURL)
	}
	err = c.Health(ctx)
	mu.Lock()
	defer mu.Unlock()
	switch {
	case seen != "":
		return seen, nil
	case err == nil:
		return "", hecha.Errorf(hecha.EINTERNAL, "", "sync.err.no_peer_cert")
	}
	return "", err
}

// observeTLS sets cfg up to hand the server's certificate fingerprint to
// observe and end the handshake there.
func observeTLS(cfg *tls.Config, observe func(string)) {
	cfg.InsecureSkipVerify = true // nothing is trusted: the handshake ends below
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) > 0 {
			observe(Fingerprint(cs.PeerCertificates[0].Raw))
		}
		return errFingerprintSeen
	}
}
