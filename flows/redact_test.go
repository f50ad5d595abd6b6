package flows

import (
	"fmt"
	"strings"
	"testing"
)

func TestFormattingRedactsSecrets(t *testing.T) {
	const secret = "the-client-secret-0123456789"
	c, err := New(nopAPI{}, "us-east-1_X", "client", func(o *Options) { o.ClientSecret = secret })
	if err != nil {
		t.Fatal(err)
	}
	a := Answer{Value: secret}
	ch := Challenge{Name: "MFA_SETUP", SecretCode: secret}
	for _, x := range []any{c, *c, c.opts, &c.opts, a, &a, ch, &ch} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if out := fmt.Sprintf(verb, x); strings.Contains(out, secret) {
				t.Errorf("%s of %T prints the secret: %s", verb, x, out)
			}
		}
	}
}
