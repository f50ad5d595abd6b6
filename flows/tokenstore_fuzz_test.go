package flows

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseTokenFile: a token store file is untrusted input. No panic; an
// error is ErrMalformedStore, returns no tokens and quotes nothing of the
// file; every entry returned names its pool, client and user; what parses
// marshals to a file that parses to the same tokens.
func FuzzParseTokenFile(f *testing.F) {
	f.Add([]byte(`{"version":1,"tokens":[{"userPoolId":"us-east-1_X","clientId":"c","username":"u","aliases":["u@example.com"],"accessToken":"a","accessTokenExpiry":"2026-12-01T10:00:00Z","idToken":"i","idTokenExpiry":"2026-12-01T10:00:00.5+01:00","refreshToken":"r"}]}`))
	f.Add([]byte(`{"version":1,"tokens":[]}`))
	f.Add([]byte(`{"version":1,"tokens":[{"userPoolId":"x","clientId":"c"}]}`))
	f.Add([]byte(`{"version":1,"tokens":[{"userPoolId":"x","clientId":"c","username":"u","accessTokenExpiry":"not a time"}]}`))
	f.Add([]byte(`{"version":1,"devices":[]}`))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := parseTokenFile("tokens.json", data)
		if err != nil {
			if list != nil {
				t.Fatal("tokens along with an error")
			}
			if !errors.Is(err, ErrMalformedStore) {
				t.Fatalf("error %v is not ErrMalformedStore", err)
			}
			msg := strings.TrimPrefix(err.Error(), ErrMalformedStore.Error())
			if s := strings.TrimSpace(string(data)); len(s) > 12 && strings.Contains(msg, s[:12]) {
				t.Fatalf("error quotes the file: %v", err)
			}
			return
		}
		for _, tok := range list {
			if tok.UserPoolID == "" || tok.ClientID == "" || tok.Username == "" {
				t.Fatalf("incomplete tokens %v", tok)
			}
		}
		b, err := marshalTokenFile(list)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseTokenFile("tokens.json", b)
		if err != nil || len(again) != len(list) {
			t.Fatalf("round trip: %v, %d tokens, want %d", err, len(again), len(list))
		}
		for i := range list {
			if !again[i].equal(list[i]) {
				t.Fatalf("round trip changed %v to %v", list[i], again[i])
			}
		}
	})
}
