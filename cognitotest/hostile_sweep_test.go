package cognitotest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestHostileBodiesEveryOperation sends, to every operation the server has,
// its seed requests (those of FuzzHandler) with each top-level member in
// turn removed, made null, given a value of each wrong JSON type, a string
// past the limits, a deep nesting, and repeated under a name that differs
// only in case; and a few whole-body shapes. Every answer must be a JSON
// object: 200 without __type, or a 4xx with __type (never
// InternalErrorException) and the same x-amzn-ErrorType. A new operation is
// covered as soon as it has a FuzzHandler seed, which FuzzHandler requires.
func TestHostileBodiesEveryOperation(t *testing.T) {
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()))
	if err != nil {
		t.Fatal(err)
	}
	seeds := operationSeeds(t, e)
	ops := make([]string, 0, len(handlers))
	for op := range handlers {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	long := strings.Repeat("x", maxStringLen+1)
	deep := strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2)
	wrong := []string{`null`, `12345`, `-1e400`, `true`, `"` + long + `"`, `{}`, `[]`, `{"a": "b"}`, `["a"]`, deep, `"\u0000\u001b]0;x\u0007"`}
	whole := []string{``, `{}`, `null`, `[]`, `"x"`, `{"` + long + `": 1}`, deep}
	sent := 0
	check := func(op, body string) {
		t.Helper()
		sent++
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", target+op)
		req.Header.Set("Content-Type", jsonContentType)
		req.Header.Set("Authorization", fakeSigV4)
		e.ServeHTTP(rec, req)
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %.200q: answer %d is not a JSON object: %.200q", op, body, rec.Code, rec.Body.String())
		}
		typ, _ := m["__type"].(string)
		switch {
		case rec.Code == http.StatusOK:
			if typ != "" {
				t.Errorf("%s %.200q: 200 with __type %s", op, body, typ)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if typ == "" || rec.Header().Get("x-amzn-ErrorType") != typ || typ == errInternal {
				t.Errorf("%s %.200q: %d: %v", op, body, rec.Code, m)
			}
		default:
			t.Errorf("%s %.200q: status %d: %v", op, body, rec.Code, m)
		}
	}
	for _, op := range ops {
		for _, b := range whole {
			check(op, b)
		}
		for _, seed := range seeds[op] {
			var in map[string]json.RawMessage
			if err := json.Unmarshal([]byte(seed), &in); err != nil {
				t.Fatalf("%s: seed %q: %v", op, seed, err)
			}
			keys := make([]string, 0, len(in))
			for k := range in {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				mutated := func(v json.RawMessage) string {
					m := map[string]json.RawMessage{}
					for k2, v2 := range in {
						m[k2] = v2
					}
					if v == nil {
						delete(m, k)
					} else {
						m[k] = v
					}
					b, _ := json.Marshal(m)
					return string(b)
				}
				check(op, mutated(nil))
				for _, w := range wrong {
					check(op, mutated(json.RawMessage(w)))
				}
				// The member twice, the second time in another case.
				base := strings.TrimSuffix(mutated(in[k]), "}")
				check(op, base+`,"`+strings.ToLower(k)+`":`+string(in[k])+`}`)
				check(op, base+`,"`+k+`":`+string(in[k])+`}`)
			}
		}
	}
	t.Logf("%d hostile requests to %d operations", sent, len(ops))
}
