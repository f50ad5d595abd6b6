package cognitotest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

func weakKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024) // deliberately weak, for a negative test
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// fuzzHandler is shared by the fuzz target's runs: state carried from one
// input to the next is part of what is fuzzed.
var fuzzHandler = sync.OnceValue(func() *Handler {
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()))
	if err != nil {
		panic(err)
	}
	return e
})

// operationSeeds returns a valid request body for every operation, with real
// values (an access token, sessions, a secret block) taken from a sign-in.
func operationSeeds(f testing.TB, e *Handler) map[string][]string {
	call := func(op string, in any) map[string]any {
		b, _ := json.Marshal(in)
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(b)))
		req.Header.Set("X-Amz-Target", target+op)
		req.Header.Set("Authorization", fakeSigV4)
		e.ServeHTTP(rec, req)
		var m map[string]any
		json.Unmarshal(rec.Body.Bytes(), &m)
		return m
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	eph, err := srp.NewEphemeral()
	if err != nil {
		f.Fatal(err)
	}
	initIn := map[string]any{"AuthFlow": "USER_SRP_AUTH", "ClientId": "always",
		"AuthParameters": map[string]string{"USERNAME": "frank", "SRP_A": eph.SRPA()}}
	out := call("InitiateAuth", initIn)
	params := map[string]string{}
	for k, v := range out["ChallengeParameters"].(map[string]any) {
		params[k] = v.(string)
	}
	ch, err := srp.ParseChallengeParameters(params)
	if err != nil {
		f.Fatal(err)
	}
	cl, err := eph.PasswordClaim(poolAlways, "frank", pw, ch, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	pvIn := map[string]any{"ChallengeName": "PASSWORD_VERIFIER", "ClientId": "always", "Session": out["Session"],
		"ChallengeResponses": map[string]string{"USERNAME": "frank", "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
			"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp}}
	res := call("RespondToAuthChallenge", pvIn)["AuthenticationResult"].(map[string]any)
	at := res["AccessToken"].(string)
	rt := res["RefreshToken"].(string)
	dk := res["NewDeviceMetadata"].(map[string]any)["DeviceKey"].(string)
	dv, err := srp.NewDeviceVerifier(res["NewDeviceMetadata"].(map[string]any)["DeviceGroupKey"].(string), dk)
	if err != nil {
		f.Fatal(err)
	}
	confirmIn := map[string]any{"AccessToken": at, "DeviceKey": dk, "DeviceName": "fuzz",
		"DeviceSecretVerifierConfig": map[string]string{"Salt": dv.Salt, "PasswordVerifier": dv.PasswordVerifier}}
	respond := func(name string, resp map[string]string) string {
		return js(map[string]any{"ChallengeName": name, "ClientId": "plain", "Session": "session-token", "ChallengeResponses": resp})
	}
	base := map[string][]string{
		"InitiateAuth": {
			js(initIn),
			js(map[string]any{"AuthFlow": "USER_SRP_AUTH", "ClientId": "secret", "AuthParameters": map[string]string{"USERNAME": "alice", "SRP_A": "0", "SECRET_HASH": "x"}}),
			js(map[string]any{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": "always", "AuthParameters": map[string]string{"REFRESH_TOKEN": rt, "DEVICE_KEY": dk}}),
			js(map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "pwd", "AuthParameters": map[string]string{"USERNAME": "alice", "PASSWORD": "x"}}),
			js(map[string]any{"AuthFlow": "CUSTOM_AUTH", "ClientId": "plain", "AuthParameters": map[string]string{"USERNAME": "alice", "CHALLENGE_NAME": "SRP_A", "SRP_A": "02"}}),
			js(map[string]any{"AuthFlow": "USER_AUTH", "ClientId": "plain", "AuthParameters": map[string]string{"USERNAME": "alice"}}),
			js(map[string]any{"AuthFlow": "USER_AUTH", "ClientId": "plain", "AuthParameters": map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}}),
		},
		"RespondToAuthChallenge": {
			js(pvIn),
			respond("PASSWORD_VERIFIER", map[string]string{"USERNAME": "alice", "PASSWORD_CLAIM_SIGNATURE": "AAAA", "PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": srp.FormatTimestamp(time.Now())}),
			respond("DEVICE_SRP_AUTH", map[string]string{"USERNAME": "frank", "DEVICE_KEY": dk, "SRP_A": "02"}),
			respond("DEVICE_PASSWORD_VERIFIER", map[string]string{"USERNAME": "frank", "DEVICE_KEY": dk, "PASSWORD_CLAIM_SIGNATURE": "AAAA", "PASSWORD_CLAIM_SECRET_BLOCK": "AAAA", "TIMESTAMP": "Tue Jan 1 06:06:09 UTC 2019"}),
			respond("NEW_PASSWORD_REQUIRED", map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "longenough", "userAttributes.name": "Bob"}),
			respond("SOFTWARE_TOKEN_MFA", map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": "123456"}),
			respond("SMS_MFA", map[string]string{"USERNAME": "dave", "SMS_MFA_CODE": "123456"}),
			respond("EMAIL_OTP", map[string]string{"USERNAME": "erin", "EMAIL_OTP_CODE": "123456"}),
			respond("SMS_OTP", map[string]string{"USERNAME": "alice", "SMS_OTP_CODE": "123456"}),
			respond("SELECT_MFA_TYPE", map[string]string{"USERNAME": "dave", "ANSWER": "SMS_MFA"}),
			respond("MFA_SETUP", map[string]string{"USERNAME": "ivan"}),
			respond("SELECT_CHALLENGE", map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD_SRP", "SRP_A": "02"}),
			respond("CUSTOM_CHALLENGE", map[string]string{"USERNAME": "alice", "ANSWER": customAns}),
		},
		"ConfirmDevice":      {js(confirmIn)},
		"UpdateDeviceStatus": {js(map[string]any{"AccessToken": at, "DeviceKey": dk, "DeviceRememberedStatus": "remembered"})},
		"ForgetDevice":       {js(map[string]any{"AccessToken": at, "DeviceKey": dk})},
		"ListDevices":        {js(map[string]any{"AccessToken": at, "Limit": 2, "PaginationToken": "1"})},
		"GetDevice":          {js(map[string]any{"AccessToken": at, "DeviceKey": dk})},
		"GetUser":            {js(map[string]any{"AccessToken": at})},
		"GlobalSignOut":      {js(map[string]any{"AccessToken": at})},
		"RevokeToken":        {js(map[string]any{"ClientId": "always", "Token": rt})},
		"GetTokensFromRefreshToken": {
			js(map[string]any{"ClientId": "always", "RefreshToken": rt, "DeviceKey": dk}),
			js(map[string]any{"ClientId": "rotating", "RefreshToken": rt, "ClientMetadata": map[string]string{"k": "v"}}),
			js(map[string]any{"ClientId": "secret", "RefreshToken": "x", "ClientSecret": "y"}),
		},
		"AssociateSoftwareToken": {js(map[string]any{"AccessToken": at}), js(map[string]any{"Session": "x"})},
		"VerifySoftwareToken":    {js(map[string]any{"AccessToken": at, "UserCode": "123456"}), js(map[string]any{"Session": "x", "UserCode": "123456"})},
		"SetUserMFAPreference":   {js(map[string]any{"AccessToken": at, "SMSMfaSettings": map[string]bool{"Enabled": true, "PreferredMfa": false}})},
		"Unknown":                {`{}`},
	}
	seeds := lifecycleSeeds(js, at)
	for op, bodies := range base {
		seeds[op] = append(seeds[op], bodies...)
	}
	return seeds
}

// fakeSigV4 is an Authorization header: the emulator needs one on the
// Admin* operations but checks no signature.
const fakeSigV4 = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"

// lifecycleSeeds are seeds for the user, admin, group and pool operations.
// Destructive ones name a pool that does not exist, so that the shared
// emulator keeps its users for the other seeds.
func lifecycleSeeds(js func(any) string, at string) map[string][]string {
	attrs := []map[string]string{{"Name": "email", "Value": "new@example.com"}, {"Name": "custom:x", "Value": "y"}}
	user := func(extra map[string]any) string {
		m := map[string]any{"UserPoolId": poolPlain, "Username": "alice"}
		for k, v := range extra {
			m[k] = v
		}
		return js(m)
	}
	gone := js(map[string]any{"UserPoolId": "us-east-1_Gone", "Username": "alice", "GroupName": "g", "ClientId": "plain"})
	return map[string][]string{
		"SignUp":                           {js(map[string]any{"ClientId": "plain", "Username": "fuzz-new", "Password": "Passw0rd!", "UserAttributes": attrs})},
		"ConfirmSignUp":                    {js(map[string]any{"ClientId": "plain", "Username": "fuzz-new", "ConfirmationCode": "123456"})},
		"ResendConfirmationCode":           {js(map[string]any{"ClientId": "plain", "Username": "fuzz-new"})},
		"ForgotPassword":                   {js(map[string]any{"ClientId": "secret", "Username": "alice", "SecretHash": "x"})},
		"ConfirmForgotPassword":            {js(map[string]any{"ClientId": "plain", "Username": "alice", "ConfirmationCode": "123456", "Password": "Passw0rd!"})},
		"ChangePassword":                   {js(map[string]any{"AccessToken": at, "PreviousPassword": "wrong", "ProposedPassword": "Passw0rd!"})},
		"UpdateUserAttributes":             {js(map[string]any{"AccessToken": at, "UserAttributes": attrs})},
		"VerifyUserAttribute":              {js(map[string]any{"AccessToken": at, "AttributeName": "email", "Code": "123456"})},
		"GetUserAttributeVerificationCode": {js(map[string]any{"AccessToken": at, "AttributeName": "email"})},
		"DeleteUserAttributes":             {js(map[string]any{"AccessToken": at, "UserAttributeNames": []string{"custom:x"}})},
		"DeleteUser":                       {js(map[string]any{"AccessToken": "not-a-token"})},
		"AdminCreateUser":                  {user(map[string]any{"Username": "fuzz-admin", "UserAttributes": attrs, "DesiredDeliveryMediums": []string{"EMAIL"}}), user(map[string]any{"MessageAction": "RESEND"})},
		"AdminSetUserPassword":             {user(map[string]any{"Password": "Passw0rd!", "Permanent": true})},
		"AdminGetUser":                     {user(nil)},
		"AdminUpdateUserAttributes":        {user(map[string]any{"UserAttributes": attrs})},
		"AdminDeleteUserAttributes":        {user(map[string]any{"UserAttributeNames": []string{"custom:x"}})},
		"AdminDeleteUser":                  {gone},
		"AdminConfirmSignUp":               {user(map[string]any{"Username": "fuzz-new"})},
		"AdminDisableUser":                 {gone},
		"AdminEnableUser":                  {user(nil)},
		"AdminResetUserPassword":           {gone},
		"ListUsers":                        {js(map[string]any{"UserPoolId": poolPlain, "Filter": `email ^= "a"`, "Limit": 2, "PaginationToken": "1"})},
		"AdminUserGlobalSignOut":           {gone},
		"AdminListDevices":                 {user(map[string]any{"Limit": 1})},
		"AdminGetDevice":                   {user(map[string]any{"DeviceKey": "us-east-1_x"})},
		"AdminForgetDevice":                {user(map[string]any{"DeviceKey": "us-east-1_x"})},
		"AdminUpdateDeviceStatus":          {user(map[string]any{"DeviceKey": "us-east-1_x", "DeviceRememberedStatus": "remembered"})},
		"AdminInitiateAuth": {js(map[string]any{"UserPoolId": poolPlain, "ClientId": "pwd", "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": map[string]string{"USERNAME": "alice", "PASSWORD": "x"}}),
			js(map[string]any{"UserPoolId": poolPlain, "ClientId": "plain", "AuthFlow": "USER_SRP_AUTH", "AuthParameters": map[string]string{"USERNAME": "alice", "SRP_A": "02"}})},
		"AdminRespondToAuthChallenge": {js(map[string]any{"UserPoolId": poolPlain, "ClientId": "plain", "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "x", "ChallengeResponses": map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "Passw0rd!"}})},
		"CreateGroup":                 {js(map[string]any{"UserPoolId": poolPlain, "GroupName": "admins", "Precedence": 1, "RoleArn": "arn:aws:iam::1:role/x"})},
		"GetGroup":                    {js(map[string]any{"UserPoolId": poolPlain, "GroupName": "admins"})},
		"UpdateGroup":                 {js(map[string]any{"UserPoolId": poolPlain, "GroupName": "admins", "Description": "d"})},
		"ListGroups":                  {js(map[string]any{"UserPoolId": poolPlain, "Limit": 1, "NextToken": "0"})},
		"DeleteGroup":                 {gone},
		"AdminAddUserToGroup":         {user(map[string]any{"GroupName": "admins"})},
		"AdminRemoveUserFromGroup":    {user(map[string]any{"GroupName": "admins"})},
		"AdminListGroupsForUser":      {user(map[string]any{"Limit": 5})},
		"ListUsersInGroup":            {js(map[string]any{"UserPoolId": poolPlain, "GroupName": "admins"})},
		"CreateUserPool": {js(map[string]any{"PoolName": "fuzz-emails", "UsernameAttributes": []string{"email"}, "AutoVerifiedAttributes": []string{"email"}}),
			js(map[string]any{"PoolName": "fuzz", "MfaConfiguration": "OPTIONAL", "DeviceConfiguration": map[string]bool{"DeviceOnlyRememberedOnUserPrompt": true}, "Policies": map[string]any{"PasswordPolicy": map[string]any{"MinimumLength": 6}}})},
		"DescribeUserPool":       {js(map[string]any{"UserPoolId": poolPlain})},
		"ListUserPools":          {js(map[string]any{"MaxResults": 2, "NextToken": "1"})},
		"DeleteUserPool":         {gone},
		"CreateUserPoolClient":   {js(map[string]any{"UserPoolId": poolPlain, "ClientName": "fuzz", "GenerateSecret": true, "ExplicitAuthFlows": []string{"ALLOW_USER_SRP_AUTH", "USER_PASSWORD_AUTH"}, "AccessTokenValidity": 5, "TokenValidityUnits": map[string]string{"AccessToken": "minutes"}})},
		"DescribeUserPoolClient": {js(map[string]any{"UserPoolId": poolPlain, "ClientId": "plain"})},
		"UpdateUserPoolClient":   {js(map[string]any{"UserPoolId": poolPlain, "ClientId": "pwd", "ClientName": "pwd", "ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"}})},
		"ListUserPoolClients":    {js(map[string]any{"UserPoolId": poolPlain, "MaxResults": 3})},
		"DeleteUserPoolClient":   {gone},
	}
}

// FuzzHandler sends arbitrary bodies to every operation. The answer must be
// 200 with a JSON object or a 4xx with a JSON __type, never a panic or a 5xx.
func FuzzHandler(f *testing.F) {
	e := fuzzHandler()
	seeds := operationSeeds(f, e)
	for op := range handlers {
		if len(seeds[op]) == 0 {
			f.Fatalf("no seed for %s", op)
		}
	}
	for op, bodies := range seeds {
		for _, b := range bodies {
			f.Add(op, b)
		}
	}
	f.Add("InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "plain", "AuthParameters": {"USERNAME": "alice", "SRP_A": "`+strings.Repeat("f", 3000)+`"}}`)
	f.Add("RespondToAuthChallenge", `{"ChallengeName": "PASSWORD_VERIFIER", "ClientId": "plain", "ChallengeResponses": null, "Session": null}`)
	f.Add("InitiateAuth", `{"AuthFlow": null, "ClientId": 7}`)
	f.Fuzz(func(t *testing.T, op, body string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", target+op)
		req.Header.Set("Content-Type", jsonContentType)
		req.Header.Set("Authorization", fakeSigV4) // the Admin* operations need one
		e.serve(rec, req, func(name string) handler {
			h := handlers[name]
			if h == nil {
				return nil
			}
			return func(e *Handler, rc *reqCtx, body []byte) (any, error) {
				out, err := h(e, rc, body)
				if err != nil {
					if _, ok := err.(*apiError); !ok {
						t.Fatalf("%s: error %v is not an API error", name, err)
					}
				}
				return out, err
			}
		})
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %q: answer %d is not a JSON object: %q", op, body, rec.Code, rec.Body.String())
		}
		switch {
		case rec.Code == http.StatusOK:
			if _, ok := m["__type"]; ok {
				t.Fatalf("%s %q: 200 with __type", op, body)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if typ, _ := m["__type"].(string); typ == "" || rec.Header().Get("x-amzn-ErrorType") != typ {
				t.Fatalf("%s %q: %d without __type: %v", op, body, rec.Code, m)
			}
			if typ := m["__type"]; typ == errInternal {
				t.Fatalf("%s %q: %v", op, body, m)
			}
		default:
			t.Fatalf("%s %q: status %d: %v", op, body, rec.Code, m)
		}
	})
}
