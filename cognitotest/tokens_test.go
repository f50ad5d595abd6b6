package cognitotest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// parseClaims returns a JWT's claims without verifying it.
func parseClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parsing JWT: %v", err)
	}
	var m map[string]any
	if err := tok.UnsafeClaimsWithoutVerification(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// fetchJWKS gets a pool's key set over HTTP.
func fetchJWKS(t *testing.T, url string) jose.JSONWebKeySet {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	return set
}

// verifyJWT checks a token's signature against the key set, and its issuer,
// use and expiry, and returns its claims.
func verifyJWT(t *testing.T, set jose.JSONWebKeySet, token, iss, use string, now time.Time) map[string]any {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	if len(tok.Headers) != 1 || tok.Headers[0].KeyID == "" || tok.Headers[0].Algorithm != "RS256" {
		t.Fatalf("headers %+v", tok.Headers)
	}
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q not in the key set", tok.Headers[0].KeyID)
	}
	var std jwt.Claims
	var all map[string]any
	if err := tok.Claims(keys[0].Key, &std, &all); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: iss, Time: now}, 0); err != nil {
		t.Fatalf("claims: %v", err)
	}
	if all["token_use"] != use {
		t.Fatalf("token_use %v, want %s", all["token_use"], use)
	}
	if got := std.Expiry.Time().Sub(std.IssuedAt.Time()); got != time.Hour {
		t.Errorf("lifetime %v", got)
	}
	for _, k := range []string{"sub", "jti", "origin_jti", "event_id", "auth_time", "iat", "exp"} {
		if all[k] == nil {
			t.Errorf("%s token has no %s", use, k)
		}
	}
	return all
}

func TestTokens(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	res := h.tokens(h.srpLogin(poolPlain, "plain", "ally", pw, nil))
	set := fetchJWKS(t, h.srv.URL+"/"+poolPlain+"/.well-known/jwks.json")
	iss := h.srv.URL + "/" + poolPlain

	at := verifyJWT(t, set, aws.ToString(res.AccessToken), iss, "access", h.clock.now())
	if at["client_id"] != "plain" || at["username"] != "alice" || at["scope"] != "aws.cognito.signin.user.admin" {
		t.Errorf("access claims %v", at)
	}
	if _, ok := at["device_key"]; ok {
		t.Error("device_key without device tracking")
	}
	id := verifyJWT(t, set, aws.ToString(res.IdToken), iss, "id", h.clock.now())
	if id["aud"] != "plain" || id["cognito:username"] != "alice" || id["email"] != "alice@example.com" || id["email_verified"] != true || id["sub"] != at["sub"] {
		t.Errorf("id claims %v", id)
	}
	if id["origin_jti"] != at["origin_jti"] || id["jti"] == at["jti"] {
		t.Errorf("jti %v/%v origin_jti %v/%v", id["jti"], at["jti"], id["origin_jti"], at["origin_jti"])
	}

	t.Run("openid configuration", func(t *testing.T) {
		resp, err := http.Get(iss + "/.well-known/openid-configuration")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || m["issuer"] != iss || m["jwks_uri"] != iss+"/.well-known/jwks.json" {
			t.Errorf("%v %v", m, err)
		}
	})
	t.Run("unknown pool", func(t *testing.T) {
		resp, err := http.Get(h.srv.URL + "/us-east-1_Nope/.well-known/jwks.json")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("status %d", resp.StatusCode)
		}
	})

	t.Run("GetUser", func(t *testing.T) {
		h := h.with(t)
		out, err := h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
		if err != nil {
			t.Fatal(err)
		}
		attrs := map[string]string{}
		for _, a := range out.UserAttributes {
			attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
		}
		if aws.ToString(out.Username) != "alice" || attrs["sub"] != at["sub"] || attrs["email"] != "alice@example.com" {
			t.Errorf("GetUser: %v %v", aws.ToString(out.Username), attrs)
		}
	})

	t.Run("bad access tokens", func(t *testing.T) {
		h := h.with(t)
		other, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		forged := signWith(t, other, at)
		for name, tok := range map[string]string{
			"garbage":        "not a token",
			"id token":       aws.ToString(res.IdToken),
			"other key":      forged,
			"truncated":      aws.ToString(res.AccessToken)[:50],
			"bad signature":  aws.ToString(res.AccessToken)[:len(aws.ToString(res.AccessToken))-4] + "AAAA",
			"alg none":       "eyJhbGciOiJub25lIn0." + strings.Split(aws.ToString(res.AccessToken), ".")[1] + ".",
			"unknown origin": signWith(t, testAccessKey(), withClaim(at, "origin_jti", "nope")),
			"id key":         signWith(t, testKey(), at),
		} {
			_, err := h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: aws.String(tok)})
			if err == nil {
				t.Errorf("%s: accepted", name)
				continue
			}
			wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
		}
	})

	t.Run("expired access token", func(t *testing.T) {
		h := newHarness(t, testConfig())
		res := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
		h.clock.advance(time.Hour)
		_, err := h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
		wantAPIError(t, err, "NotAuthorizedException", "Access Token has expired")
		// The refresh token still works.
		h.tokens(h.initiate("plain", "REFRESH_TOKEN_AUTH", map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)}))
	})
}

func withClaim(m map[string]any, k string, v any) map[string]any {
	c := map[string]any{}
	for kk, vv := range m {
		c[kk] = vv
	}
	c[k] = v
	return c
}

func signWith(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	k, err := newSigningKey(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := k.sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
