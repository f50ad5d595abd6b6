package cognitotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Regression tests for the review's items 4, 6, 7, 9 and 10
// (/work/wt/issues/review.md): state that is never forgotten or never
// bounded, the lockout's check and count in two critical sections, and
// inputs longer than Cognito allows.

// heapInUse returns the live heap after a collection.
func heapInUse() int64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// counts returns how many grants and refresh tokens e holds.
func (e *Handler) grantCounts() (grants, refresh int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.grants), len(e.refresh)
}

// rotatingConfig is testConfig with an app client "rot" that rotates
// refresh tokens.
func rotatingConfig() Config {
	cfg := testConfig()
	cfg.UserPools[0].Clients = append(cfg.UserPools[0].Clients, AppClient{ID: "rot",
		ExplicitAuthFlows:    []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"},
		RefreshTokenRotation: &RefreshTokenRotation{Feature: "ENABLED"}})
	return cfg
}

// signInRotated creates user name in poolPlain, signs in with client "rot"
// and rotates its refresh token n times; it returns the last one.
func (h *harness) signInRotated(name string, n int) *string {
	h.t.Helper()
	adm := h.admin()
	if _, err := adm.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String(name), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		h.t.Fatal(err)
	}
	if _, err := adm.AdminSetUserPassword(h.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolPlain), Username: aws.String(name), Password: aws.String(pw), Permanent: true}); err != nil {
		h.t.Fatal(err)
	}
	out, err := h.initiate("rot", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": name, "PASSWORD": pw})
	if err != nil {
		h.t.Fatal(err)
	}
	rt := out.Result.RefreshToken
	for range n {
		g, err := h.client.GetTokensFromRefreshToken(h.ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String("rot"), RefreshToken: rt})
		if err != nil {
			h.t.Fatal(err)
		}
		rt = g.AuthenticationResult.RefreshToken
	}
	return rt
}

// TestDeletedUsersRotatedTokensForgotten is the review's TestReviewGrantLeak
// (item 4): a deleted user's rotated refresh tokens were never forgotten.
// Every way of dropping a grant (deleting its user, its client or its
// pool, and the purge) must forget all of its refresh tokens.
func TestDeletedUsersRotatedTokensForgotten(t *testing.T) {
	h := newHarness(t, rotatingConfig())
	adm := h.admin()
	h.signInRotated("warmup", 1) // warm up the clients
	if _, err := adm.AdminDeleteUser(h.ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("warmup")}); err != nil {
		t.Fatal(err)
	}
	h0 := heapInUse()
	const cycles = 50
	var last *string
	for i := range cycles {
		name := "leak" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		last = h.signInRotated(name, maxGrantTokens)
		if _, err := adm.AdminDeleteUser(h.ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	ng, nr := h.e.grantCounts()
	t.Logf("after %d create/sign-in/%d rotations/delete cycles: e.grants=%d e.refresh=%d heap %+d bytes", cycles, maxGrantTokens, ng, nr, heapInUse()-h0)
	runtime.KeepAlive(h.e)
	if ng != 0 || nr != 0 {
		t.Errorf("deleted users leave %d grants and %d refresh tokens", ng, nr)
	}
	_, err := h.client.GetTokensFromRefreshToken(h.ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String("rot"), RefreshToken: last})
	wantAPIError(t, err, "NotAuthorizedException", msgInvalidRefreshGT)

	// DeleteUser (by the user itself).
	h.signInRotated("selfdel", 3)
	out, err := h.initiate("rot", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "selfdel", "PASSWORD": pw})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.DeleteUser(h.ctx, &cip.DeleteUserInput{AccessToken: out.Result.AccessToken}); err != nil {
		t.Fatal(err)
	}
	if ng, nr := h.e.grantCounts(); ng != 0 || nr != 0 {
		t.Errorf("DeleteUser leaves %d grants and %d refresh tokens", ng, nr)
	}

	// DeleteUserPoolClient.
	h.signInRotated("clientdel", 5)
	if _, err := adm.DeleteUserPoolClient(h.ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(poolPlain), ClientId: aws.String("rot")}); err != nil {
		t.Fatal(err)
	}
	if ng, nr := h.e.grantCounts(); ng != 0 || nr != 0 {
		t.Errorf("DeleteUserPoolClient leaves %d grants and %d refresh tokens", ng, nr)
	}

	// DeleteUserPool, and the purge past expiry.
	h2 := newHarness(t, rotatingConfig())
	h2.signInRotated("pooldel", 5)
	if _, err := h2.admin().DeleteUserPool(h2.ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolPlain)}); err != nil {
		t.Fatal(err)
	}
	if ng, nr := h2.e.grantCounts(); ng != 0 || nr != 0 {
		t.Errorf("DeleteUserPool leaves %d grants and %d refresh tokens", ng, nr)
	}
	h3 := newHarness(t, rotatingConfig())
	h3.signInRotated("expiring", 5)
	h3.clock.advance(refreshLifetime + usedRetention + 1e9)
	h3.e.maybePurge(h3.clock.now())
	if ng, nr := h3.e.grantCounts(); ng != 0 || nr != 0 {
		t.Errorf("the purge past expiry leaves %d grants and %d refresh tokens", ng, nr)
	}
}

// TestGrantsBoundedPerUser is the review's TestReviewGrantsUnbounded (item
// 7): every sign-in of one user was kept for the refresh token's lifetime.
// A user keeps at most maxUserGrants sign-ins; a new one ends the oldest.
func TestGrantsBoundedPerUser(t *testing.T) {
	h := newHarness(t, testConfig())
	const n = 2000
	h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw}) // warm up the client
	h0 := heapInUse()
	var first, last *string
	for i := range n {
		out, err := h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = out.Result.RefreshToken
		}
		last = out.Result.RefreshToken
	}
	ng, nr := h.e.grantCounts()
	t.Logf("%d sign-ins of one user: %d grants, %d refresh tokens held, heap %+d bytes", n, ng, nr, heapInUse()-h0)
	runtime.KeepAlive(h.e)
	if ng > 50 || nr > 50 {
		t.Fatalf("%d sign-ins of one user hold %d grants and %d refresh tokens, want at most 50", n, ng, nr)
	}
	refresh := func(rt *string) error {
		_, err := h.initiate("pwd", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": aws.ToString(rt)})
		return err
	}
	if err := refresh(last); err != nil {
		t.Errorf("the newest sign-in's refresh token: %v", err)
	}
	wantAPIError(t, refresh(first), "NotAuthorizedException", msgInvalidRefresh)
}

// TestGrantsBoundedPerClient: one app client's sign-ins (of many users)
// are bounded, and so are all of them together, so that no client's flood
// grows the server without end.
func TestGrantsBoundedPerClient(t *testing.T) {
	h := newHarness(t, rotatingConfig(), withLimits(limits{userGrants: 1000, clientGrants: 10, grants: 15}))
	for range 25 {
		if _, err := h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw}); err != nil {
			t.Fatal(err)
		}
	}
	if ng, _ := h.e.grantCounts(); ng != 10 {
		t.Errorf("client pwd holds %d grants, want its limit 10", ng)
	}
	for range 25 {
		if _, err := h.initiate("rot", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw}); err != nil {
			t.Fatal(err)
		}
	}
	if ng, _ := h.e.grantCounts(); ng != 15 {
		t.Errorf("the server holds %d grants, want its limit 15", ng)
	}
	h.e.mu.Lock()
	pwd, rot := h.e.clients["pwd"].grants.Len(), h.e.clients["rot"].grants.Len()
	h.e.mu.Unlock()
	if pwd+rot != 15 || pwd > 10 || rot > 10 {
		t.Errorf("clients hold %d and %d grants", pwd, rot)
	}
}

// serveRaw sends one API call straight to e.ServeHTTP and returns the
// error type ("" for success) and message.
func serveRaw(e *Handler, target, body string) (typ, msg string) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("X-Amz-Target", targetPrefix+target)
	r.Header.Set("Content-Type", jsonContentType)
	if needsSignature(target) {
		// Signed calls: the server checks that there is a signature.
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cognito-idp/aws4_request")
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	if w.Code == http.StatusOK {
		return "", "ok"
	}
	var out struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	json.Unmarshal(w.Body.Bytes(), &out)
	return out.Type, out.Message
}

// TestLockoutRace is the review's TestReviewLockoutRace and
// TestReviewLockoutRaceDirect (item 9): wrong passwords that arrive
// together were all checked, since the lockout was checked and counted in
// two critical sections. With the clock frozen, at most lockoutAfter of
// them may be checked, whichever way the password comes (USER_PASSWORD_AUTH,
// ADMIN_USER_PASSWORD_AUTH, PASSWORD_VERIFIER, ChangePassword).
func TestLockoutRace(t *testing.T) {
	const n = 64
	// As many goroutines run at once as there are calls, so that the
	// checks overlap even on a machine with few cores.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(n))
	cfg := testConfig()
	cfg.UserPools[0].Clients = append(cfg.UserPools[0].Clients, AppClient{ID: "admin",
		ExplicitAuthFlows: []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"}})
	for _, op := range []string{"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "PASSWORD_VERIFIER", "ChangePassword"} {
		// The race shows in one round of three or so: several rounds make
		// the test fail reliably without the fix.
		t.Run(op, func(t *testing.T) {
			for range 6 {
				lockoutRound(t, cfg, op, n)
			}
		})
	}
}

// lockoutRound sends n wrong passwords for alice at once, by op, to a new
// server.
func lockoutRound(t *testing.T, cfg Config, op string, n int) {
	h := newHarness(t, cfg, withLimits(limits{inFlight: 2 * n, userSessions: 2 * n}))
	bodies := make([]string, n)
	target := map[string]string{"ChangePassword": "ChangePassword", "USER_PASSWORD_AUTH": "InitiateAuth",
		"ADMIN_USER_PASSWORD_AUTH": "AdminInitiateAuth", "PASSWORD_VERIFIER": "RespondToAuthChallenge"}[op]
	for i := range bodies {
		switch op {
		case "USER_PASSWORD_AUTH":
			bodies[i] = `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"pwd","AuthParameters":{"USERNAME":"alice","PASSWORD":"wrong-guess"}}`
		case "ADMIN_USER_PASSWORD_AUTH":
			bodies[i] = `{"AuthFlow":"ADMIN_USER_PASSWORD_AUTH","UserPoolId":"` + poolPlain + `","ClientId":"admin","AuthParameters":{"USERNAME":"alice","PASSWORD":"wrong-guess"}}`
		case "PASSWORD_VERIFIER":
			ch, eph := h.startSRP("plain", "alice", nil)
			resp := h.claim(poolPlain, ch, eph, "wrong-guess", h.clock.now())
			bodies[i] = jsonBody(t, map[string]any{"ChallengeName": "PASSWORD_VERIFIER", "ClientId": "plain", "Session": aws.ToString(ch.Session), "ChallengeResponses": resp})
		case "ChangePassword":
			if i == 0 {
				at := aws.ToString(h.tokens(h.srpLogin(poolPlain, "plain", "0f1e2d3c-uuid-user", pw, nil)).AccessToken)
				for j := range bodies {
					bodies[j] = `{"AccessToken":"` + at + `","PreviousPassword":"wrong-guess","ProposedPassword":"Passw0rd!2"}`
				}
			}
		}
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[string]int{}
	for _, body := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, msg := serveRaw(h.e, target, body)
			mu.Lock()
			counts[msg]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	t.Logf("%d simultaneous wrong passwords, clock frozen: %v", n, counts)
	if counts[msgIncorrect] > lockoutAfter {
		t.Errorf("%d passwords checked, the lockout allows %d", counts[msgIncorrect], lockoutAfter)
	}
	if counts[msgIncorrect]+counts[msgPasswordAttempts] != n {
		t.Errorf("answers %v, want only %q and %q", counts, msgIncorrect, msgPasswordAttempts)
	}
}

// TestLockoutSequentialUnchanged: reserving the attempt before the check
// keeps the documented sequence: five wrong passwords, then a lockout, and
// a right password at the fifth attempt still signs in.
func TestLockoutSequentialUnchanged(t *testing.T) {
	h := newHarness(t, testConfig())
	try := func(p string) error {
		_, err := h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": p})
		return err
	}
	for range lockoutAfter - 1 {
		wantAPIError(t, try("wrong-guess"), "NotAuthorizedException", msgIncorrect)
	}
	if err := try(pw); err != nil {
		t.Fatalf("right password at attempt %d: %v", lockoutAfter, err)
	}
	for range lockoutAfter {
		wantAPIError(t, try("wrong-guess"), "NotAuthorizedException", msgIncorrect)
	}
	wantAPIError(t, try(pw), "NotAuthorizedException", msgPasswordAttempts)
	h.clock.advance(1e9)
	if err := try(pw); err != nil {
		t.Fatalf("right password after the lockout: %v", err)
	}
}

// TestUserCapPerPool is the review's TestReviewGlobalUserCap (item 6):
// unsigned SignUp calls in one pool filled the server-wide user cap, and
// then no pool could add a user. Users, groups and app clients are capped
// per pool, and all together only far above that.
func TestUserCapPerPool(t *testing.T) {
	h := newHarness(t, testConfig(), withLimits(limits{poolUsers: 20, users: 40, poolGroups: 3, groups: 100, poolClients: 6, clients: 100}))
	adm := h.admin()
	signUps := func(pool, client string, n int) (ok int, last error) {
		for i := range n {
			_, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String(fmt.Sprintf("flood%d", i)), Password: aws.String(pw)})
			if err != nil {
				return ok, err
			}
			ok++
		}
		return ok, nil
	}
	n, err := signUps(poolPlain, "plain", 30)
	t.Logf("%d unsigned SignUp calls in %s succeeded, then: %v", n, poolPlain, err)
	wantAPIError(t, err, "LimitExceededException", "The user pool holds 20 users, the emulator's limit per pool.")
	if _, err := adm.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolAlways), Username: aws.String("newhire"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Errorf("one pool's sign-ups refuse a user of another pool: %v", err)
	}
	// The total still holds: poolPlain 20, poolAlways 3, poolOptIn 1 and
	// poolMFAOn 1 plus 15 more of poolOptIn make 40.
	n, err = signUps(poolOptIn, "optin", 30)
	t.Logf("then %d in %s: %v", n, poolOptIn, err)
	wantAPIError(t, err, "LimitExceededException", "The emulator holds 40 users, its limit, and the user pool its share of them.")

	for i := range 4 {
		_, err := adm.CreateGroup(h.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolPlain), GroupName: aws.String(fmt.Sprintf("g%d", i))})
		if i < 3 && err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			wantAPIError(t, err, "LimitExceededException", "The user pool holds 3 groups, the emulator's limit per pool.")
		}
	}
	if _, err := adm.CreateGroup(h.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolAlways), GroupName: aws.String("g0")}); err != nil {
		t.Errorf("one pool's groups refuse a group of another pool: %v", err)
	}
	// poolPlain has 4 app clients from its configuration.
	for i := range 3 {
		_, err := adm.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolPlain), ClientName: aws.String(fmt.Sprintf("c%d", i))})
		if i < 2 && err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			wantAPIError(t, err, "LimitExceededException", "The user pool holds 6 app clients, the emulator's limit per pool.")
		}
	}
	if _, err := adm.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolAlways), ClientName: aws.String("c0")}); err != nil {
		t.Errorf("one pool's app clients refuse a client of another pool: %v", err)
	}
}

// TestInputLengthLimits is the review's TestReviewDeviceNameLength (item
// 10): ConfirmDevice took a DeviceName of 16,000 characters where Cognito
// allows 1024. Every string member with a documented maximum length is
// held to it, counted in UTF-16 code units as Cognito counts, with
// Cognito's message, which does not quote the value.
func TestInputLengthLimits(t *testing.T) {
	h := newHarness(t, testConfig())
	res := h.tokens(h.srpLogin(poolAlways, "always", "frank", pw, nil))
	dk := aws.ToString(res.NewDeviceMetadata.DeviceKey)
	at := aws.ToString(res.AccessToken)
	confirm := func(name string) (string, string) {
		return serveRaw(h.e, "ConfirmDevice", jsonBody(t, map[string]any{"AccessToken": at, "DeviceKey": dk, "DeviceName": name,
			"DeviceSecretVerifierConfig": map[string]string{"Salt": "c2FsdA==", "PasswordVerifier": "dmVyaWZpZXI="}}))
	}
	msg := func(member string, n int) string {
		return fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, n)
	}
	long := strings.Repeat("n", 16000)
	for _, name := range []string{long, strings.Repeat("n", 1025), strings.Repeat("😀", 513)} {
		typ, m := confirm(name)
		if typ != errInvalidParameter || m != msg("deviceName", 1024) {
			t.Errorf("ConfirmDevice with a DeviceName of %d bytes: %s %q", len(name), typ, m)
		}
	}
	if typ, m := confirm(strings.Repeat("é", 1024)); typ == errInvalidParameter {
		t.Errorf("ConfirmDevice with a DeviceName of 1024 characters: %s %q", typ, m)
	}

	pool := poolPlain
	cases := []struct {
		target, body, member string
		n                    int
	}{
		{"CreateGroup", jsonBody(t, map[string]any{"UserPoolId": pool, "GroupName": strings.Repeat("g", 129)}), "groupName", 128},
		{"CreateGroup", jsonBody(t, map[string]any{"UserPoolId": pool, "GroupName": "g", "Description": strings.Repeat("d", 2049)}), "description", 2048},
		{"UpdateGroup", jsonBody(t, map[string]any{"UserPoolId": pool, "GroupName": "g", "RoleArn": strings.Repeat("r", 2049)}), "roleArn", 2048},
		{"CreateUserPool", jsonBody(t, map[string]any{"PoolName": strings.Repeat("p", 129)}), "poolName", 128},
		{"CreateUserPoolClient", jsonBody(t, map[string]any{"UserPoolId": pool, "ClientName": strings.Repeat("c", 129)}), "clientName", 128},
		{"UpdateUserPoolClient", jsonBody(t, map[string]any{"UserPoolId": pool, "ClientId": "plain", "WriteAttributes": []string{"name", strings.Repeat("w", 2049)}}), "writeAttributes.2.member", 2048},
		{"ListUsers", jsonBody(t, map[string]any{"UserPoolId": pool, "Filter": `name = "` + strings.Repeat("x", 250) + `"`}), "filter", 256},
		{"ListUsers", jsonBody(t, map[string]any{"UserPoolId": strings.Repeat("u", 56)}), "userPoolId", 55},
		{"SignUp", jsonBody(t, map[string]any{"ClientId": "plain", "Username": strings.Repeat("u", 129), "Password": pw}), "username", 128},
		{"SignUp", jsonBody(t, map[string]any{"ClientId": "plain", "Username": "u", "Password": pw,
			"UserAttributes": []map[string]string{{"Name": "name", "Value": "x"}, {"Name": "email", "Value": strings.Repeat("e", 2049)}}}), "userAttributes.2.member.value", 2048},
		{"SignUp", jsonBody(t, map[string]any{"ClientId": "plain", "Username": "u", "Password": pw,
			"UserAttributes": []map[string]string{{"Name": strings.Repeat("n", 33), "Value": "x"}}}), "userAttributes.1.member.name", 32},
		{"AdminCreateUser", jsonBody(t, map[string]any{"UserPoolId": pool, "Username": "u", "TemporaryPassword": strings.Repeat("P", 257)}), "temporaryPassword", 256},
		{"ChangePassword", jsonBody(t, map[string]any{"AccessToken": at, "PreviousPassword": strings.Repeat("P", 257), "ProposedPassword": pw}), "previousPassword", 256},
		{"InitiateAuth", jsonBody(t, map[string]any{"AuthFlow": "USER_SRP_AUTH", "ClientId": strings.Repeat("c", 129)}), "clientId", 128},
		{"RespondToAuthChallenge", jsonBody(t, map[string]any{"ChallengeName": "PASSWORD_VERIFIER", "ClientId": "plain", "Session": strings.Repeat("s", 2049)}), "session", 2048},
		{"ConfirmForgotPassword", jsonBody(t, map[string]any{"ClientId": "plain", "Username": "alice", "Password": pw, "ConfirmationCode": strings.Repeat("1", 2049)}), "confirmationCode", 2048},
		{"DeleteUserAttributes", jsonBody(t, map[string]any{"AccessToken": at, "UserAttributeNames": []string{strings.Repeat("n", 33)}}), "userAttributeNames.1.member", 32},
		{"VerifySoftwareToken", jsonBody(t, map[string]any{"AccessToken": at, "UserCode": "1234567"}), "userCode", 6},
		{"RevokeToken", jsonBody(t, map[string]any{"ClientId": "plain", "Token": "t", "ClientSecret": strings.Repeat("s", 65)}), "clientSecret", 64},
	}
	for _, c := range cases {
		typ, m := serveRaw(h.e, c.target, c.body)
		if typ != errInvalidParameter || m != msg(c.member, c.n) {
			t.Errorf("%s with %s too long: %s %q, want %q", c.target, c.member, typ, m, msg(c.member, c.n))
		}
	}
}

// TestLengthLimitsNameFields: every entry of lengthLimits names a member of
// its type (cachedFields panics otherwise), and limits strings only.
func TestLengthLimitsNameFields(t *testing.T) {
	for typ, members := range lengthLimits {
		f := cachedFields(typ)
		for name := range members {
			ft := typ.Field(f.byName[name]).Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() != reflect.String {
				t.Errorf("lengthLimits: %s.%s is a %s", typ.Name(), name, ft)
			}
		}
	}
}

// TestLengthLimitsPromoted: a member promoted from an embedded input keeps
// the length limit of the struct that declares it, so that AdminInitiateAuth
// and AdminRespondToAuthChallenge hold ClientId and Session to the limits of
// InitiateAuth and RespondToAuthChallenge.
func TestLengthLimitsPromoted(t *testing.T) {
	const want = "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d"
	long := strings.Repeat("c", 129)
	check := func(err error, member string, n int) {
		t.Helper()
		ae, ok := err.(*apiError)
		if !ok || ae.Type != "InvalidParameterException" || ae.Message != fmt.Sprintf(want, member, n) {
			t.Errorf("%s of length %d: %v", member, n+1, err)
		}
	}
	var ai adminInitiateAuthInput
	check(decode([]byte(`{"UserPoolId": "us-east-1_X", "ClientId": "`+long+`", "AuthFlow": "USER_SRP_AUTH"}`), &ai), "clientId", 128)
	var ar adminRespondInput
	check(decode([]byte(`{"UserPoolId": "us-east-1_X", "ClientId": "c", "Session": "`+strings.Repeat("s", 2049)+`"}`), &ar), "session", 2048)
	if err := decode([]byte(`{"UserPoolId": "us-east-1_X", "ClientId": "`+long[:128]+`"}`), &ai); err != nil {
		t.Errorf("a ClientId of 128 characters: %v", err)
	}
}
