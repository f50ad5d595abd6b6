package flows

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestPerCallOptions: per-call options change a copy of the Client's
// Options, never the Client's.
func TestPerCallOptions(t *testing.T) {
	base := func(*cip.Options) {}
	c, err := New(&cip.Client{}, "us-east-1_X", "client", func(o *Options) {
		o.ClientOptions = make([]func(*cip.Options), 1, 4) // room to append in place
		o.ClientOptions[0] = base
		o.ClientMetadata = map[string]string{"k": "v"}
	})
	if err != nil {
		t.Fatal(err)
	}
	o := c.options([]func(*Options){func(o *Options) {
		o.ClientOptions = append(o.ClientOptions, func(*cip.Options) {})
		o.ClientMetadata["k"] = "changed"
		o.RememberDevices = RememberNever
		o.MaxChallenges = 0
	}})
	if len(o.ClientOptions) != 2 || o.RememberDevices != RememberNever || o.MaxChallenges != DefaultMaxChallenges || o.SessionValidity != DefaultSessionValidity {
		t.Errorf("per-call options %v", o)
	}
	if len(c.opts.ClientOptions) != 1 || c.opts.ClientMetadata["k"] != "v" || c.opts.RememberDevices != RememberAlways {
		t.Errorf("the Client's options changed: %v, %v", c.opts, c.opts.ClientMetadata)
	}
	if o2 := c.options(nil); len(o2.ClientOptions) != 1 {
		t.Errorf("a later call sees %d client options", len(o2.ClientOptions))
	}
}

func TestPendingString(t *testing.T) {
	const session = "AYABeSECRETSESSION"
	p := &Pending{
		Challenge: &Challenge{Name: types.ChallengeNameTypeSmsMfa, Username: "u"},
		Expires:   time.Unix(0, 0),
		st:        pendingState{V: 1, Session: session},
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, x := range []any{p, *p} {
			if out := fmt.Sprintf(verb, x); strings.Contains(out, session) {
				t.Errorf("%s of %T prints the session: %s", verb, x, out)
			}
		}
	}
}

// TestPendingJSONValue: a Pending value marshals like a pointer, to the
// serialized form, not to its exported fields (which hold the TOTP secret
// and no Session).
func TestPendingJSONValue(t *testing.T) {
	p := Pending{
		Challenge: &Challenge{Name: types.ChallengeNameTypeMfaSetup, Username: "u", SecretCode: "TOTPSECRET"},
		Expires:   time.Unix(1e9, 0).UTC(),
		st: pendingState{V: 1, Pool: "us-east-1_X", Client: "c", Flow: types.AuthFlowTypeUserSrpAuth, Session: "s",
			Challenge: types.ChallengeNameTypeMfaSetup, Typed: "u", Expires: time.Unix(1e9, 0).UTC()},
	}
	byValue, err := json.Marshal(struct{ P Pending }{p})
	if err != nil {
		t.Fatal(err)
	}
	byPointer, err := json.Marshal(struct{ P *Pending }{&p})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(byValue, byPointer) || bytes.Contains(byValue, []byte("TOTPSECRET")) || !bytes.Contains(byValue, []byte(`"session":"s"`)) {
		t.Errorf("by value %s\nby pointer %s", byValue, byPointer)
	}
	var back struct{ P *Pending }
	if err := json.Unmarshal(byValue, &back); err != nil || back.P.Challenge.Name != types.ChallengeNameTypeMfaSetup || back.P.Challenge.SecretCode != "" {
		t.Errorf("Unmarshal: %v, %+v", err, back.P)
	}
}
