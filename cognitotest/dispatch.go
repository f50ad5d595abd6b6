package cognitotest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on requests. Bodies larger than maxBodySize are answered with HTTP
// 413 and a SerializationException; deeper, wider or longer JSON values are
// answered with an InvalidParameterException.
const (
	maxBodySize   = 1 << 20
	maxStringLen  = 16 << 10
	maxMapEntries = 100
	maxArrayLen   = 100
	maxJSONDepth  = 16
	maxSessions   = 100_000
	// maxUserSessions bounds one user's sign-ins in progress,
	// maxClientSessions an app client's: beyond either, the oldest that has
	// proven no first factor is ended (sessions.go).
	maxUserSessions   = 20
	maxClientSessions = 50_000
	// maxInFlight is how many API requests are read and served at once.
	maxInFlight    = 32
	maxOutbox      = 1000
	maxUserDevices = 200
)

const (
	targetPrefix    = "AWSCognitoIdentityProviderService."
	jsonContentType = "application/x-amz-json-1.1"
	defaultTTL      = 3 * time.Minute
	tokenLifetime   = time.Hour
	refreshLifetime = 30 * 24 * time.Hour
	timestampSkew   = 5 * time.Minute
	purgeInterval   = 10 * time.Second
	usedRetention   = 10 * time.Minute
)

// reqCtx carries what handlers need from the HTTP request, and what the
// request's decoded input tells the log line.
type reqCtx struct {
	issuerBase string // the server's own URL, "http://host:port" (issuer.go)
	remoteIP   string
	now        time.Time
	log        logSummary
}

// handler serves one operation: it decodes body, once, into the
// operation's typed input and acts on it. Every operation's handler is made
// by op.
type handler func(e *Handler, rc *reqCtx, body []byte) (any, error)

// op makes the handler of an operation whose input is a T: it decodes the
// body with the strict decoder (decode) into a fresh T, notes in rc.log what
// the input tells the log line (even when the body is refused, from the
// members read well), and passes the input to f. Nothing else reads the
// body.
func op[T any](f func(e *Handler, rc *reqCtx, in *T) (any, error)) handler {
	fields := logFieldsOf(reflect.TypeFor[T]())
	return func(e *Handler, rc *reqCtx, body []byte) (any, error) {
		in := new(T)
		err := decode(body, in)
		rc.log = fields.summary(reflect.ValueOf(in).Elem())
		if err != nil {
			return nil, err
		}
		return f(e, rc, in)
	}
}

// logSummary is what serve's log line tells of a request, whatever the
// operation: the members of its input that name the flow, the challenge,
// the app client and the user. A member the operation's input lacks, or of
// the wrong JSON type, is left empty.
type logSummary struct {
	authFlow, challengeName, clientID, user string
}

// logFields are the index paths in an operation's input of the members
// that logSummary reads, nil for those it lacks: AuthFlow, ChallengeName and
// ClientId (strings), and the USERNAME of AuthParameters or
// ChallengeResponses (maps of strings). They are found by JSON name, as the
// strict decoder finds them, once per operation, so that every input with
// such a member has it logged.
type logFields struct {
	authFlow, challengeName, clientID, authParameters, challengeResponses []int
}

func logFieldsOf(t reflect.Type) logFields {
	f := cachedFields(t)
	index := func(name string, kind reflect.Kind) []int {
		var path []int
		if i, ok := f.byName[name]; ok {
			path = []int{i}
		} else if path, ok = f.promoted[name]; !ok {
			return nil
		}
		ft := t.FieldByIndex(path).Type
		if ft.Kind() != kind || (kind == reflect.Map && (ft.Key().Kind() != reflect.String || ft.Elem().Kind() != reflect.String)) {
			return nil
		}
		return path
	}
	return logFields{
		authFlow:           index("AuthFlow", reflect.String),
		challengeName:      index("ChallengeName", reflect.String),
		clientID:           index("ClientId", reflect.String),
		authParameters:     index("AuthParameters", reflect.Map),
		challengeResponses: index("ChallengeResponses", reflect.Map),
	}
}

func (f logFields) summary(in reflect.Value) logSummary {
	str := func(path []int) string {
		if path == nil {
			return ""
		}
		return in.FieldByIndex(path).String()
	}
	user := func(path []int) string {
		if path == nil {
			return ""
		}
		v := in.FieldByIndex(path).MapIndex(reflect.ValueOf("USERNAME"))
		if !v.IsValid() {
			return ""
		}
		return v.String()
	}
	return logSummary{
		authFlow:      str(f.authFlow),
		challengeName: str(f.challengeName),
		clientID:      str(f.clientID),
		user:          cmp.Or(user(f.authParameters), user(f.challengeResponses)),
	}
}

var handlers = map[string]handler{
	"InitiateAuth":              op((*Handler).initiateAuth),
	"RespondToAuthChallenge":    op((*Handler).respondToAuthChallenge),
	"ConfirmDevice":             op((*Handler).confirmDevice),
	"UpdateDeviceStatus":        op((*Handler).updateDeviceStatus),
	"ForgetDevice":              op((*Handler).forgetDevice),
	"ListDevices":               op((*Handler).listDevices),
	"GetDevice":                 op((*Handler).getDevice),
	"GetUser":                   op((*Handler).getUser),
	"GetTokensFromRefreshToken": op((*Handler).getTokensFromRefreshToken),
	"GlobalSignOut":             op((*Handler).globalSignOut),
	"RevokeToken":               op((*Handler).revokeToken),
	"AssociateSoftwareToken":    op((*Handler).associateSoftwareToken),
	"VerifySoftwareToken":       op((*Handler).verifySoftwareToken),
	"SetUserMFAPreference":      op((*Handler).setUserMFAPreference),
}

// ServeHTTP answers Cognito API calls (POST / with X-Amz-Target) and serves
// each pool's JSON Web Key Set at GET /<poolId>/.well-known/jwks.json and
// its OpenID configuration at GET /<poolId>/.well-known/openid-configuration.
func (e *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.serve(w, r, func(op string) handler { return handlers[op] })
}

// serve is ServeHTTP with the handlers looked up by lookup.
func (e *Handler) serve(w http.ResponseWriter, r *http.Request, lookup func(op string) handler) {
	start := time.Now()
	op := "-"
	rc := &reqCtx{}
	var failure *apiError
	rw := &statusWriter{ResponseWriter: w}
	fail := func(ae *apiError) {
		failure = ae
		writeError(rw, ae)
	}
	defer func() {
		if v := recover(); v != nil {
			// Never reached by any known input; a last resort so that a bug
			// answers a Cognito-shaped error instead of dropping the
			// connection. The panic value is not logged: it could hold a
			// secret.
			e.log.Error("cognitotest: internal error", "op", op)
			if rw.status == 0 {
				fail(&apiError{Status: http.StatusInternalServerError, Type: errInternal, Message: "Internal error"})
			}
		}
		// Nothing here is secret: user names, client ids, flow and
		// challenge names, and error messages, which never quote a
		// password, code, token or session.
		attrs := []any{"op", op, "status", rw.status, "duration", time.Since(start)}
		for _, kv := range [...]struct{ k, v string }{
			{"flow", rc.log.authFlow}, {"challenge", rc.log.challengeName}, {"client", rc.log.clientID}, {"user", rc.log.user},
		} {
			if kv.v != "" {
				attrs = append(attrs, kv.k, logSafe(kv.v, 128))
			}
		}
		if failure != nil {
			attrs = append(attrs, "error", failure.Type, "message", logSafe(failure.Message, 200))
		}
		e.log.Info("cognito request", attrs...)
	}()
	setCORS(rw.Header())
	if r.Method == http.MethodOptions {
		op = "OPTIONS"
		rw.WriteHeader(http.StatusOK)
		return
	}
	if r.URL.Path != "/" {
		op = "GET " + logSafe(r.URL.Path, 200)
		if e.outboxHTTP && strings.HasPrefix(r.URL.Path, outboxPrefix) {
			e.serveOutbox(rw, r)
			return
		}
		e.serveWellKnown(rw, r)
		return
	}
	if r.Method != http.MethodPost {
		fail(&apiError{Status: http.StatusMethodNotAllowed, Type: errUnknownOperation, Message: "Only POST is supported"})
		return
	}
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, targetPrefix)
	var h handler
	if ok {
		h = lookup(name)
	}
	if h == nil {
		op = logSafe(target, 100)
		if op == "" {
			op = "-"
		}
		fail(newError(errUnknownOperation, "Unknown operation %s", strconv.Quote(truncate(target, 100))))
		return
	}
	op = name
	if needsSignature(name) && !isSigned(r) {
		writeError(rw, errMissingAuthentication)
		return
	}
	// At most e.inflight requests are read and served at once, which bounds
	// the memory that request bodies take; the others wait.
	select {
	case e.inflight <- struct{}{}:
		defer func() { <-e.inflight }()
	case <-r.Context().Done():
		fail(&apiError{Status: http.StatusServiceUnavailable, Type: "TooManyRequestsException", Message: "Too many requests in progress."})
		return
	}
	body, err := readBody(rw, r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			fail(&apiError{Status: http.StatusRequestEntityTooLarge, Type: errSerialization, Message: fmt.Sprintf("Request body is larger than %d bytes", maxBodySize)})
		} else {
			fail(newError(errSerialization, "Could not read the request body"))
		}
		return
	}
	// The handler (op) decodes the body once, with the strict decoder,
	// which checks the whole body, whatever the operation reads of it.
	*rc = reqCtx{issuerBase: e.localBase(r), remoteIP: remoteIP(r), now: e.now()}
	e.maybePurge(rc.now)
	out, err := h(e, rc, body)
	if err != nil {
		fail(asAPIError(err))
		return
	}
	writeJSON(rw, http.StatusOK, out)
}

// readBody reads a request body of at most maxBodySize bytes into a buffer
// sized from Content-Length, so that a body costs about its size.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, maxBodySize)
	n := 512
	if r.ContentLength > 0 {
		n = int(min(r.ContentLength, maxBodySize)) + bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, n))
	if _, err := buf.ReadFrom(body); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// logSafe shortens s to at most n bytes and escapes control characters and
// invalid UTF-8, so that what a client sent cannot forge or garble a log
// line.
func logSafe(s string, n int) string {
	s = truncate(s, n)
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

// statusWriter records the status code for the log line.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256")
	h.Set("Access-Control-Expose-Headers", "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date")
	h.Set("Access-Control-Max-Age", "600")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("cognitotest: internal error: marshaling response: " + err.Error())
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("x-amzn-RequestId", newUUID())
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, e *apiError) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	w.Header().Set("x-amzn-ErrorType", e.Type)
	writeJSON(w, status, struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.Type, e.Message})
}

// decode reads a request body into v, a pointer to the operation's input,
// with the strict decoder: the limits (string length, entries, items,
// depth) are enforced while reading, duplicate and case-variant keys are
// refused, and struct members match exactly, so v receives exactly what was
// checked. Malformed JSON, a body that is not an object and values of the
// wrong JSON type are a SerializationException, as in Cognito; values over
// the limits an InvalidParameterException.
func decode(body []byte, v any) error {
	if err := decodeStrict(body, v); err != nil {
		return err
	}
	return nil
}

func remoteIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// truncate shortens a public string for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// serveWellKnown serves a pool's JSON Web Key Set and OpenID configuration
// under /<poolId>/.well-known/.
func (e *Handler) serveWellKnown(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, &apiError{Status: http.StatusMethodNotAllowed, Type: errUnknownOperation, Message: "Only GET is supported here"})
		return
	}
	poolID, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if !e.hasPool(poolID) {
		writeError(w, &apiError{Status: http.StatusNotFound, Type: errResourceNotFound, Message: fmt.Sprintf("User pool %s does not exist.", truncate(poolID, 100))})
		return
	}
	switch rest {
	case ".well-known/jwks.json":
		w.Header().Set("Cache-Control", "max-age=3600")
		writePlainJSON(w, e.keys.jwks())
	case ".well-known/openid-configuration":
		writePlainJSON(w, e.openIDConfiguration(e.localBase(r), poolID))
	default:
		writeError(w, &apiError{Status: http.StatusNotFound, Type: errResourceNotFound, Message: "Not found"})
	}
}

// hasPool reports whether the pool exists. It takes e.mu.
func (e *Handler) hasPool(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pools[id] != nil
}

func writePlainJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("cognitotest: internal error: marshaling response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
