package cognitotest

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/srp"
)

func TestUserSRPAuth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())

	t.Run("plain", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		for _, k := range []string{"SRP_B", "SALT", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"} {
			if ch.Params[k] == "" {
				t.Errorf("challenge parameter %s missing", k)
			}
		}
		if ch.Session == nil {
			t.Error("no Session")
		}
		if n := len(ch.Params["SECRET_BLOCK"]); n < 400 {
			t.Errorf("SECRET_BLOCK is %d characters, want a few hundred bytes", n)
		}
		out, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		res := h.tokens(out, err)
		if aws.ToString(res.TokenType) != "Bearer" || res.ExpiresIn != 3600 || aws.ToString(res.RefreshToken) == "" || aws.ToString(res.IdToken) == "" {
			t.Errorf("bad result %+v", res)
		}
		if res.NewDeviceMetadata != nil {
			t.Error("NewDeviceMetadata from a pool without device tracking")
		}
		if len(out.Params) != 0 {
			t.Errorf("ChallengeParameters %v with tokens", out.Params)
		}
	})

	t.Run("no session, secret block identifies the sign-in", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		out, err := h.respond("plain", "PASSWORD_VERIFIER", nil, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		h.tokens(out, err)
	})

	for _, alias := range []string{"alice@example.com", "ALICE@example.com", "+15555550100", "ally"} {
		t.Run("alias "+alias, func(t *testing.T) {
			h := h.with(t)
			ch, eph := h.startSRP("plain", alias, nil)
			if ch.Params["USER_ID_FOR_SRP"] != "alice" || ch.Params["USERNAME"] != "alice" {
				t.Fatalf("USER_ID_FOR_SRP %q USERNAME %q, want alice", ch.Params["USER_ID_FOR_SRP"], ch.Params["USERNAME"])
			}
			out, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
			h.tokens(out, err)
		})
	}

	t.Run("uuid user name with email alias", func(t *testing.T) {
		h := h.with(t)
		out, err := h.srpLogin(poolPlain, "plain", "uuid@example.com", pw, nil)
		res := h.tokens(out, err)
		claims := parseClaims(t, aws.ToString(res.IdToken))
		if claims["sub"] != "11111111-2222-4333-8444-555555555555" || claims["cognito:username"] != "0f1e2d3c-uuid-user" {
			t.Errorf("claims %v", claims)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		h := h.with(t)
		_, err := h.srpLogin(poolPlain, "plain", "alice", "wrong password", nil)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})

	t.Run("unknown user", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "nobody", "SRP_A": mustEphemeral(t).SRPA()})
		wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	})

	t.Run("unknown client", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("nope", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": mustEphemeral(t).SRPA()})
		wantAPIError(t, err, "ResourceNotFoundException", "User pool client nope does not exist.")
	})

	t.Run("missing SRP_A", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice"})
		wantAPIError(t, err, "InvalidParameterException", "Missing required parameter SRP_A")
	})

	t.Run("missing USERNAME", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"SRP_A": "02"})
		wantAPIError(t, err, "InvalidParameterException", "Missing required parameter USERNAME")
	})

	n := new(big.Int)
	n.SetString(strings.Join(strings.Fields(rfc3526Group15), ""), 16)
	if n.BitLen() != 3072 || !n.ProbablyPrime(10) {
		t.Fatal("bad test constant N")
	}
	for name, a := range map[string]string{
		"A = 0":  "0",
		"A = N":  n.Text(16),
		"A = 2N": new(big.Int).Lsh(n, 1).Text(16),
		"A = -N": "-" + n.Text(16),
	} {
		t.Run(name, func(t *testing.T) {
			h := h.with(t)
			_, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": a})
			wantAPIError(t, err, "InvalidParameterException", "SRP_A cannot be 0 mod N")
		})
	}
	t.Run("malformed SRP_A", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": "xyz"})
		wantAPIError(t, err, "InvalidParameterException", "Invalid SRP_A...")
	})

	t.Run("not enabled for client", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("nosrp", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": mustEphemeral(t).SRPA()})
		wantAPIError(t, err, "InvalidParameterException", "USER_SRP_AUTH is not enabled for the client.")
		_, err = h.initiate("nosrp", types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": "alice"})
		wantAPIError(t, err, "InvalidParameterException", "CUSTOM_AUTH is not enabled for the client.")
		_, err = h.initiate("nosrp", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": "x"})
		wantAPIError(t, err, "InvalidParameterException", "Refresh Token Flow not enabled for this client")
		_, err = h.initiate("nosrp", types.AuthFlowTypeAdminNoSrpAuth, map[string]string{"USERNAME": "alice"})
		wantAPIError(t, err, "InvalidParameterException", "Initiate Auth method not supported.")
	})
}

// rfc3526Group15 is N, the 3072-bit MODP prime of RFC 3526.
const rfc3526Group15 = `
FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C
BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF`

func TestSecretHash(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	hash := func(name string) map[string]string {
		return map[string]string{"SECRET_HASH": secretHashB64(secretValue, name, "secret")}
	}

	t.Run("ok with alias", func(t *testing.T) {
		h := h.with(t)
		// InitiateAuth hashes the typed name, the challenge response the
		// internal one (srpLogin does the latter).
		out, err := h.srpLogin(poolPlain, "secret", "alice@example.com", pw, hash("alice@example.com"))
		h.tokens(out, err)
	})
	t.Run("missing", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("secret", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": mustEphemeral(t).SRPA()})
		wantAPIError(t, err, "NotAuthorizedException", "Client secret is configured with secret but SECRET_HASH was not received")
	})
	t.Run("wrong", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("secret", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": mustEphemeral(t).SRPA(), "SECRET_HASH": secretHashB64("other", "alice", "secret")})
		wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client secret")
	})
	t.Run("not base64", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("secret", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": mustEphemeral(t).SRPA(), "SECRET_HASH": "!!"})
		wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client secret")
	})
	t.Run("challenge response with the typed alias", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("secret", "alice@example.com", hash("alice@example.com"))
		resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
		resp["SECRET_HASH"] = secretHashB64(secretValue, "alice@example.com", "secret")
		_, err := h.respond("secret", "PASSWORD_VERIFIER", ch.Session, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client secret")
		// A bad secret hash does not use up the challenge.
		resp["SECRET_HASH"] = secretHashB64(secretValue, "alice", "secret")
		out, err := h.respond("secret", "PASSWORD_VERIFIER", ch.Session, resp)
		h.tokens(out, err)
	})
	t.Run("challenge response without", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("secret", "alice", hash("alice"))
		_, err := h.respond("secret", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		wantAPIError(t, err, "NotAuthorizedException", "Client secret is configured with secret but SECRET_HASH was not received")
	})
}

func TestPasswordVerifierChecks(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())

	t.Run("replay with session", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
		h.tokens(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp))
		_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user...")
	})
	t.Run("replay without session", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
		h.tokens(h.respond("plain", "PASSWORD_VERIFIER", nil, resp))
		_, err := h.respond("plain", "PASSWORD_VERIFIER", nil, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("wrong password uses up the challenge", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, "nope", h.clock.now()))
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		_, err = h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session can only be used once.")
	})
	t.Run("secret block from another sign-in", func(t *testing.T) {
		h := h.with(t)
		ch1, eph1 := h.startSRP("plain", "alice", nil)
		ch2, _ := h.startSRP("plain", "alice", nil)
		resp := h.claim(poolPlain, ch1, eph1, pw, h.clock.now())
		_, err := h.respond("plain", "PASSWORD_VERIFIER", ch2.Session, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("tampered secret block", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
		resp["PASSWORD_CLAIM_SECRET_BLOCK"] = "AAAA" + resp["PASSWORD_CLAIM_SECRET_BLOCK"][4:]
		_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("expired", func(t *testing.T) {
		h := newHarness(t, testConfig())
		ch, eph := h.startSRP("plain", "alice", nil)
		h.clock.advance(3*time.Minute + time.Second)
		_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
		_, err = h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("custom TTL", func(t *testing.T) {
		h := newHarness(t, testConfig(), WithSessionTTL(10*time.Second))
		ch, eph := h.startSRP("plain", "alice", nil)
		h.clock.advance(11 * time.Second)
		_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("unknown session", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		_, err := h.respond("plain", "PASSWORD_VERIFIER", aws.String("bogus-session-bogus-session"), h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("other client", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		_, err := h.respond("pwd", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now()))
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("other user name", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
		resp["USERNAME"] = "carol"
		_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("alias as USERNAME", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
		resp["USERNAME"] = "ally"
		h.tokens(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp))
	})
	t.Run("signature for the typed alias", func(t *testing.T) {
		h := h.with(t)
		// Signing with what the user typed instead of USER_ID_FOR_SRP fails,
		// as with Cognito.
		ch, eph := h.startSRP("plain", "ally", nil)
		c, _ := srp.ParseChallengeParameters(ch.Params)
		cl, err := eph.PasswordClaim(poolPlain, "ally", pw, c, h.clock.now())
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.respond("plain", "PASSWORD_VERIFIER", ch.Session, map[string]string{
			"USERNAME": "alice", "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
			"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp,
		})
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("missing parameters", func(t *testing.T) {
		h := h.with(t)
		ch, eph := h.startSRP("plain", "alice", nil)
		full := h.claim(poolPlain, ch, eph, pw, h.clock.now())
		for _, k := range []string{"USERNAME", "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"} {
			resp := map[string]string{}
			for kk, v := range full {
				if kk != k {
					resp[kk] = v
				}
			}
			_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp)
			wantAPIError(t, err, "InvalidParameterException", "Missing required parameter "+k)
		}
		// None of this used up the challenge.
		h.tokens(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, full))
	})

	t.Run("timestamps", func(t *testing.T) {
		h := newHarness(t, testConfig())
		// A day below 10 and an afternoon hour tell the layouts apart.
		h.clock.set(time.Date(2024, 3, 5, 14, 4, 5, 0, time.UTC))
		now := h.clock.now().UTC()
		for _, tc := range []struct {
			name, ts string
			code     string
		}{
			{"zero-padded day", now.Format("Mon Jan 02 15:04:05 UTC 2006"), "InvalidParameterException"},
			{"12-hour clock", now.Format("Mon Jan 2 03:04:05 UTC 2006"), "NotAuthorizedException"},
			{"numeric zone", now.Format("Mon Jan 2 15:04:05 -0700 2006"), "InvalidParameterException"},
			{"RFC 3339", now.Format(time.RFC3339), "InvalidParameterException"},
			{"6 minutes early", srp.FormatTimestamp(now.Add(-6 * time.Minute)), "NotAuthorizedException"},
			{"6 minutes late", srp.FormatTimestamp(now.Add(6 * time.Minute)), "NotAuthorizedException"},
			{"4 minutes early", srp.FormatTimestamp(now.Add(-4 * time.Minute)), ""},
			{"4 minutes late", srp.FormatTimestamp(now.Add(4 * time.Minute)), ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				h := h.with(t)
				ts, err := time.Parse(srp.TimestampLayout, tc.ts)
				if err != nil {
					ts = now
				}
				ch, eph := h.startSRP("plain", "alice", nil)
				c, _ := srp.ParseChallengeParameters(ch.Params)
				cl, err := eph.PasswordClaim(poolPlain, "alice", pw, c, ts)
				if err != nil {
					t.Fatal(err)
				}
				out, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, map[string]string{
					"USERNAME": "alice", "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
					"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": tc.ts,
				})
				switch tc.code {
				case "":
					h.tokens(out, err)
				case "InvalidParameterException":
					wantAPIError(t, err, tc.code, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
				default:
					wantAPIError(t, err, tc.code, "Incorrect username or password.")
				}
			})
		}
	})
}

func TestUserPasswordAuth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	out, err := h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "ally", "PASSWORD": pw})
	res := h.tokens(out, err)
	if c := parseClaims(t, aws.ToString(res.AccessToken)); c["username"] != "alice" {
		t.Errorf("username claim %v", c["username"])
	}
	_, err = h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": "wrong"})
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = h.initiate("plain", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw})
	wantAPIError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
	_, err = h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice"})
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter PASSWORD")
	// MFA still applies.
	h.challenge("SOFTWARE_TOKEN_MFA")(h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "carol", "PASSWORD": pw}))
}

func TestRefreshToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	res := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
	rt := aws.ToString(res.RefreshToken)

	for _, flow := range []types.AuthFlowType{types.AuthFlowTypeRefreshTokenAuth, types.AuthFlowTypeRefreshToken} {
		out, err := h.initiate("plain", flow, map[string]string{"REFRESH_TOKEN": rt})
		r2 := h.tokens(out, err)
		if r2.RefreshToken != nil {
			t.Errorf("%s returned a new refresh token", flow)
		}
		a1, a2 := parseClaims(t, aws.ToString(res.AccessToken)), parseClaims(t, aws.ToString(r2.AccessToken))
		if a1["origin_jti"] != a2["origin_jti"] || a1["jti"] == a2["jti"] || a1["auth_time"] != a2["auth_time"] {
			t.Errorf("refreshed claims %v vs %v", a2, a1)
		}
	}

	_, err := h.initiate("plain", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": "nope"})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
	_, err = h.initiate("pwd", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": rt})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
	_, err = h.initiate("plain", types.AuthFlowTypeRefreshTokenAuth, map[string]string{})
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter REFRESH_TOKEN")

	t.Run("secret", func(t *testing.T) {
		h := h.with(t)
		res := h.tokens(h.srpLogin(poolPlain, "secret", "ally", pw, map[string]string{"SECRET_HASH": secretHashB64(secretValue, "ally", "secret")}))
		rt := aws.ToString(res.RefreshToken)
		_, err := h.initiate("secret", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": rt})
		wantAPIError(t, err, "NotAuthorizedException", "Client secret is configured with secret but SECRET_HASH was not received")
		_, err = h.initiate("secret", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": rt, "SECRET_HASH": secretHashB64(secretValue, "ally", "secret")})
		wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client secret")
		out, err := h.initiate("secret", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": rt, "SECRET_HASH": secretHashB64(secretValue, "alice", "secret")})
		h.tokens(out, err)
	})

	t.Run("global sign-out", func(t *testing.T) {
		h := h.with(t)
		res := h.tokens(h.srpLogin(poolPlain, "plain", "uuid@example.com", pw, nil))
		res2 := h.tokens(h.initiate("plain", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)}))
		if _, err := h.client.GlobalSignOut(h.ctx, &cip.GlobalSignOutInput{AccessToken: res.AccessToken}); err != nil {
			t.Fatal(err)
		}
		for _, at := range []*string{res.AccessToken, res2.AccessToken} {
			_, err := h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: at})
			wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
		}
		_, err := h.initiate("plain", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)})
		wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
		// Other users' tokens are untouched.
		other := h.tokens(h.initiate("plain", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": rt}))
		if _, err := h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: other.AccessToken}); err != nil {
			t.Fatal(err)
		}
		// A new sign-in works again.
		h.tokens(h.srpLogin(poolPlain, "plain", "uuid@example.com", pw, nil))
	})

	t.Run("revoke token", func(t *testing.T) {
		h := h.with(t)
		res := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
		if _, err := h.client.RevokeToken(h.ctx, &cip.RevokeTokenInput{ClientId: aws.String("plain"), Token: res.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		_, err := h.initiate("plain", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)})
		wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
		_, err = h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
		wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	})
}

func TestNewPasswordRequired(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	const newPW = "N3w-Passw0rd"

	out := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "bob", pw, nil))
	var attrs map[string]string
	if err := json.Unmarshal([]byte(out.Params["userAttributes"]), &attrs); err != nil || attrs["email"] != "bob@example.com" {
		t.Errorf("userAttributes %q: %v", out.Params["userAttributes"], err)
	}
	if _, ok := attrs["sub"]; ok {
		t.Error("userAttributes has sub")
	}
	var req []string
	if err := json.Unmarshal([]byte(out.Params["requiredAttributes"]), &req); err != nil || len(req) != 1 || req[0] != "userAttributes.name" {
		t.Errorf("requiredAttributes %q: %v", out.Params["requiredAttributes"], err)
	}

	_, err := h.respond("plain", "NEW_PASSWORD_REQUIRED", out.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "short", "userAttributes.name": "Bob"})
	wantAPIError(t, err, "InvalidPasswordException", "Password does not conform to policy...")
	_, err = h.respond("plain", "NEW_PASSWORD_REQUIRED", out.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": newPW})
	wantAPIError(t, err, "InvalidParameterException", "Invalid attributes given, name is missing")
	res := h.tokens(h.respond("plain", "NEW_PASSWORD_REQUIRED", out.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": newPW, "userAttributes.name": "Bob"}))
	if c := parseClaims(t, aws.ToString(res.IdToken)); c["name"] != "Bob" {
		t.Errorf("id token name %v", c["name"])
	}
	_, err = h.respond("plain", "NEW_PASSWORD_REQUIRED", out.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": newPW, "userAttributes.name": "Bob"})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session can only be used once.")

	_, err = h.srpLogin(poolPlain, "plain", "bob", pw, nil)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	h.tokens(h.srpLogin(poolPlain, "plain", "bob", newPW, nil))
}
