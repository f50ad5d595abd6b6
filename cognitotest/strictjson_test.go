package cognitotest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// repeatJoin returns n copies of item, separated by commas.
func repeatJoin(item string, n int) string {
	return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
}

// fillBody wraps items (a JSON value, repeated) into arrays of at most 100
// under the unknown member "X" of a RespondToAuthChallenge body, as many as
// fit in the body limit.
func fillBody(item string) string {
	row := "[" + repeatJoin(item, 100) + "]"
	n := (maxBodySize - 200) / (len(row) + 1)
	var outer []string
	for n > 0 {
		k := min(n, 100)
		outer = append(outer, "["+repeatJoin(row, k)+"]")
		n -= k
	}
	return `{"ChallengeName": "SMS_MFA", "X": [` + strings.Join(outer, ",") + `]}`
}

// worstBodies are the most expensive bodies within the limits that the
// decoder must read to the end: many small values, strings, keys and
// objects, deep nesting, long and escaped strings.
func worstBodies() map[string]string {
	deep := strings.Repeat("[", maxJSONDepth-4) + "0" + strings.Repeat("]", maxJSONDepth-4)
	var keys []string
	for i := range 100 {
		keys = append(keys, fmt.Sprintf(`"k%02d":0`, i))
	}
	var escKeys []string
	for i := range 10 {
		escKeys = append(escKeys, fmt.Sprintf(`"\u0061%s%02d":0`, strings.Repeat(`\u00e9`, 20), i))
	}
	longVal := strings.Repeat("v", maxStringLen)
	var long []string
	for i := 0; len(long)*(maxStringLen+12) < maxBodySize-(maxStringLen+200); i++ {
		long = append(long, fmt.Sprintf(`"key%03d": "%s"`, i, longVal))
	}
	escVal := strings.Repeat(`\u00e9`, maxStringLen/2)
	var esc []string
	for i := 0; (len(esc)+1)*(len(escVal)+12) < maxBodySize-200; i++ {
		esc = append(esc, fmt.Sprintf(`"key%03d": "%s"`, i, escVal))
	}
	return map[string]string{
		"small numbers":    fillBody("0"),
		"small strings":    fillBody(`""`),
		"empty objects":    fillBody("{}"),
		"empty arrays":     fillBody("[]"),
		"deep":             fillBody(deep),
		"many keys":        fillBody("{" + strings.Join(keys, ",") + "}"),
		"escaped keys":     fillBody("{" + strings.Join(escKeys, ",") + "}"),
		"long strings":     `{"ChallengeName": "SMS_MFA", "ChallengeResponses": {` + strings.Join(long, ",") + `}}`,
		"escaped strings":  `{"ChallengeName": "SMS_MFA", "ChallengeResponses": {` + strings.Join(esc, ",") + `}}`,
		"skipped escapes":  `{"ChallengeName": "SMS_MFA", "X": {` + strings.Join(esc, ",") + `}}`,
		"skipped long":     `{"ChallengeName": "SMS_MFA", "X": {` + strings.Join(long, ",") + `}}`,
		"whitespace":       `{"ChallengeName": "SMS_MFA"` + strings.Repeat(" ", maxBodySize-100) + `}`,
		"escaped in array": `{"ChallengeName": "SMS_MFA", "X": [` + repeatJoin(`"`+escVal+`"`, 20) + `]}`,
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecodeAllocationsBounded holds the memory that the worst bodies within
// the limits cost, decoded and served, to a small multiple of the body
// limit. (checkJSON, which decoded the whole body into any first, took
// about 57 times the body.) Not parallel: it reads the process's
// allocation counters.
func TestDecodeAllocationsBounded(t *testing.T) {
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()))
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range worstBodies() {
		if len(body) > maxBodySize || len(body) < maxBodySize*8/10 {
			t.Fatalf("%s: body of %d bytes is not just under the limit", name, len(body))
		}
		// Each body is valid and within the limits: it is read to the end.
		var in respondInput
		if err := decode([]byte(body), &in); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b := []byte(body)
		dec := allocated(func() {
			var in respondInput
			decode(b, &in)
		})
		served := allocated(func() {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			req.Header.Set("X-Amz-Target", target+"RespondToAuthChallenge")
			e.ServeHTTP(httptest.NewRecorder(), req)
		})
		t.Logf("%-16s %7d bytes: decode allocates %.2f×, ServeHTTP %.2f× the body", name, len(body), float64(dec)/float64(len(body)), float64(served)/float64(len(body)))
		if dec > 3*maxBodySize/2 {
			t.Errorf("%s: decoding allocates %d bytes, more than 1.5 times the body limit", name, dec)
		}
		if served > 3*maxBodySize {
			t.Errorf("%s: serving allocates %d bytes, more than 3 times the body limit", name, served)
		}
	}
}

// TestDecodeStrict checks the strict decoder's answers on small inputs.
func TestDecodeStrict(t *testing.T) {
	t.Parallel()
	type inner struct {
		A string `json:"A"`
	}
	type input struct {
		S   string            `json:"S"`
		M   map[string]string `json:"M"`
		P   *inner            `json:"P"`
		N   *int              `json:"N"`
		B   *bool             `json:"B"`
		L   []string          `json:"L"`
		Any any               `json:"Any"`
	}
	for _, tc := range []struct {
		body string
		typ  string // error type, "" for success
		want input
	}{
		{``, "", input{}},
		{` {} `, "", input{}},
		{`{"S": "a\u00e9\ud83d\ude00\ud800x\n", "M": {"k": "v"}, "P": {"A": "b"}, "N": 7, "B": true, "L": ["x"], "Any": {"z": [1, "y", null, false]}}`, "",
			input{S: "a\u00e9\U0001F600\uFFFDx\n", M: map[string]string{"k": "v"}, P: &inner{"b"}, N: ptr(7), B: ptr(true), L: []string{"x"}, Any: map[string]any{"z": []any{1.0, "y", nil, false}}}},
		{`{"S": null, "M": null, "P": null}`, "", input{}},
		{`{"s": "ignored", "Unknown": {"x": [1, 2]}}`, "", input{}},
		{"{\"S\": \"\xff\"}", "", input{S: "\uFFFD"}},
		{`{"S": "a", "S": "b"}`, errSerialization, input{}},
		{`{"S": "a", "s": "b"}`, errSerialization, input{}},
		{`{"M": {"k": "a", "K": "b"}}`, errSerialization, input{}},
		{`{"X": {"k": 1, "k": 2}}`, errSerialization, input{}},
		{`{"S": 1}`, errSerialization, input{}},
		{`{"M": {"k": 1}}`, errSerialization, input{}},
		{`{"N": 1.5}`, errSerialization, input{}},
		{`{"N": "1"}`, errSerialization, input{}},
		{`{"L": {}}`, errSerialization, input{}},
		{`{"S": "a",}`, errSerialization, input{}},
		{`{"S": "a"} x`, errSerialization, input{}},
		{`{"S": "a\x"}`, errSerialization, input{}},
		{"{\"S\": \"a\x01\"}", errSerialization, input{}},
		{`{"N": 01}`, errSerialization, input{}},
		{`{"N": -}`, errSerialization, input{}},
		{`{"N": 1e}`, errSerialization, input{}},
		{`[]`, errSerialization, input{}},
		{`"x"`, errSerialization, input{}},
		{`{"S": tru}`, errSerialization, input{}},
		{`{"S": "` + strings.Repeat("a", maxStringLen+1) + `"}`, errInvalidParameter, input{}},
		{`{"X": "` + strings.Repeat(`\n`, maxStringLen+1) + `"}`, errInvalidParameter, input{}},
		{`{"X": {"` + strings.Repeat("k", maxStringLen+1) + `": 1}}`, errInvalidParameter, input{}},
		{`{"X": [` + repeatJoin("0", maxArrayLen+1) + `]}`, errInvalidParameter, input{}},
		{`{"M": {` + manyKeys(maxMapEntries+1) + `}}`, errInvalidParameter, input{}},
		{`{"X": ` + strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1) + `}`, errInvalidParameter, input{}},
		{`{"X": ` + strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth) + `}`, "", input{}},
	} {
		var got input
		err := decode([]byte(tc.body), &got)
		var ae *apiError
		switch {
		case tc.typ == "" && err != nil:
			t.Errorf("%.80q: %v", tc.body, err)
		case tc.typ != "" && (!errors.As(err, &ae) || ae.Type != tc.typ):
			t.Errorf("%.80q: got %v, want %s", tc.body, err, tc.typ)
		case tc.typ == "" && !reflect.DeepEqual(got, tc.want):
			t.Errorf("%.80q: got %+v, want %+v", tc.body, got, tc.want)
		}
	}
}

// jsonTrim trims JSON's white space (RFC 8259: space, tab, LF, CR).
func jsonTrim(b []byte) []byte { return bytes.Trim(b, " \t\n\r") }

func ptr[T any](v T) *T { return &v }

// referenceCheck checks body with encoding/json's tokenizer: one object,
// no key twice (ignoring ASCII case) in any object, and every limit.
func referenceCheck(body []byte) bool {
	if len(jsonTrim(body)) == 0 {
		return true
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var walk func(depth int) bool
	walk = func(depth int) bool {
		if depth > maxJSONDepth {
			return false
		}
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				var seen []string
				for dec.More() {
					k, err := dec.Token()
					if err != nil {
						return false
					}
					key := k.(string)
					if len(key) > maxStringLen || len(seen) == maxMapEntries {
						return false
					}
					for _, s := range seen {
						if asciiEqualFold([]byte(s), []byte(key)) {
							return false
						}
					}
					seen = append(seen, key)
					if !walk(depth + 1) {
						return false
					}
				}
				_, err := dec.Token()
				return err == nil
			case '[':
				n := 0
				for dec.More() {
					if n++; n > maxArrayLen || !walk(depth+1) {
						return false
					}
				}
				_, err := dec.Token()
				return err == nil
			}
			return false
		case string:
			return len(v) <= maxStringLen
		case json.Number:
			return len(v) <= maxStringLen
		}
		return true
	}
	if b := jsonTrim(body); b[0] != '{' || !walk(0) {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

// referenceDecode fills a respondInput from body with encoding/json,
// matching member names exactly (encoding/json alone would match them
// without regard to case).
func referenceDecode(body []byte) (respondInput, bool) {
	var in respondInput
	if len(jsonTrim(body)) == 0 {
		return in, true
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return in, false
	}
	rv := reflect.ValueOf(&in).Elem()
	for name, i := range cachedFields(rv.Type()).byName {
		raw, ok := members[name]
		if !ok {
			continue
		}
		if json.Unmarshal(raw, rv.Field(i).Addr().Interface()) != nil {
			return in, false
		}
	}
	return in, true
}

// FuzzDecodeMatchesReference checks the property that closes issue 10's
// item 5: what a handler receives is exactly what was validated. Whenever
// the strict decoder accepts a body, encoding/json's own tokenizer finds it
// within every limit and without repeated keys, and an exact-name decode
// with encoding/json yields the same input; whenever those two accept a
// body, so does the strict decoder. Every string and map the handler gets
// is within the limits.
func FuzzDecodeMatchesReference(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `{"ChallengeName": "SMS_MFA", "ChallengeResponses": {"USERNAME": "u", "SMS_MFA_CODE": "123456"}}`,
		`{"ChallengeResponses": {"a": "b"}, "challengeresponses": {"c": "d"}}`,
		`{"ChallengeResponses": {"a": "b"}, "ChallengeResponses": {"c": "d"}}`,
		`{"ChallengeResponses": {"a": "b", "A": "c"}}`, `{"challengeResponses": {"a": "b"}}`,
		`{"ChallengeReſponses": {"a": "b"}}`, `{"Session": "\ud800\u0041", "ClientId": "\u00e9"}`,
		`{"X": [[[[1]]]], "ClientMetadata": {"k": "v"}}`, `{"ChallengeName": null}`, "{\"Session\": \"\xff\xfe\"}",
		`{"ChallengeResponses": {"k": 1}}`, `{"X": 1e999}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got respondInput
		err := decode(body, &got)
		refOK := referenceCheck(body)
		want, decOK := referenceDecode(body)
		if err == nil {
			if !refOK {
				t.Fatalf("accepted a body that the reference finds over a limit or with a repeated key: %q", body)
			}
			if !decOK {
				t.Fatalf("accepted a body that encoding/json cannot decode: %q", body)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("decoded %+v, encoding/json %+v, from %q", got, want, body)
			}
			for _, s := range []string{got.ChallengeName, got.ClientId, got.Session} {
				if len(s) > maxStringLen {
					t.Fatalf("string of %d bytes", len(s))
				}
			}
			for _, m := range []map[string]string{got.ChallengeResponses, got.ClientMetadata} {
				if len(m) > maxMapEntries {
					t.Fatalf("map of %d entries", len(m))
				}
				for k, v := range m {
					if len(k) > maxStringLen || len(v) > maxStringLen {
						t.Fatalf("map entry of %d+%d bytes", len(k), len(v))
					}
				}
			}
			return
		}
		var ae *apiError
		if !errors.As(err, &ae) || (ae.Type != errSerialization && ae.Type != errInvalidParameter) {
			t.Fatalf("error %v is not Cognito's", err)
		}
		if refOK && decOK {
			t.Fatalf("refused a body that the reference accepts (%v): %q", err, body)
		}
	})
}

// TestConcurrentRequestsBounded: at most limits.inFlight requests are read
// and served at once; the others wait for a slot.
func TestConcurrentRequestsBounded(t *testing.T) {
	t.Parallel()
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()), withLimits(limits{inFlight: 2}))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	running, most := 0, 0
	release := make(chan struct{})
	block := func(e *Handler, rc *reqCtx, body []byte) (any, error) {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		<-release
		mu.Lock()
		running--
		mu.Unlock()
		return map[string]string{}, nil
	}
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
			req.Header.Set("X-Amz-Target", target+"Block")
			rec := httptest.NewRecorder()
			e.serve(rec, req, func(string) handler { return block })
			if rec.Code != 200 {
				t.Errorf("HTTP %d", rec.Code)
			}
		}()
	}
	// Wait until two are running, then let all through one by one.
	for {
		mu.Lock()
		r := running
		mu.Unlock()
		if r >= 2 {
			break
		}
		runtime.Gosched()
	}
	for range 6 {
		release <- struct{}{}
	}
	wg.Wait()
	if most != 2 {
		t.Errorf("%d requests were served at once, want at most 2", most)
	}
}

// TestNewHTTPServerTimeouts: the servers of serve and cognitotest time out
// slow reads, slow writes and idle connections.
func TestNewHTTPServerTimeouts(t *testing.T) {
	t.Parallel()
	s := NewHTTPServer(http.NotFoundHandler())
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 || s.IdleTimeout <= 0 || s.MaxHeaderBytes <= 0 {
		t.Errorf("timeouts %v %v %v %v, header limit %d", s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout, s.IdleTimeout, s.MaxHeaderBytes)
	}
}

// TestTypeErrorReportedLast checks that the one decode a request gets
// answers as the former two passes did (a strict check of the whole body,
// then the typed decode): malformed JSON, a limit or a repeated key
// anywhere in the body wins over a value of the wrong type before it, and
// the log line still names the client and the user of a body refused for a
// wrong type.
func TestTypeErrorReportedLast(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", maxStringLen+1)
	for _, tc := range []struct{ body, typ, msg string }{
		{`{"ChallengeName": 5, "Unread": "` + long + `"}`, errInvalidParameter, "Value at 'Unread' failed to satisfy constraint"},
		{`{"ChallengeName": 5, "Unread": {"a": 1, "A": 2}}`, errSerialization, "Duplicate member Unread.A"},
		{`{"ChallengeName": 5, "Unread": [1,]}`, errSerialization, "Could not parse the request body as JSON"},
		{`{"ChallengeName": 5, "ChallengeResponses": {"USERNAME": []}} x`, errSerialization, "Unexpected data after the JSON object"},
		{`{"ClientId": "plain", "ChallengeName": 5, "ChallengeResponses": {"USERNAME": "bob-typed", "X": 1}}`, errSerialization, "Unexpected JSON type for member ChallengeName"},
		{`{"ChallengeResponses": {"USERNAME": "u", "X": true}, "ChallengeName": 5}`, errSerialization, "Unexpected JSON type for member ChallengeResponses.X"},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
		req.Header.Set("X-Amz-Target", target+"RespondToAuthChallenge")
		e.ServeHTTP(rec, req)
		var got struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Type != tc.typ || !strings.Contains(got.Message, tc.msg) {
			t.Errorf("%.60q: answered %s %q, want %s %q", tc.body, got.Type, got.Message, tc.typ, tc.msg)
		}
	}
	if want := `client=plain user=bob-typed error=SerializationException`; !strings.Contains(buf.String(), want) {
		t.Errorf("log lacks %s:\n%s", want, buf.String())
	}
}

// BenchmarkServeBody measures serving RespondToAuthChallenge bodies, from a
// typical sign-in step to the worst within the limits, decode included.
func BenchmarkServeBody(b *testing.B) {
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()))
	if err != nil {
		b.Fatal(err)
	}
	worst := worstBodies()
	for _, bc := range []struct{ name, body string }{
		{"typical", `{"ChallengeName":"PASSWORD_VERIFIER","ClientId":"plain","Session":"` + strings.Repeat("s", 600) + `","ChallengeResponses":{"USERNAME":"alice","PASSWORD_CLAIM_SECRET_BLOCK":"` + strings.Repeat("b", 300) + `","PASSWORD_CLAIM_SIGNATURE":"c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlMTIzNA==","TIMESTAMP":"Tue Dec 1 10:00:00 UTC 2026"}}`},
		{"long strings", worst["long strings"]},
		{"many keys", worst["many keys"]},
		{"escaped keys", worst["escaped keys"]},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(bc.body))
				req.Header.Set("X-Amz-Target", target+"RespondToAuthChallenge")
				e.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// TestDecodeEmbedded checks that the strict decoder promotes the members of
// an embedded struct as encoding/json does (an outer member hides an inner
// one of the same name), and that the log line reads them: the Admin*
// inputs embed their plain twins'.
func TestDecodeEmbedded(t *testing.T) {
	t.Parallel()
	body := []byte(`{"UserPoolId": "p", "AuthFlow": "F", "ClientId": "c", "AuthParameters": {"USERNAME": "u"}, "Session": "s", "initiateAuthInput": {"AuthFlow": "G"}}`)
	var got, want adminInitiateAuthInput
	if err := decode(body, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || got.AuthFlow != "F" || got.UserPoolId != "p" || got.Session != "s" {
		t.Errorf("decoded %+v, encoding/json %+v", got, want)
	}
	if err := decode([]byte(`{"AuthParameters": {"USERNAME": "u"}, "authflow": "x", "AuthFlow": "y"}`), &got); err == nil || !strings.Contains(err.Error(), "Duplicate member AuthFlow") {
		t.Errorf("case variant of a promoted member: %v", err)
	}
	if s := logFieldsOf(reflect.TypeFor[adminInitiateAuthInput]()).summary(reflect.ValueOf(want)); s != (logSummary{authFlow: "F", clientID: "c", user: "u"}) {
		t.Errorf("log summary %+v", s)
	}
	type inner struct {
		A string `json:"A"`
		B string `json:"B"`
	}
	type outer struct {
		inner
		B string `json:"B"`
	}
	var o outer
	if err := decode([]byte(`{"A": "a", "B": "b"}`), &o); err != nil || o.A != "a" || o.B != "b" || o.inner.B != "" {
		t.Errorf("decoded %+v, %v", o, err)
	}
}
