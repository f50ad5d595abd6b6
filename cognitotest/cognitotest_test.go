package cognitotest_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/srp"
)

const (
	pool     = "us-east-1_Test"
	password = "Passw0rd!"
	totp     = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

var key = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func config() cognitotest.Config {
	return cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID:             pool,
			DeviceTracking: "always",
			Clients:        []cognitotest.AppClient{{ID: "app"}, {ID: "confidential", Secret: "shh"}},
			Users: []cognitotest.User{
				{Username: "alice", Password: password, Attributes: map[string]string{"email": "alice@example.com"}},
				{Username: "sam", Password: password, MFA: []string{"SMS_MFA"}, Attributes: map[string]string{"phone_number": "+15555550199"}},
				{Username: "tina", Password: password, TOTPSecret: totp},
			},
		}},
	}
}

// signIn runs USER_SRP_AUTH with PASSWORD_VERIFIER and returns the answer.
func signIn(t *testing.T, c *cip.Client, clientID, user string, extra map[string]string, now time.Time) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	ctx := context.Background()
	eph, err := srp.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{"USERNAME": user, "SRP_A": eph.SRPA()}
	for k, v := range extra {
		params[k] = v
	}
	init, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(clientID), AuthParameters: params})
	if err != nil {
		return nil, err
	}
	ch, err := srp.ParseChallengeParameters(init.ChallengeParameters)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := eph.PasswordClaim(pool, init.ChallengeParameters["USER_ID_FOR_SRP"], password, ch, now)
	if err != nil {
		t.Fatal(err)
	}
	resp := map[string]string{
		"USERNAME": init.ChallengeParameters["USERNAME"], "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
		"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp,
	}
	if dk := extra["DEVICE_KEY"]; dk != "" {
		resp["DEVICE_KEY"] = dk
	}
	return c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ClientId: aws.String(clientID),
		Session: init.Session, ChallengeResponses: resp,
	})
}

func TestNewServerPanicsOnBadConfig(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "userPools[0].deviceTracking") {
			t.Errorf("recovered %v", r)
		}
	}()
	cfg := config()
	cfg.UserPools[0].DeviceTracking = "sometimes"
	cognitotest.NewServer(cfg)
}

func TestServer(t *testing.T) {
	srv := cognitotest.NewServer(config(), cognitotest.WithSigningKey(key()))
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || srv.Region() != "us-east-1" {
		t.Fatalf("URL %q region %q", srv.URL, srv.Region())
	}
	c := srv.Client()
	ctx := context.Background()

	out, err := signIn(t, c, "app", "alice@example.com", nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res := out.AuthenticationResult
	if res == nil || res.NewDeviceMetadata == nil {
		t.Fatalf("result %+v", out)
	}

	t.Run("tokens verify against the JWKS", func(t *testing.T) {
		resp, err := http.Get(srv.JWKSURL(pool))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var set jose.JSONWebKeySet
		if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
			t.Fatal(err)
		}
		tok, err := jwt.ParseSigned(aws.ToString(res.AccessToken), []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		keys := set.Key(tok.Headers[0].KeyID)
		if len(keys) != 1 {
			t.Fatalf("kid %q not found", tok.Headers[0].KeyID)
		}
		var claims jwt.Claims
		var extra struct {
			TokenUse  string `json:"token_use"`
			DeviceKey string `json:"device_key"`
		}
		if err := tok.Claims(keys[0].Key, &claims, &extra); err != nil {
			t.Fatal(err)
		}
		if err := claims.Validate(jwt.Expected{Issuer: srv.Issuer(pool), Time: time.Now()}); err != nil {
			t.Error(err)
		}
		if extra.TokenUse != "access" || extra.DeviceKey != aws.ToString(res.NewDeviceMetadata.DeviceKey) {
			t.Errorf("claims %+v", extra)
		}
	})

	t.Run("remembered device", func(t *testing.T) {
		md := res.NewDeviceMetadata
		dv, err := srp.NewDeviceVerifier(aws.ToString(md.DeviceGroupKey), aws.ToString(md.DeviceKey))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ConfirmDevice(ctx, &cip.ConfirmDeviceInput{
			AccessToken: res.AccessToken, DeviceKey: md.DeviceKey,
			DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String(dv.Salt), PasswordVerifier: aws.String(dv.PasswordVerifier)},
		}); err != nil {
			t.Fatal(err)
		}
		if n := srv.DeviceCount(pool, "alice"); n != 1 {
			t.Errorf("DeviceCount = %d", n)
		}
		if n := srv.DeviceCount(pool, "nobody"); n != 0 {
			t.Errorf("DeviceCount(nobody) = %d", n)
		}
		out, err := signIn(t, c, "app", "alice", map[string]string{"DEVICE_KEY": aws.ToString(md.DeviceKey)}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if out.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
			t.Fatalf("challenge %q", out.ChallengeName)
		}
		eph, _ := srp.NewEphemeral()
		dch, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ChallengeName: types.ChallengeNameTypeDeviceSrpAuth, ClientId: aws.String("app"), Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "alice", "DEVICE_KEY": aws.ToString(md.DeviceKey), "SRP_A": eph.SRPA()},
		})
		if err != nil {
			t.Fatal(err)
		}
		ch, err := srp.ParseChallengeParameters(dch.ChallengeParameters)
		if err != nil {
			t.Fatal(err)
		}
		cl, err := eph.DeviceClaim(aws.ToString(md.DeviceGroupKey), aws.ToString(md.DeviceKey), dv.DevicePassword, ch, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		fin, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ChallengeName: types.ChallengeNameTypeDevicePasswordVerifier, ClientId: aws.String("app"), Session: dch.Session,
			ChallengeResponses: map[string]string{"USERNAME": "alice", "DEVICE_KEY": aws.ToString(md.DeviceKey),
				"PASSWORD_CLAIM_SIGNATURE": cl.Signature, "PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp},
		})
		if err != nil || fin.AuthenticationResult == nil {
			t.Fatalf("DEVICE_PASSWORD_VERIFIER: %v", err)
		}
	})

	t.Run("SMS code", func(t *testing.T) {
		out, err := signIn(t, c, "app", "sam", nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if out.ChallengeName != types.ChallengeNameTypeSmsMfa {
			t.Fatalf("challenge %q", out.ChallengeName)
		}
		code, ok := srv.LastCode(pool, "sam")
		if !ok {
			t.Fatal("no code delivered")
		}
		if msgs := srv.Messages(); len(msgs) == 0 || msgs[len(msgs)-1].Destination != "+15555550199" {
			t.Errorf("Messages %+v", msgs)
		}
		fin, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ChallengeName: types.ChallengeNameTypeSmsMfa, ClientId: aws.String("app"), Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "sam", "SMS_MFA_CODE": code},
		})
		if err != nil || fin.AuthenticationResult == nil {
			t.Fatalf("SMS_MFA: %v", err)
		}
	})

	t.Run("TOTP", func(t *testing.T) {
		out, err := signIn(t, c, "app", "tina", nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		fin, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ChallengeName: types.ChallengeNameTypeSoftwareTokenMfa, ClientId: aws.String("app"), Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": cognitotest.TOTPCode(totp, time.Now())},
		})
		if err != nil || fin.AuthenticationResult == nil {
			t.Fatalf("SOFTWARE_TOKEN_MFA: %v", err)
		}
	})

	t.Run("error shapes", func(t *testing.T) {
		_, err := signIn(t, c, "confidential", "alice", nil, time.Now())
		var nae *types.NotAuthorizedException
		if !errors.As(err, &nae) || aws.ToString(nae.Message) != "Client confidential is configured with secret but SECRET_HASH was not received" {
			t.Errorf("got %v", err)
		}
		var oe *smithy.OperationError
		if !errors.As(err, &oe) || oe.Operation() != "InitiateAuth" {
			t.Errorf("got %v", err)
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"AuthFlow": "USER_SRP_AUTH", "ClientId": "app", "AuthParameters": {"USERNAME": "zed", "SRP_A": "02"}}`))
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 || resp.Header.Get("x-amzn-ErrorType") != "UserNotFoundException" ||
			string(body) != `{"__type":"UserNotFoundException","message":"User does not exist."}` {
			t.Errorf("%d %q %s", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"), body)
		}
	})

	t.Run("client options", func(t *testing.T) {
		c := srv.Client(func(o *cip.Options) { o.Region = "eu-west-1" })
		_, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
		if err != nil {
			t.Error(err)
		}
	})
}

func TestSetClock(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := cognitotest.NewServer(config(), cognitotest.WithSigningKey(key()), cognitotest.WithClock(func() time.Time { return now }), cognitotest.WithSessionTTL(time.Minute))
	defer srv.Close()
	c := srv.Client()
	out, err := signIn(t, c, "app", "alice", nil, now)
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{}
	tok, _ := jwt.ParseSigned(aws.ToString(out.AuthenticationResult.IdToken), []jose.SignatureAlgorithm{jose.RS256})
	tok.UnsafeClaimsWithoutVerification(&claims)
	if claims["iat"] != float64(now.Unix()) {
		t.Errorf("iat %v, want %d", claims["iat"], now.Unix())
	}
	// Signing with the real time is 4 years off.
	_, err = signIn(t, c, "app", "alice", nil, time.Now())
	var nae *types.NotAuthorizedException
	if !errors.As(err, &nae) {
		t.Errorf("got %v", err)
	}
	// An hour later the access token has expired.
	srv.SetClock(func() time.Time { return now.Add(time.Hour) })
	_, err = c.GetUser(context.Background(), &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken})
	if !errors.As(err, &nae) || aws.ToString(nae.Message) != "Access Token has expired" {
		t.Errorf("got %v", err)
	}
	srv.SetClock(nil)
	if _, err := signIn(t, c, "app", "alice", nil, time.Now()); err != nil {
		t.Error(err)
	}
}

func TestTOTPCode(t *testing.T) {
	// RFC 6238 appendix B (SHA-1), last 6 digits.
	if got := cognitotest.TOTPCode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", time.Unix(1111111109, 0)); got != "081804" {
		t.Errorf("TOTPCode = %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for a bad secret")
		}
	}()
	cognitotest.TOTPCode("!!", time.Now())
}

func TestServersDoNotShareTokens(t *testing.T) {
	a, b := cognitotest.NewServer(config()), cognitotest.NewServer(config())
	defer a.Close()
	defer b.Close()
	out, err := signIn(t, a.Client(), "app", "alice", nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Client().GetUser(context.Background(), &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken})
	var nae *types.NotAuthorizedException
	if !errors.As(err, &nae) || aws.ToString(nae.Message) != "Invalid Access Token" {
		t.Errorf("server b accepted server a's token: %v", err)
	}
	_, err = b.Client().InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String("app"),
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(out.AuthenticationResult.RefreshToken)},
	})
	if !errors.As(err, &nae) {
		t.Errorf("server b accepted server a's refresh token: %v", err)
	}
}
