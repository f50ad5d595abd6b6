package cognitotest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/secrethash"
	"github.com/cognitosrp/cognitosrp/srp"
)

// Tests of refresh tokens (GetTokensFromRefreshToken, REFRESH_TOKEN_AUTH,
// rotation, device binding, lifetimes) and of the tokens themselves (issuer,
// keys), with the AWS SDK for Go against a Server.

const (
	rpool   = "us-east-1_Refresh"
	dpool   = "us-east-1_Devices"
	rsecret = "rotating-secret"
)

func refreshConfig() cognitotest.Config {
	minutes := &cognitotest.TokenValidityUnits{AccessToken: "minutes", IdToken: "minutes", RefreshToken: "minutes"}
	return cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{
			{
				ID: rpool,
				Clients: []cognitotest.AppClient{
					{ID: "plain"},
					{ID: "disabled", RefreshTokenRotation: &cognitotest.RefreshTokenRotation{Feature: "DISABLED"}},
					{ID: "rotating", RefreshTokenRotation: &cognitotest.RefreshTokenRotation{Feature: "ENABLED", RetryGracePeriodSeconds: 10}},
					{ID: "rotating0", RefreshTokenRotation: &cognitotest.RefreshTokenRotation{Feature: "ENABLED"}},
					{ID: "rsecret", Secret: rsecret, RefreshTokenRotation: &cognitotest.RefreshTokenRotation{Feature: "ENABLED"}},
					{ID: "short", AccessTokenValidity: 5, IdTokenValidity: 10, RefreshTokenValidity: 60, TokenValidityUnits: minutes},
				},
				Users: []cognitotest.User{{Username: "alice", Password: password}},
			},
			{
				ID:             dpool,
				DeviceTracking: "always",
				Clients: []cognitotest.AppClient{
					{ID: "dev", ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
					{ID: "devrot", RefreshTokenRotation: &cognitotest.RefreshTokenRotation{Feature: "ENABLED"}},
				},
				Users: []cognitotest.User{{Username: "frank", Password: password}},
			},
		},
	}
}

// srpTokens signs in with USER_SRP_AUTH (the claim signed at the server's
// time) and returns the tokens.
func srpTokens(t *testing.T, srv *cognitotest.Server, poolID, clientID, user string, params map[string]string) *types.AuthenticationResultType {
	t.Helper()
	ctx := context.Background()
	c := srv.Client()
	eph, err := srp.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	ap := map[string]string{"USERNAME": user, "SRP_A": eph.SRPA()}
	for k, v := range params {
		ap[k] = v
	}
	init, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(clientID), AuthParameters: ap})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := srp.ParseChallengeParameters(init.ChallengeParameters)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := eph.PasswordClaim(poolID, init.ChallengeParameters["USER_ID_FOR_SRP"], password, ch, srv.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp := map[string]string{"USERNAME": init.ChallengeParameters["USERNAME"], "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
		"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp}
	if s := params["SECRET_HASH"]; s != "" {
		resp["SECRET_HASH"] = s
	}
	out, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ClientId: aws.String(clientID), Session: init.Session, ChallengeResponses: resp,
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("challenge %s instead of tokens", out.ChallengeName)
	}
	return out.AuthenticationResult
}

// confirm confirms the device of a sign-in.
func confirm(t *testing.T, srv *cognitotest.Server, res *types.AuthenticationResultType) string {
	t.Helper()
	md := res.NewDeviceMetadata
	if md == nil {
		t.Fatal("no NewDeviceMetadata")
	}
	dv, err := srp.NewDeviceVerifier(aws.ToString(md.DeviceGroupKey), aws.ToString(md.DeviceKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client().ConfirmDevice(context.Background(), &cip.ConfirmDeviceInput{
		AccessToken: res.AccessToken, DeviceKey: md.DeviceKey,
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String(dv.Salt), PasswordVerifier: aws.String(dv.PasswordVerifier)},
	}); err != nil {
		t.Fatal(err)
	}
	return aws.ToString(md.DeviceKey)
}

func getTokens(srv *cognitotest.Server, clientID, rt, deviceKey, secret string) (*types.AuthenticationResultType, error) {
	in := &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(clientID), RefreshToken: aws.String(rt)}
	if deviceKey != "" {
		in.DeviceKey = aws.String(deviceKey)
	}
	if secret != "" {
		in.ClientSecret = aws.String(secret)
	}
	out, err := srv.Client().GetTokensFromRefreshToken(context.Background(), in)
	if err != nil {
		return nil, err
	}
	if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" {
		return nil, errors.New("no tokens")
	}
	return out.AuthenticationResult, nil
}

func refreshAuth(srv *cognitotest.Server, clientID, rt string, extra map[string]string) (*types.AuthenticationResultType, error) {
	ap := map[string]string{"REFRESH_TOKEN": rt}
	for k, v := range extra {
		ap[k] = v
	}
	out, err := srv.Client().InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID), AuthParameters: ap})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

// wantErr checks err's Cognito error code and message ("" for any).
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s %q", err, code, msg)
	}
	if ae.ErrorCode() != code || (msg != "" && ae.ErrorMessage() != msg) {
		t.Fatalf("got %s %q, want %s %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

// claimsOf returns a JWT's claims without verifying it.
func claimsOf(t *testing.T, token string) map[string]any {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := tok.UnsafeClaimsWithoutVerification(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRotationDisabled(t *testing.T) {
	t.Parallel()
	srv := cognitotest.NewServer(refreshConfig())
	defer srv.Close()
	for _, client := range []string{"plain", "disabled"} {
		t.Run(client, func(t *testing.T) {
			res := srpTokens(t, srv, rpool, client, "alice", nil)
			rt := aws.ToString(res.RefreshToken)
			for i := range 2 {
				r, err := getTokens(srv, client, rt, "", "")
				if err != nil {
					t.Fatalf("GetTokensFromRefreshToken #%d: %v", i, err)
				}
				if r.RefreshToken != nil {
					t.Fatalf("GetTokensFromRefreshToken returned a refresh token without rotation")
				}
				if a, b := claimsOf(t, aws.ToString(res.AccessToken)), claimsOf(t, aws.ToString(r.AccessToken)); a["origin_jti"] != b["origin_jti"] || a["jti"] == b["jti"] {
					t.Errorf("claims %v after %v", b, a)
				}
			}
			r, err := refreshAuth(srv, client, rt, nil)
			if err != nil || r == nil || r.RefreshToken != nil {
				t.Fatalf("REFRESH_TOKEN_AUTH: %+v, %v", r, err)
			}
		})
	}
}

func TestRotationEnabled(t *testing.T) {
	t.Parallel()
	srv := cognitotest.NewServer(refreshConfig())
	defer srv.Close()
	res := srpTokens(t, srv, rpool, "rotating", "alice", nil)
	rt0 := aws.ToString(res.RefreshToken)

	r1, err := getTokens(srv, "rotating", rt0, "", "")
	if err != nil {
		t.Fatal(err)
	}
	rt1 := aws.ToString(r1.RefreshToken)
	if rt1 == "" || rt1 == rt0 {
		t.Fatalf("rotation returned refresh token %q", rt1)
	}
	if claimsOf(t, aws.ToString(r1.AccessToken))["origin_jti"] != claimsOf(t, aws.ToString(res.AccessToken))["origin_jti"] {
		t.Error("origin_jti changed with rotation")
	}

	// Within the 10-second grace period the old token still works (and
	// rotates again).
	srv.Advance(9 * time.Second)
	r2, err := getTokens(srv, "rotating", rt0, "", "")
	if err != nil {
		t.Fatalf("old token within the grace period: %v", err)
	}
	if rt2 := aws.ToString(r2.RefreshToken); rt2 == "" || rt2 == rt0 || rt2 == rt1 {
		t.Errorf("second rotation returned %q", rt2)
	}

	// Past it, reuse is refused.
	srv.Advance(2 * time.Second)
	_, err = getTokens(srv, "rotating", rt0, "", "")
	var reuse *types.RefreshTokenReuseException
	if !errors.As(err, &reuse) {
		t.Fatalf("old token after the grace period: %v", err)
	}
	// The one that replaced it works, and rotates.
	r3, err := getTokens(srv, "rotating", rt1, "", "")
	if err != nil {
		t.Fatal(err)
	}
	rt3 := aws.ToString(r3.RefreshToken)
	// Its predecessor rt1 is still in its grace period.
	if _, err := getTokens(srv, "rotating", rt1, "", ""); err != nil {
		t.Errorf("rt1 within its grace period: %v", err)
	}
	srv.Advance(11 * time.Second)
	_, err = getTokens(srv, "rotating", rt1, "", "")
	wantErr(t, err, "RefreshTokenReuseException", "")
	if _, err := getTokens(srv, "rotating", rt3, "", ""); err != nil {
		t.Fatal(err)
	}

	t.Run("no grace period", func(t *testing.T) {
		res := srpTokens(t, srv, rpool, "rotating0", "alice", nil)
		r, err := getTokens(srv, "rotating0", aws.ToString(res.RefreshToken), "", "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = getTokens(srv, "rotating0", aws.ToString(res.RefreshToken), "", "")
		wantErr(t, err, "RefreshTokenReuseException", "")
		if _, err := getTokens(srv, "rotating0", aws.ToString(r.RefreshToken), "", ""); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("REFRESH_TOKEN_AUTH refused", func(t *testing.T) {
		res := srpTokens(t, srv, rpool, "rotating", "alice", nil)
		_, err := refreshAuth(srv, "rotating", aws.ToString(res.RefreshToken), nil)
		wantErr(t, err, "InvalidParameterException", "Refresh Token Flow not enabled for this client")
		// The token is not used up by the refusal.
		if _, err := getTokens(srv, "rotating", aws.ToString(res.RefreshToken), "", ""); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("revoked with its rotations", func(t *testing.T) {
		res := srpTokens(t, srv, rpool, "rotating", "alice", nil)
		r, err := getTokens(srv, "rotating", aws.ToString(res.RefreshToken), "", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Client().RevokeToken(context.Background(), &cip.RevokeTokenInput{ClientId: aws.String("rotating"), Token: r.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []*string{res.RefreshToken, r.RefreshToken} {
			_, err := getTokens(srv, "rotating", aws.ToString(tok), "", "")
			wantErr(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
		}
	})
}

func TestGetTokensFromRefreshTokenErrors(t *testing.T) {
	t.Parallel()
	srv := cognitotest.NewServer(refreshConfig())
	defer srv.Close()
	res := srpTokens(t, srv, rpool, "plain", "alice", nil)
	rt := aws.ToString(res.RefreshToken)

	_, err := getTokens(srv, "nope", rt, "", "")
	wantErr(t, err, "ResourceNotFoundException", "User pool client nope does not exist.")
	_, err = getTokens(srv, "plain", "not-a-token", "", "")
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	// A different app client than the one that issued the token.
	_, err = getTokens(srv, "disabled", rt, "", "")
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")
	// A device key in a pool without device tracking.
	_, err = getTokens(srv, "plain", rt, "us-east-1_00000000-0000-4000-8000-000000000000", "")
	wantErr(t, err, "NotAuthorizedException", "Invalid Refresh Token.")

	t.Run("client secret", func(t *testing.T) {
		res := srpTokens(t, srv, rpool, "rsecret", "alice", map[string]string{"SECRET_HASH": secrethash.Compute("rsecret", rsecret, "alice")})
		rt := aws.ToString(res.RefreshToken)
		_, err := getTokens(srv, "rsecret", rt, "", "")
		wantErr(t, err, "NotAuthorizedException", "Client rsecret is configured for secret but secret was not received")
		_, err = getTokens(srv, "rsecret", rt, "", "wrong")
		wantErr(t, err, "NotAuthorizedException", "Client secret is not valid")
		// The secret itself, not a SECRET_HASH.
		_, err = getTokens(srv, "rsecret", rt, "", secrethash.Compute("rsecret", rsecret, "alice"))
		wantErr(t, err, "NotAuthorizedException", "Client secret is not valid")
		r, err := getTokens(srv, "rsecret", rt, "", rsecret)
		if err != nil || r.RefreshToken == nil {
			t.Fatalf("%+v %v", r, err)
		}
	})

	t.Run("missing members", func(t *testing.T) {
		// The SDK refuses to send these; a raw request gets Cognito's
		// validation error.
		for body, want := range map[string]string{
			`{"ClientId": "plain"}`: "1 validation error detected: Value null at 'refreshToken' failed to satisfy constraint: Member must not be null",
			`{"RefreshToken": "x"}`: "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null",
			`{"RefreshToken": 5}`:   "",
			`{"ClientId": "plain", "RefreshToken": "x", "ClientMetadata": []}`: "",
		} {
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
			req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken")
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]string
			json.NewDecoder(resp.Body).Decode(&m)
			resp.Body.Close()
			if resp.StatusCode != 400 || (want != "" && m["message"] != want) || m["__type"] == "" {
				t.Errorf("%s: %d %v", body, resp.StatusCode, m)
			}
		}
	})
}

func TestDeviceBoundRefreshTokens(t *testing.T) {
	t.Parallel()
	srv := cognitotest.NewServer(refreshConfig())
	defer srv.Close()
	ctx := context.Background()
	invalidGT, invalidRTA := "Invalid Refresh Token.", "Invalid Refresh Token"

	t.Run("device never confirmed", func(t *testing.T) {
		res := srpTokens(t, srv, dpool, "dev", "frank", nil)
		dk := aws.ToString(res.NewDeviceMetadata.DeviceKey)
		_, err := getTokens(srv, "dev", aws.ToString(res.RefreshToken), dk, "")
		wantErr(t, err, "NotAuthorizedException", invalidGT)
		_, err = refreshAuth(srv, "dev", aws.ToString(res.RefreshToken), map[string]string{"DEVICE_KEY": dk})
		wantErr(t, err, "NotAuthorizedException", invalidRTA)
		// Confirming it afterwards makes the refresh token work.
		confirm(t, srv, res)
		if _, err := getTokens(srv, "dev", aws.ToString(res.RefreshToken), dk, ""); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("device key not sent", func(t *testing.T) {
		res := srpTokens(t, srv, dpool, "dev", "frank", nil)
		dk := confirm(t, srv, res)
		rt := aws.ToString(res.RefreshToken)
		_, err := getTokens(srv, "dev", rt, "", "")
		wantErr(t, err, "NotAuthorizedException", invalidGT)
		_, err = refreshAuth(srv, "dev", rt, nil)
		wantErr(t, err, "NotAuthorizedException", invalidRTA)
		// Another device's key does not do either.
		other := srpTokens(t, srv, dpool, "dev", "frank", nil)
		odk := confirm(t, srv, other)
		_, err = getTokens(srv, "dev", rt, odk, "")
		wantErr(t, err, "NotAuthorizedException", invalidGT)
		if _, err := getTokens(srv, "dev", rt, dk, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := refreshAuth(srv, "dev", rt, map[string]string{"DEVICE_KEY": dk}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("USER_PASSWORD_AUTH", func(t *testing.T) {
		out, err := srv.Client().InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("dev"),
			AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": password}})
		if err != nil {
			t.Fatal(err)
		}
		res := out.AuthenticationResult
		dk := confirm(t, srv, res)
		_, err = getTokens(srv, "dev", aws.ToString(res.RefreshToken), dk, "")
		wantErr(t, err, "NotAuthorizedException", invalidGT)
		_, err = refreshAuth(srv, "dev", aws.ToString(res.RefreshToken), map[string]string{"DEVICE_KEY": dk})
		wantErr(t, err, "NotAuthorizedException", invalidRTA)
	})

	t.Run("forgotten device", func(t *testing.T) {
		res := srpTokens(t, srv, dpool, "devrot", "frank", nil)
		dk := confirm(t, srv, res)
		r, err := getTokens(srv, "devrot", aws.ToString(res.RefreshToken), dk, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Client().ForgetDevice(ctx, &cip.ForgetDeviceInput{AccessToken: r.AccessToken, DeviceKey: aws.String(dk)}); err != nil {
			t.Fatal(err)
		}
		_, err = getTokens(srv, "devrot", aws.ToString(r.RefreshToken), dk, "")
		wantErr(t, err, "NotAuthorizedException", invalidGT)
	})

	t.Run("another app client", func(t *testing.T) {
		res := srpTokens(t, srv, dpool, "dev", "frank", nil)
		dk := confirm(t, srv, res)
		_, err := getTokens(srv, "devrot", aws.ToString(res.RefreshToken), dk, "")
		wantErr(t, err, "NotAuthorizedException", invalidGT)
	})
}

func TestTokenLifetimes(t *testing.T) {
	t.Parallel()
	srv := cognitotest.NewServer(refreshConfig())
	defer srv.Close()
	ctx := context.Background()
	lifetime := func(token string) time.Duration {
		c := claimsOf(t, token)
		return time.Duration(c["exp"].(float64)-c["iat"].(float64)) * time.Second
	}

	t.Run("defaults", func(t *testing.T) {
		res := srpTokens(t, srv, rpool, "plain", "alice", nil)
		if res.ExpiresIn != 3600 || lifetime(aws.ToString(res.AccessToken)) != time.Hour || lifetime(aws.ToString(res.IdToken)) != time.Hour {
			t.Errorf("ExpiresIn %d, lifetimes %v %v", res.ExpiresIn, lifetime(aws.ToString(res.AccessToken)), lifetime(aws.ToString(res.IdToken)))
		}
		srv := cognitotest.NewServer(refreshConfig())
		defer srv.Close()
		res = srpTokens(t, srv, rpool, "plain", "alice", nil)
		srv.Advance(30*24*time.Hour - time.Second)
		if _, err := getTokens(srv, "plain", aws.ToString(res.RefreshToken), "", ""); err != nil {
			t.Fatalf("a second before 30 days: %v", err)
		}
		srv.Advance(2 * time.Second)
		_, err := getTokens(srv, "plain", aws.ToString(res.RefreshToken), "", "")
		wantErr(t, err, "NotAuthorizedException", "Refresh Token has expired")
	})

	t.Run("per client", func(t *testing.T) {
		srv := cognitotest.NewServer(refreshConfig())
		defer srv.Close()
		res := srpTokens(t, srv, rpool, "short", "alice", nil)
		if res.ExpiresIn != 300 || lifetime(aws.ToString(res.AccessToken)) != 5*time.Minute || lifetime(aws.ToString(res.IdToken)) != 10*time.Minute {
			t.Errorf("ExpiresIn %d, lifetimes %v %v", res.ExpiresIn, lifetime(aws.ToString(res.AccessToken)), lifetime(aws.ToString(res.IdToken)))
		}
		srv.Advance(5 * time.Minute)
		_, err := srv.Client().GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
		wantErr(t, err, "NotAuthorizedException", "Access Token has expired")
		r, err := getTokens(srv, "short", aws.ToString(res.RefreshToken), "", "")
		if err != nil {
			t.Fatal(err)
		}
		if r.ExpiresIn != 300 {
			t.Errorf("refreshed ExpiresIn %d", r.ExpiresIn)
		}
		if _, err := srv.Client().GetUser(ctx, &cip.GetUserInput{AccessToken: r.AccessToken}); err != nil {
			t.Fatal(err)
		}
		srv.Advance(56 * time.Minute)
		_, err = getTokens(srv, "short", aws.ToString(res.RefreshToken), "", "")
		wantErr(t, err, "NotAuthorizedException", "Refresh Token has expired")
		_, err = refreshAuth(srv, "short", aws.ToString(res.RefreshToken), nil)
		wantErr(t, err, "NotAuthorizedException", "Refresh Token has expired")
	})

	t.Run("rotated tokens expire with the original", func(t *testing.T) {
		srv := cognitotest.NewServer(refreshConfig())
		defer srv.Close()
		res := srpTokens(t, srv, rpool, "rotating", "alice", nil)
		srv.Advance(29 * 24 * time.Hour)
		r, err := getTokens(srv, "rotating", aws.ToString(res.RefreshToken), "", "")
		if err != nil {
			t.Fatal(err)
		}
		srv.Advance(24*time.Hour + time.Second)
		_, err = getTokens(srv, "rotating", aws.ToString(r.RefreshToken), "", "")
		wantErr(t, err, "NotAuthorizedException", "Refresh Token has expired")
	})
}

func TestAdvance(t *testing.T) {
	t.Parallel()
	pinned := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := cognitotest.NewServer(refreshConfig(), cognitotest.WithClock(func() time.Time { return pinned }))
	defer srv.Close()
	srv.Advance(time.Hour)
	if got := srv.Now(); !got.Equal(pinned.Add(time.Hour)) {
		t.Errorf("Now() = %v after Advance(1h)", got)
	}
	// A sign-in at the advanced time: iat is the server's time.
	res := srpTokens(t, srv, rpool, "plain", "alice", nil)
	if iat := claimsOf(t, aws.ToString(res.AccessToken))["iat"].(float64); int64(iat) != pinned.Add(time.Hour).Unix() {
		t.Errorf("iat %v", iat)
	}
	srv.SetClock(nil)
	if d := time.Since(srv.Now()); d < 0 || d > time.Minute {
		t.Errorf("SetClock(nil) left the clock %v off", d)
	}
}

// hostRewriter sends every request with another Host header.
type hostRewriter struct{ host string }

func (h hostRewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Host = h.host
	return http.DefaultTransport.RoundTrip(r)
}

func TestIssuerIgnoresHost(t *testing.T) {
	t.Parallel()
	srv := cognitotest.NewServer(refreshConfig())
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	for _, host := range []string{"localhost:" + port, "127.0.0.1:" + port, "attacker.example"} {
		c := srv.Client(func(o *cip.Options) { o.HTTPClient = &http.Client{Transport: hostRewriter{host}} })
		eph, _ := srp.NewEphemeral()
		init, err := c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String("plain"),
			AuthParameters: map[string]string{"USERNAME": "alice", "SRP_A": eph.SRPA()}})
		if err != nil {
			t.Fatal(err)
		}
		ch, _ := srp.ParseChallengeParameters(init.ChallengeParameters)
		cl, err := eph.PasswordClaim(rpool, "alice", password, ch, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.RespondToAuthChallenge(context.Background(), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
			ClientId: aws.String("plain"), Session: init.Session, ChallengeResponses: map[string]string{"USERNAME": "alice",
				"PASSWORD_CLAIM_SIGNATURE": cl.Signature, "PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range []*string{out.AuthenticationResult.AccessToken, out.AuthenticationResult.IdToken} {
			if iss := claimsOf(t, aws.ToString(tok))["iss"]; iss != srv.Issuer(rpool) {
				t.Errorf("Host %s: iss %v, want %s", host, iss, srv.Issuer(rpool))
			}
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/"+rpool+"/.well-known/openid-configuration", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if doc["issuer"] != srv.Issuer(rpool) || doc["jwks_uri"] != srv.JWKSURL(rpool) {
			t.Errorf("Host %s: openid-configuration %v", host, doc)
		}
	}
}

// verifyWithJWKS verifies a token with go-jose against the key set at
// jwksURL, with the key its kid names, and checks iss and token_use.
func verifyWithJWKS(t *testing.T, jwksURL, token, iss, use string) (kid string) {
	t.Helper()
	resp, err := http.Get(jwksURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	kid = tok.Headers[0].KeyID
	keys := set.Key(kid)
	if len(keys) != 1 {
		t.Fatalf("kid %q not in the key set", kid)
	}
	var std jwt.Claims
	var extra struct {
		TokenUse string `json:"token_use"`
	}
	if err := tok.Claims(keys[0].Key, &std, &extra); err != nil {
		t.Fatalf("%s token: %v", use, err)
	}
	if err := std.Validate(jwt.Expected{Issuer: iss, Time: time.Now()}); err != nil || extra.TokenUse != use {
		t.Fatalf("%s token: %v, token_use %q", use, err, extra.TokenUse)
	}
	// No other key of the set verifies it.
	for _, k := range set.Keys {
		if k.KeyID != kid {
			if err := tok.Claims(k.Key, &std); err == nil {
				t.Errorf("%s token verifies with kid %s too", use, k.KeyID)
			}
		}
	}
	return kid
}

func TestTwoSigningKeys(t *testing.T) {
	t.Parallel()
	srv := cognitotest.NewServer(refreshConfig())
	defer srv.Close()
	res := srpTokens(t, srv, rpool, "plain", "alice", nil)
	ak := verifyWithJWKS(t, srv.JWKSURL(rpool), aws.ToString(res.AccessToken), srv.Issuer(rpool), "access")
	ik := verifyWithJWKS(t, srv.JWKSURL(rpool), aws.ToString(res.IdToken), srv.Issuer(rpool), "id")
	if ak == ik {
		t.Errorf("ID and access tokens are signed with the same key %s", ak)
	}
}

func TestCognitoIssuer(t *testing.T) {
	t.Parallel()
	srv := cognitotest.NewServer(refreshConfig(), cognitotest.WithCognitoIssuer())
	defer srv.Close()
	want := "https://cognito-idp.us-east-1.amazonaws.com/" + rpool
	if srv.Issuer(rpool) != want || srv.JWKSURL(rpool) != srv.URL+"/"+rpool+"/.well-known/jwks.json" {
		t.Fatalf("Issuer %q JWKSURL %q", srv.Issuer(rpool), srv.JWKSURL(rpool))
	}
	res := srpTokens(t, srv, rpool, "rotating", "alice", nil)
	verifyWithJWKS(t, srv.JWKSURL(rpool), aws.ToString(res.AccessToken), want, "access")
	verifyWithJWKS(t, srv.JWKSURL(rpool), aws.ToString(res.IdToken), want, "id")
	// The server still accepts its own tokens.
	if _, err := srv.Client().GetUser(context.Background(), &cip.GetUserInput{AccessToken: res.AccessToken}); err != nil {
		t.Fatal(err)
	}
	r, err := getTokens(srv, "rotating", aws.ToString(res.RefreshToken), "", "")
	if err != nil {
		t.Fatal(err)
	}
	verifyWithJWKS(t, srv.JWKSURL(rpool), aws.ToString(r.IdToken), want, "id")

	resp, err := http.Get(srv.URL + "/" + rpool + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc["issuer"] != want || doc["jwks_uri"] != srv.JWKSURL(rpool) {
		t.Errorf("openid-configuration %v", doc)
	}
	for _, k := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "revocation_endpoint", "end_session_endpoint",
		"id_token_signing_alg_values_supported", "response_types_supported", "scopes_supported", "subject_types_supported", "token_endpoint_auth_methods_supported"} {
		if doc[k] == nil {
			t.Errorf("openid-configuration has no %s", k)
		}
	}
}
