package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fault is what the test proxy does to a request instead of passing the
// server's answer on.
type fault int

const (
	pass       fault = iota
	dropHeader       // close the connection in the middle of the status line and headers
	dropBody         // send the headers and half the body, then close the connection
	status500        // answer HTTP 500 InternalErrorException
	throttle         // answer HTTP 400 TooManyRequestsException, as Cognito throttles
	stall            // answer nothing until the client gives up
)

func (f fault) String() string {
	return [...]string{"pass", "drop-in-headers", "drop-in-body", "500", "throttle", "stall"}[f]
}

// rule makes the proxy inject a fault into requests for the operation op
// (and, for RespondToAuthChallenge, the challenge, if set).
type rule struct {
	op, challenge string
	fault         fault
	// upstream says whether the request reaches the server first, so
	// that the fault hides the server's answer (which used up a session
	// or confirmed a device) rather than the request.
	upstream bool
	// times is how many matching requests get the fault; 0 means all.
	times int
}

// entry is one request that went through the proxy.
type entry struct {
	op        string
	challenge string            // RespondToAuthChallenge's ChallengeName
	flow      string            // InitiateAuth's AuthFlow
	session   string            // the Session sent, if any
	params    map[string]string // AuthParameters or ChallengeResponses
	fault     fault
	upstream  bool // the server saw it
	status    int  // the server's status, if it saw it
}

func (e entry) String() string {
	s := e.op
	if e.flow != "" {
		s += " " + e.flow
	}
	if e.challenge != "" {
		s += " " + e.challenge
	}
	if e.fault != pass {
		s += " [" + e.fault.String() + "]"
	}
	return s
}

// proxy is an HTTP proxy on 127.0.0.1 between an SDK client and a
// cognitotest server, which logs every request and injects faults.
type proxy struct {
	t        testing.TB
	srv      *httptest.Server
	upstream string
	client   *http.Client
	quit     chan struct{}

	mu    sync.Mutex
	rules []*rule
	log   []entry
	hits  map[*rule]int
}

// newProxy starts a proxy in front of the server at upstream; it is closed
// when the test ends.
func newProxy(t testing.TB, upstream string, rules ...*rule) *proxy {
	p := &proxy{
		t: t, upstream: upstream, rules: rules, hits: map[*rule]int{},
		client: &http.Client{Transport: newTransport(t, 16), Timeout: 30 * time.Second},
		quit:   make(chan struct{}),
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(func() {
		close(p.quit)
		p.srv.Close()
	})
	return p
}

// URL is the proxy's address, for the SDK's BaseEndpoint.
func (p *proxy) URL() string { return p.srv.URL }

// entries returns the requests so far.
func (p *proxy) entries() []entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]entry(nil), p.log...)
}

// ops returns the requests so far as short strings.
func (p *proxy) ops() []string {
	var ops []string
	for _, e := range p.entries() {
		ops = append(ops, e.String())
	}
	return ops
}

func (p *proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "proxy: reading the request: "+err.Error(), http.StatusBadGateway)
		return
	}
	e := entry{op: strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")}
	var in struct {
		AuthFlow, ChallengeName, Session   string
		AuthParameters, ChallengeResponses map[string]string
	}
	json.Unmarshal(body, &in) // best effort: a bad body goes to the server as it is
	e.flow, e.challenge, e.session = in.AuthFlow, in.ChallengeName, in.Session
	e.params = in.AuthParameters
	if in.ChallengeResponses != nil {
		e.params = in.ChallengeResponses
	}

	p.mu.Lock()
	var hit *rule
	for _, rl := range p.rules {
		if rl.op == e.op && (rl.challenge == "" || rl.challenge == e.challenge) && (rl.times == 0 || p.hits[rl] < rl.times) {
			hit = rl
			p.hits[rl]++
			break
		}
	}
	if hit != nil {
		e.fault, e.upstream = hit.fault, hit.upstream
	} else {
		e.upstream = true
	}
	i := len(p.log)
	p.log = append(p.log, e)
	p.mu.Unlock()

	var resp *http.Response
	var respBody []byte
	if e.upstream {
		req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, p.upstream+r.URL.Path, bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		for k, v := range r.Header {
			req.Header[k] = v
		}
		resp, err = p.client.Do(req)
		if err != nil {
			http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
			return
		}
		respBody, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
			return
		}
		p.mu.Lock()
		p.log[i].status = resp.StatusCode
		p.mu.Unlock()
	}

	switch e.fault {
	case pass:
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(respBody)
	case dropHeader:
		p.hijack(w, func(b *bytes.Buffer) {
			b.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-")
		})
	case dropBody:
		if respBody == nil {
			respBody = []byte(`{"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {"SALT": "00"}}`)
		}
		p.hijack(w, func(b *bytes.Buffer) {
			fmt.Fprintf(b, "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: %d\r\n\r\n", len(respBody))
			b.Write(respBody[:len(respBody)/2])
		})
	case status500:
		writeAPIError(w, http.StatusInternalServerError, "InternalErrorException", "Internal server error.")
	case throttle:
		writeAPIError(w, http.StatusBadRequest, "TooManyRequestsException", "Rate exceeded")
	case stall:
		select {
		case <-r.Context().Done(): // the client gave up
		case <-p.quit:
		case <-time.After(time.Minute):
			p.t.Errorf("proxy: the client waited a minute for %s", e)
		}
	}
}

// hijack writes what write writes straight to the connection, and closes it.
func (p *proxy) hijack(w http.ResponseWriter, write func(*bytes.Buffer)) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	var b bytes.Buffer
	write(&b)
	conn.Write(b.Bytes())
}

// writeAPIError answers a Cognito error: its JSON body and the
// x-amzn-ErrorType header.
func writeAPIError(w http.ResponseWriter, status int, typ, msg string) {
	b, _ := json.Marshal(map[string]string{"__type": typ, "message": msg})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-ErrorType", typ)
	w.Header().Set("x-amzn-RequestId", "proxy-"+strconv.Itoa(status))
	w.WriteHeader(status)
	w.Write(b)
}

// checkNoReplay fails if the same Session, SRP secret block or claim
// signature was sent twice: a challenge answer is single-use, and sending
// it again means retrying a challenge that the server may have used up.
func checkNoReplay(t *testing.T, p *proxy) {
	t.Helper()
	seen := map[string]string{}
	for _, e := range p.entries() {
		if e.op != "RespondToAuthChallenge" && e.op != "AssociateSoftwareToken" && e.op != "VerifySoftwareToken" {
			continue
		}
		for _, v := range []string{e.session, e.params["PASSWORD_CLAIM_SECRET_BLOCK"], e.params["PASSWORD_CLAIM_SIGNATURE"]} {
			if v == "" {
				continue
			}
			if prev, ok := seen[v]; ok {
				t.Errorf("%s sent again what %s sent (a Session or claim); requests: %s", e, prev, strings.Join(p.ops(), ", "))
				return
			}
			seen[v] = e.String()
		}
	}
}
