package flows

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseFileStore: a device store file is untrusted input. No panic; an
// error is ErrMalformedStore, returns no devices and quotes nothing of the
// file; every device returned is complete.
func FuzzParseFileStore(f *testing.F) {
	f.Add([]byte(`{"version":1,"devices":[{"userPoolId":"us-east-1_X","username":"u","deviceKey":"k","deviceGroupKey":"g","devicePassword":"p"}]}`))
	f.Add([]byte(`{"version":1,"devices":[]}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"version":1,"devices":[{"userPoolId":"x"}]} trailing`))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		devices, err := parseFileStore("devices.json", data)
		if err != nil {
			if devices != nil {
				t.Fatal("devices along with an error")
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
		for _, d := range devices {
			if d.UserPoolID == "" || d.Username == "" || d.DeviceKey == "" || d.DeviceGroupKey == "" || d.DevicePassword == "" {
				t.Fatalf("incomplete device %+v", d)
			}
		}
	})
}
