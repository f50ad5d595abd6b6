package cognitotest

import (
	"bytes"
	"testing"
)

// FuzzLoadConfig: a config file is untrusted input. No panic; an error
// leaves nothing usable; a config that loads builds an emulator or fails
// with an error, never a panic.
func FuzzLoadConfig(f *testing.F) {
	f.Add([]byte(`{"region":"us-east-1","userPools":[{"id":"us-east-1_Example","deviceTracking":"always","clients":[{"id":"c","secret":"s"}],"users":[{"username":"alice","password":"Correct-Horse-1","attributes":{"email":"a@example.com"},"totpSecret":"JBSWY3DPEHPK3PXP"}]}]}`))
	f.Add([]byte(`{"region":"us-east-1","userPools":[{"id":"bad","clients":[],"users":[]}]}`))
	f.Add([]byte(`{"region":"us-east-1","userPools":[{"id":"us-east-1_X","deviceTracking":"sometimes"}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"unknown":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := LoadConfig(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(cfg.UserPools) > 3 || countUsers(cfg) > 3 {
			return // building verifiers costs an exponentiation per user
		}
		e, err := NewHandler(cfg)
		if err != nil && e != nil {
			t.Fatal("emulator along with an error")
		}
	})
}

func countUsers(cfg Config) int {
	n := 0
	for _, p := range cfg.UserPools {
		n += len(p.Users)
	}
	return n
}
