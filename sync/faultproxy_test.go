package sync_test

import (
	"io"
	"math/rand/v2"
	"net"
	stdsync "sync"
	"testing"
	"time"
)

// faultKind is what the fault proxy does to one connection.
type faultKind int

const (
	faultPass        faultKind = iota // forward both ways
	faultCutRequest                   // forward Offset bytes of the request, then cut
	faultCutResponse                  // forward Offset bytes of the answer, then cut
	faultDelay                        // wait Delay before forwarding anything
	faultDuplicate                    // also deliver the request on a second upstream connection
)

func (k faultKind) String() string {
	return [...]string{"pass", "cut-request", "cut-response", "delay", "duplicate"}[k]
}

// fault is the plan for one connection.
type fault struct {
	Kind   faultKind
	Offset int64
	Delay  time.Duration
}

// faultProxy is a TCP proxy on 127.0.0.1 that applies a fault to each
// connection it accepts, as plan decides from the connection's index.
type faultProxy struct {
	ln       net.Listener
	mu       stdsync.Mutex
	upstream string
	plan     func(i int) fault
	n        int
	open     map[net.Conn]bool
	wg       stdsync.WaitGroup
	applied  map[faultKind]int
	// onRequestBytes, when set, is called with each chunk forwarded
	// client→server and the connection's total so far.
	onRequestBytes func(conn int, chunk []byte, total int64)
}

func newFaultProxy(tb testing.TB, upstream string, plan func(i int) fault) *faultProxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &faultProxy{ln: ln, upstream: upstream, plan: plan, open: map[net.Conn]bool{}, applied: map[faultKind]int{}}
	p.wg.Add(1)
	go p.serve()
	return p
}

// URL is the address clients use.
func (p *faultProxy) URL() string { return "http://" + p.ln.Addr().String() }

// SetUpstream points new connections at another server.
func (p *faultProxy) SetUpstream(addr string) {
	p.mu.Lock()
	p.upstream = addr
	p.mu.Unlock()
}

// SetPlan starts a new schedule from the next connection on.
func (p *faultProxy) SetPlan(plan func(i int) fault) {
	p.mu.Lock()
	p.plan, p.n = plan, 0
	p.mu.Unlock()
}

// Close stops the proxy, cuts every connection and waits for them.
func (p *faultProxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.open {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *faultProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		i := p.n
		p.n++
		f := p.plan(i)
		p.applied[f.Kind]++
		up := p.upstream
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(i, c, up, f)
		}()
	}
}

// track registers conns for Close.
func (p *faultProxy) track(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		p.open[c] = true
	}
}

func (p *faultProxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		delete(p.open, c)
		c.Close()
	}
}

func (p *faultProxy) handle(i int, client net.Conn, upstream string, f fault) {
	p.track(client)
	up, err := net.Dial("tcp", upstream)
	if err != nil {
		p.untrack(client)
		return
	}
	conns := []net.Conn{client, up}
	var dup net.Conn
	if f.Kind == faultDuplicate {
		if dup, err = net.Dial("tcp", upstream); err == nil {
			conns = append(conns, dup)
		}
	}
	p.track(conns...)
	defer p.untrack(conns...)
	if f.Kind == faultDelay {
		time.Sleep(f.Delay)
	}

	// Each direction ends the whole connection when it ends: a proxy that
	// cuts means it.
	var once stdsync.Once
	closeAll := func() {
		once.Do(func() {
			for _, c := range conns {
				c.Close()
			}
		})
	}
	var wg stdsync.WaitGroup
	wg.Add(2)
	go func() { // client → server
		defer wg.Done()
		defer closeAll()
		limit := int64(-1)
		if f.Kind == faultCutRequest {
			limit = f.Offset
		}
		var dst io.Writer = up
		if dup != nil {
			dst = io.MultiWriter(up, dup)
		}
		p.copy(i, dst, client, limit, true)
	}()
	go func() { // server → client
		defer wg.Done()
		defer closeAll()
		limit := int64(-1)
		if f.Kind == faultCutResponse {
			limit = f.Offset
		}
		p.copy(i, client, up, limit, false)
	}()
	if dup != nil {
		wg.Add(1)
		go func() { // the duplicate's answers go nowhere
			defer wg.Done()
			_, _ = io.Copy(io.Discard, dup)
		}()
	}
	wg.Wait()
}

// copy forwards src to dst, at most limit bytes when limit ≥ 0.
func (p *faultProxy) copy(i int, dst io.Writer, src io.Reader, limit int64, request bool) {
	buf := make([]byte, 16<<10)
	var total int64
	for {
		want := len(buf)
		if limit >= 0 {
			if total >= limit {
				return
			}
			want = int(min(int64(want), limit-total))
		}
		n, err := src.Read(buf[:want])
		if n > 0 {
			if request && p.onRequestBytes != nil {
				p.onRequestBytes(i, buf[:n], total+int64(n))
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
			total += int64(n)
		}
		if err != nil {
			return
		}
	}
}

// randomPlan returns a seeded schedule: the first faulty connections get a
// random fault each (a cut at a random byte of the request or the answer,
// a delay, a duplicate delivery, or none); later ones pass, so a sync
// eventually gets through.
func randomPlan(seed uint64, faulty int) func(i int) fault {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var mu stdsync.Mutex
	return func(i int) fault {
		if i >= faulty {
			return fault{Kind: faultPass}
		}
		mu.Lock()
		defer mu.Unlock()
		switch k := faultKind(rng.IntN(5)); k {
		case faultCutRequest:
			return fault{Kind: k, Offset: rng.Int64N(3000)}
		case faultCutResponse:
			return fault{Kind: k, Offset: rng.Int64N(2500)}
		case faultDelay:
			return fault{Kind: k, Delay: time.Duration(rng.IntN(5)) * time.Millisecond}
		default:
			return fault{Kind: k}
		}
	}
}
