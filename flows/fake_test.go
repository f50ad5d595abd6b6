package flows_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/flows"
)

// fakeAPI answers InitiateAuth with a fixed challenge and every
// RespondToAuthChallenge with the same challenge again: a server that
// keeps challenging, or that issues a challenge nobody knows. The
// emulator does neither, so these two tests use it.
type fakeAPI struct {
	flows.API // nil: other calls panic
	challenge types.ChallengeNameType
	responds  int
}

func (f *fakeAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, optFns ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	return &cip.InitiateAuthOutput{ChallengeName: f.challenge, ChallengeParameters: map[string]string{"USERNAME": "u"}, Session: aws.String("s")}, nil
}

func (f *fakeAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, optFns ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	f.responds++
	return &cip.RespondToAuthChallengeOutput{ChallengeName: f.challenge, ChallengeParameters: map[string]string{"USERNAME": "u"}, Session: aws.String("s")}, nil
}

func TestUnknownChallenge(t *testing.T) {
	f := &fakeAPI{challenge: "WEB_AUTHN"}
	c, err := flows.New(f, "us-east-1_Fake", "client")
	if err != nil {
		t.Fatal(err)
	}
	for name, login := range map[string]func() (*flows.Result, error){
		"Login":         func() (*flows.Result, error) { return c.Login(context.Background(), "u", "pw") },
		"LoginUserAuth": func() (*flows.Result, error) { return c.LoginUserAuth(context.Background(), "u", "") },
	} {
		res, err := login()
		var uce *flows.UnsupportedChallengeError
		if res != nil || !errors.As(err, &uce) || uce.Name != "WEB_AUTHN" {
			t.Errorf("%s: %v, %v, want an *UnsupportedChallengeError for WEB_AUTHN", name, res, err)
		}
		if err.Error() != `flows: unsupported challenge "WEB_AUTHN"` {
			t.Errorf("%s: message %q", name, err)
		}
	}
	if f.responds != 0 {
		t.Errorf("answered an unknown challenge %d times", f.responds)
	}
}

func TestEndlessChallenges(t *testing.T) {
	f := &fakeAPI{challenge: types.ChallengeNameTypeCustomChallenge}
	h := flows.ChallengeHandlerFunc(func(ctx context.Context, c *flows.Challenge) (flows.Answer, error) {
		return flows.Answer{Value: "again"}, nil
	})
	c, err := flows.New(f, "us-east-1_Fake", "client", func(o *flows.Options) { o.Handler = h })
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.LoginCustom(context.Background(), "u", "")
	if !errors.Is(err, flows.ErrChallengeLoop) {
		t.Fatalf("error %v, want ErrChallengeLoop", err)
	}
	if f.responds != flows.DefaultMaxChallenges {
		t.Errorf("answered %d challenges, want %d", f.responds, flows.DefaultMaxChallenges)
	}
}
