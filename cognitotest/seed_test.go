package cognitotest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

// challengeRecorder is a flows.API that records the challenges answered.
type challengeRecorder struct {
	*cip.Client
	mu   sync.Mutex
	seen []types.ChallengeNameType
}

func (r *challengeRecorder) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, optFns ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	r.mu.Lock()
	r.seen = append(r.seen, in.ChallengeName)
	r.mu.Unlock()
	return r.Client.RespondToAuthChallenge(ctx, in, optFns...)
}

func (r *challengeRecorder) take() []types.ChallengeNameType {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.seen
	r.seen = nil
	return s
}

// TestSeedThroughAPI starts a server with no pools, seeds it with
// CreateUserPool, CreateUserPoolClient and AdminCreateUser only, as a test
// suite or the AWS CLI would, then signs in with SRP (package flows),
// answers NEW_PASSWORD_REQUIRED with a password the invitation did not
// carry, and signs in again through the remembered device.
func TestSeedThroughAPI(t *testing.T) {
	srv := cognitotest.NewServer(cognitotest.Config{Region: "us-east-1"}, cognitotest.WithSigningKey(key()), cognitotest.WithOutboxHTTP())
	defer srv.Close()
	ctx := context.Background()
	c := srv.Client()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:            aws.String("seeded"),
		DeviceConfiguration: &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("app"), GenerateSecret: true,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	clientID, secret := aws.ToString(client.UserPoolClient.ClientId), aws.ToString(client.UserPoolClient.ClientSecret)
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String("kim"),
		// Verified, so that the email is a sign-in alias, as in Cognito.
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("kim@example.com")},
			{Name: aws.String("email_verified"), Value: aws.String("true")}},
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	}); err != nil {
		t.Fatal(err)
	}
	// The temporary password, read from the outbox over HTTP as a test in
	// another language would.
	resp, err := http.Get(srv.URL + "/_cognitosrp/outbox?userPoolId=" + poolID + "&username=kim")
	if err != nil {
		t.Fatal(err)
	}
	var box struct {
		Messages []struct{ Reason, Code, Destination string }
	}
	err = json.NewDecoder(resp.Body).Decode(&box)
	resp.Body.Close()
	if err != nil || len(box.Messages) != 1 || box.Messages[0].Reason != "AdminCreateUser" || box.Messages[0].Destination != "kim@example.com" {
		t.Fatalf("outbox %+v %v", box, err)
	}
	temp := box.Messages[0].Code

	rec := &challengeRecorder{Client: c}
	store := flows.NewMemoryStore()
	const newPassword = "Kim's new passw0rd"
	fc, err := flows.New(rec, poolID, clientID, func(o *flows.Options) {
		o.ClientSecret = secret
		o.DeviceStore = store
		o.RememberDevices = flows.RememberAlways
		o.Handler = flows.ChallengeHandlerFunc(func(ctx context.Context, ch *flows.Challenge) (flows.Answer, error) {
			if ch.Name != types.ChallengeNameTypeNewPasswordRequired {
				t.Fatalf("challenge %s", ch.Name)
			}
			return flows.Answer{Value: newPassword}, nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := fc.Login(ctx, "kim@example.com", temp)
	if err != nil {
		t.Fatal(err)
	}
	if res.Device == nil || res.Username != "kim" {
		t.Fatalf("first sign-in: %+v", res)
	}
	if got := rec.take(); len(got) != 2 || got[0] != types.ChallengeNameTypePasswordVerifier || got[1] != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("first sign-in answered %v", got)
	}
	if n := srv.DeviceCount(poolID, "kim"); n != 1 {
		t.Fatalf("%d devices", n)
	}
	if _, err := fc.Login(ctx, "kim", temp); err == nil {
		t.Fatal("the temporary password still works")
	}
	rec.take()
	res2, err := fc.Login(ctx, "kim", newPassword)
	if err != nil {
		t.Fatal(err)
	}
	got := rec.take()
	want := []types.ChallengeNameType{types.ChallengeNameTypePasswordVerifier, types.ChallengeNameTypeDeviceSrpAuth, types.ChallengeNameTypeDevicePasswordVerifier}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("second sign-in answered %v, want %v", got, want)
	}
	if res2.Device == nil || res2.Device.DeviceKey != res.Device.DeviceKey || res2.AuthenticationResult.NewDeviceMetadata != nil {
		t.Fatalf("second sign-in: %+v", res2)
	}
}
