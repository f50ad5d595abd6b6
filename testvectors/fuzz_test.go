package testvectors

import (
	"testing"
)

// FuzzParse: a vector file named in COGNITOSRP_VECTORS is untrusted input.
// No panic; nil on error; a parsed file has consecutive tcIds and known
// types and results.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"rfc5054.json", "secret_hash.json", "timestamp.json"} {
		data, err := FS.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"algorithm":"a","source":"s","notes":{},"tests":[]}`))
	f.Add([]byte(`{"algorithm":"a","source":"s","notes":{},"tests":[{"tcId":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			if file != nil {
				t.Fatal("file along with an error")
			}
			return
		}
		for i, tc := range file.Tests {
			if tc.TcID != i+1 {
				t.Fatalf("tcId %d at %d", tc.TcID, i)
			}
			if _, ok := fields[tc.Type]; !ok {
				t.Fatalf("unknown type %q accepted", tc.Type)
			}
			if tc.Result != ResultValid && tc.Result != ResultInvalid {
				t.Fatalf("result %q accepted", tc.Result)
			}
		}
	})
}
