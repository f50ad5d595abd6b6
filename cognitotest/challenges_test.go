package cognitotest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func totpNow(t *testing.T, h *harness, secret string, offset time.Duration) string {
	t.Helper()
	code, err := totpCode(secret, h.clock.now().Add(offset))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestTOTPCodeRFC6238(t *testing.T) {
	t.Parallel()
	// RFC 6238, appendix B, SHA-1 with the ASCII secret "12345678901234567890",
	// truncated to 6 digits.
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for _, tc := range []struct {
		unix int64
		code string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
	} {
		got, err := totpCode(secret, time.Unix(tc.unix, 0))
		if err != nil || got != tc.code {
			t.Errorf("TOTPCode at %d = %q, %v; want %q", tc.unix, got, err, tc.code)
		}
	}
	if _, err := totpCode("not base32!", time.Now()); err == nil {
		t.Error("TOTPCode accepted a bad secret")
	}
	key, _ := decodeTOTPSecret(secret)
	now := time.Unix(1234567890, 0)
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		if !checkTOTP(key, totpAt(key, uint64(now.Add(d).Unix())/30), now) {
			t.Errorf("code at %v rejected", d)
		}
	}
	for _, d := range []time.Duration{-90 * time.Second, 90 * time.Second} {
		if checkTOTP(key, totpAt(key, uint64(now.Add(d).Unix())/30), now) {
			t.Errorf("code at %v accepted", d)
		}
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if checkTOTP(key, bad, now) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSoftwareTokenMFA(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	ch := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolPlain, "plain", "carol", pw, nil))
	_, err := h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, 5*time.Minute)})
	wantAPIError(t, err, "CodeMismatchException", "Invalid code received for user")
	_, err = h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "carol"})
	wantAPIError(t, err, "InvalidParameterException", "Missing required parameter SOFTWARE_TOKEN_MFA_CODE")
	// One step of clock drift is accepted.
	h.tokens(h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, -30*time.Second)}))
	_, err = h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, 0)})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session can only be used once.")

	t.Run("three wrong codes end the sign-in", func(t *testing.T) {
		h := h.with(t)
		ch := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolPlain, "plain", "carol", pw, nil))
		for range 3 {
			_, err := h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": "000000x"})
			wantAPIError(t, err, "CodeMismatchException", "Invalid code received for user")
		}
		_, err := h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, 0)})
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user...")
	})
	t.Run("expired", func(t *testing.T) {
		h := newHarness(t, testConfig())
		ch := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolPlain, "plain", "carol", pw, nil))
		h.clock.advance(4 * time.Minute)
		_, err := h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, 0)})
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("missing session", func(t *testing.T) {
		h := h.with(t)
		_, err := h.respond("plain", "SOFTWARE_TOKEN_MFA", nil, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": "123456"})
		wantAPIError(t, err, "InvalidParameterException", "Missing required parameter Session")
	})
	t.Run("wrong challenge name", func(t *testing.T) {
		h := h.with(t)
		ch := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolPlain, "plain", "carol", pw, nil))
		_, err := h.respond("plain", "SMS_MFA", ch.Session, map[string]string{"USERNAME": "carol", "SMS_MFA_CODE": "123456"})
		wantAPIError(t, err, "InvalidParameterException", "")
		h.tokens(h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, 0)}))
	})
}

func TestSelectMFAType(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	ch := h.challenge("SELECT_MFA_TYPE")(h.srpLogin(poolPlain, "plain", "dave", pw, nil))
	var choices []string
	if err := json.Unmarshal([]byte(ch.Params["MFAS_CAN_CHOOSE"]), &choices); err != nil || !slices.Equal(choices, []string{"SOFTWARE_TOKEN_MFA", "SMS_MFA"}) {
		t.Fatalf("MFAS_CAN_CHOOSE %q: %v", ch.Params["MFAS_CAN_CHOOSE"], err)
	}
	_, err := h.respond("plain", "SELECT_MFA_TYPE", ch.Session, map[string]string{"USERNAME": "dave", "ANSWER": "EMAIL_OTP"})
	wantAPIError(t, err, "InvalidParameterException", "")

	sms := h.challenge("SMS_MFA")(h.respond("plain", "SELECT_MFA_TYPE", ch.Session, map[string]string{"USERNAME": "dave", "ANSWER": "SMS_MFA"}))
	if sms.Params["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" || sms.Params["CODE_DELIVERY_DESTINATION"] != "+*******0123" {
		t.Errorf("delivery %v", sms.Params)
	}
	code, ok := h.e.LastCode(poolPlain, "dave")
	if !ok || len(code) != 6 {
		t.Fatalf("LastCode = %q, %v", code, ok)
	}
	msgs := h.e.Messages()
	if m := msgs[len(msgs)-1]; m.Medium != "SMS" || m.Destination != "+15555550123" || m.Challenge != "SMS_MFA" || m.Code != code {
		t.Errorf("message %+v", m)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = h.respond("plain", "SMS_MFA", sms.Session, map[string]string{"USERNAME": "dave", "SMS_MFA_CODE": wrong})
	wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	h.tokens(h.respond("plain", "SMS_MFA", sms.Session, map[string]string{"USERNAME": "dave", "SMS_MFA_CODE": code}))

	t.Run("TOTP", func(t *testing.T) {
		h := h.with(t)
		ch := h.challenge("SELECT_MFA_TYPE")(h.srpLogin(poolPlain, "plain", "dave", pw, nil))
		totp := h.challenge("SOFTWARE_TOKEN_MFA")(h.respond("plain", "SELECT_MFA_TYPE", ch.Session, map[string]string{"USERNAME": "dave", "ANSWER": "SOFTWARE_TOKEN_MFA"}))
		h.tokens(h.respond("plain", "SOFTWARE_TOKEN_MFA", totp.Session, map[string]string{"USERNAME": "dave", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, 0)}))
	})
}

func TestEmailOTPMFA(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	ch := h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
	if ch.Params["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" || ch.Params["CODE_DELIVERY_DESTINATION"] != "e***@e***" {
		t.Errorf("delivery %v", ch.Params)
	}
	code, _ := h.e.LastCode(poolPlain, "erin")
	h.tokens(h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "erin", "EMAIL_OTP_CODE": code}))
}

func TestMFASetup(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	ch := h.challenge("MFA_SETUP")(h.srpLogin(poolMFAOn, "mfaon", "ivan", pw, nil))
	if ch.Params["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` {
		t.Errorf("MFAS_CAN_SETUP %q", ch.Params["MFAS_CAN_SETUP"])
	}
	// Answering before verifying a token fails without using up the session.
	_, err := h.respond("mfaon", "MFA_SETUP", ch.Session, map[string]string{"USERNAME": "ivan"})
	wantAPIError(t, err, "SoftwareTokenMFANotFoundException", "")

	assoc, err := h.client.AssociateSoftwareToken(h.ctx, &cip.AssociateSoftwareTokenInput{Session: ch.Session})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(assoc.SecretCode)
	if len(secret) < 16 || assoc.Session == nil {
		t.Fatalf("AssociateSoftwareToken: %q %v", secret, assoc.Session)
	}
	_, err = h.client.VerifySoftwareToken(h.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(totpNow(t, h, secret, 10*time.Minute))})
	wantAPIError(t, err, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	ver, err := h.client.VerifySoftwareToken(h.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(totpNow(t, h, secret, 0)), FriendlyDeviceName: aws.String("phone")})
	if err != nil {
		t.Fatal(err)
	}
	if ver.Status != types.VerifySoftwareTokenResponseTypeSuccess || ver.Session == nil {
		t.Fatalf("VerifySoftwareToken: %v %v", ver.Status, ver.Session)
	}
	_, err = h.respond("mfaon", "MFA_SETUP", assoc.Session, map[string]string{"USERNAME": "ivan"})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session can only be used once.")
	res := h.tokens(h.respond("mfaon", "MFA_SETUP", ver.Session, map[string]string{"USERNAME": "ivan"}))

	user, err := h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(user.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" || !slices.Equal(user.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Errorf("GetUser MFA: %v %v", aws.ToString(user.PreferredMfaSetting), user.UserMFASettingList)
	}
	// From now on, ivan signs in with TOTP.
	totp := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolMFAOn, "mfaon", "ivan", pw, nil))
	h.tokens(h.respond("mfaon", "SOFTWARE_TOKEN_MFA", totp.Session, map[string]string{"USERNAME": "ivan", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, secret, 0)}))
}

func TestSoftwareTokenWithAccessToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	res := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
	_, err := h.client.VerifySoftwareToken(h.ctx, &cip.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: aws.String("123456")})
	wantAPIError(t, err, "SoftwareTokenMFANotFoundException", "")
	assoc, err := h.client.AssociateSoftwareToken(h.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(assoc.SecretCode)
	if _, err := h.client.VerifySoftwareToken(h.ctx, &cip.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: aws.String(totpNow(t, h, secret, 0))}); err != nil {
		t.Fatal(err)
	}
	ch := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
	res = h.tokens(h.respond("plain", "SOFTWARE_TOKEN_MFA", ch.Session, map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, secret, 0)}))

	// SetUserMFAPreference: enable SMS as well, prefer it, then turn MFA off.
	if _, err := h.client.SetUserMFAPreference(h.ctx, &cip.SetUserMFAPreferenceInput{
		AccessToken:    res.AccessToken,
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatal(err)
	}
	h.challenge("SMS_MFA")(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
	if _, err := h.client.SetUserMFAPreference(h.ctx, &cip.SetUserMFAPreferenceInput{
		AccessToken:              res.AccessToken,
		SMSMfaSettings:           &types.SMSMfaSettingsType{Enabled: false},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: false},
	}); err != nil {
		t.Fatal(err)
	}
	h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
	_, err = h.client.SetUserMFAPreference(h.ctx, &cip.SetUserMFAPreferenceInput{
		AccessToken:      res.AccessToken,
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true},
	})
	if err != nil {
		t.Fatal(err) // alice has an email address
	}
	h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
}

func TestCustomAuth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	srpCustom := func(h *harness) *authOut {
		eph := mustEphemeral(h.t)
		ch := h.challenge("PASSWORD_VERIFIER")(h.initiate("plain", types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": "ally", "SRP_A": eph.SRPA(), "CHALLENGE_NAME": "SRP_A"}))
		return h.challenge("CUSTOM_CHALLENGE")(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now())))
	}
	cc := srpCustom(h)
	if cc.Params["USERNAME"] != "alice" {
		t.Errorf("CUSTOM_CHALLENGE params %v", cc.Params)
	}
	h.tokens(h.respond("plain", "CUSTOM_CHALLENGE", cc.Session, map[string]string{"USERNAME": "alice", "ANSWER": customAns}))

	t.Run("wrong answer", func(t *testing.T) {
		h := h.with(t)
		cc := srpCustom(h)
		_, err := h.respond("plain", "CUSTOM_CHALLENGE", cc.Session, map[string]string{"USERNAME": "alice", "ANSWER": "41"})
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		_, err = h.respond("plain", "CUSTOM_CHALLENGE", cc.Session, map[string]string{"USERNAME": "alice", "ANSWER": customAns})
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user...")
	})
	t.Run("without SRP", func(t *testing.T) {
		h := h.with(t)
		cc := h.challenge("CUSTOM_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": "alice"}))
		h.tokens(h.respond("plain", "CUSTOM_CHALLENGE", cc.Session, map[string]string{"USERNAME": "alice", "ANSWER": customAns}))
	})
	t.Run("MFA is up to the custom challenge", func(t *testing.T) {
		h := h.with(t)
		eph := mustEphemeral(t)
		ch := h.challenge("PASSWORD_VERIFIER")(h.initiate("plain", types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": "carol", "SRP_A": eph.SRPA(), "CHALLENGE_NAME": "SRP_A"}))
		cc := h.challenge("CUSTOM_CHALLENGE")(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now())))
		h.tokens(h.respond("plain", "CUSTOM_CHALLENGE", cc.Session, map[string]string{"USERNAME": "carol", "ANSWER": customAns}))
	})
	t.Run("not configured", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("always", types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": "frank"})
		wantAPIError(t, err, "InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")
	})
}

func TestUserAuth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())

	t.Run("preferred PASSWORD_SRP", func(t *testing.T) {
		h := h.with(t)
		eph := mustEphemeral(t)
		ch := h.challenge("PASSWORD_VERIFIER")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "ally", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": eph.SRPA()}))
		h.tokens(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now())))
	})
	t.Run("preferred PASSWORD", func(t *testing.T) {
		h := h.with(t)
		h.tokens(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": pw}))
		_, err := h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "nope"})
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("preferred EMAIL_OTP", func(t *testing.T) {
		h := h.with(t)
		ch := h.challenge("EMAIL_OTP")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}))
		code, _ := h.e.LastCode(poolPlain, "alice")
		h.tokens(h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": code}))
	})
	t.Run("unavailable preference falls back to SELECT_CHALLENGE", func(t *testing.T) {
		h := h.with(t)
		h.challenge("SELECT_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "carol", "PREFERRED_CHALLENGE": "SMS_OTP"}))
		_, err := h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "carol", "PREFERRED_CHALLENGE": "BOGUS"})
		wantAPIError(t, err, "InvalidParameterException", "")
	})

	sel := func(h *harness, user string) *authOut {
		return h.challenge("SELECT_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": user}))
	}
	t.Run("SELECT_CHALLENGE choices", func(t *testing.T) {
		h := h.with(t)
		out := sel(h, "alice")
		want := []types.ChallengeNameType{"PASSWORD_SRP", "PASSWORD", "EMAIL_OTP", "SMS_OTP"}
		if !slices.Equal(out.Available, want) {
			t.Errorf("AvailableChallenges %v, want %v", out.Available, want)
		}
		if out := sel(h, "carol"); !slices.Equal(out.Available, want[:2]) {
			t.Errorf("AvailableChallenges %v, want %v", out.Available, want[:2])
		}
	})
	t.Run("SELECT_CHALLENGE PASSWORD_SRP", func(t *testing.T) {
		h := h.with(t)
		out := sel(h, "carol")
		eph := mustEphemeral(t)
		ch := h.challenge("PASSWORD_VERIFIER")(h.respond("plain", "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "carol", "ANSWER": "PASSWORD_SRP", "SRP_A": eph.SRPA()}))
		mfa := h.challenge("SOFTWARE_TOKEN_MFA")(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now())))
		h.tokens(h.respond("plain", "SOFTWARE_TOKEN_MFA", mfa.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, 0)}))
	})
	t.Run("SELECT_CHALLENGE PASSWORD", func(t *testing.T) {
		h := h.with(t)
		out := sel(h, "alice")
		h.tokens(h.respond("plain", "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": pw}))
	})
	t.Run("SELECT_CHALLENGE SMS_OTP", func(t *testing.T) {
		h := h.with(t)
		out := sel(h, "alice")
		ch := h.challenge("SMS_OTP")(h.respond("plain", "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "alice", "ANSWER": "SMS_OTP"}))
		if ch.Params["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" {
			t.Errorf("params %v", ch.Params)
		}
		code, _ := h.e.LastCode(poolPlain, "alice")
		h.tokens(h.respond("plain", "SMS_OTP", ch.Session, map[string]string{"USERNAME": "alice", "SMS_OTP_CODE": code}))
	})
	t.Run("SELECT_CHALLENGE unavailable answer", func(t *testing.T) {
		h := h.with(t)
		out := sel(h, "carol")
		_, err := h.respond("plain", "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "carol", "ANSWER": "EMAIL_OTP"})
		wantAPIError(t, err, "InvalidParameterException", "")
		_, err = h.respond("plain", "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "carol", "ANSWER": "PASSWORD_SRP"})
		wantAPIError(t, err, "InvalidParameterException", "Missing required parameter SRP_A")
	})
	t.Run("not enabled", func(t *testing.T) {
		h := h.with(t)
		_, err := h.initiate("pwd", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice"})
		wantAPIError(t, err, "InvalidParameterException", "USER_AUTH is not enabled for the client.")
	})
}
