package cognitotest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestPoolsAndClients(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	a := h.admin()
	_, err := a.CreateUserPool(h.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bad/name")})
	wantAPIError(t, err, "InvalidParameterException", "...")
	cp, err := a.CreateUserPool(h.ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String("app users"), MfaConfiguration: types.UserPoolMfaTypeOptional,
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		DeviceConfiguration:    &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	up := cp.UserPool
	id := aws.ToString(up.Id)
	if !strings.HasPrefix(id, "us-east-1_") || len(id) != len("us-east-1_")+9 || aws.ToString(up.Name) != "app users" || up.MfaConfiguration != types.UserPoolMfaTypeOptional {
		t.Fatalf("%+v", up)
	}
	pp := up.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 8 || !pp.RequireUppercase || !pp.RequireLowercase || !pp.RequireNumbers || !pp.RequireSymbols || pp.TemporaryPasswordValidityDays != 7 {
		t.Errorf("default policy %+v", pp)
	}
	if up.DeviceConfiguration == nil || !up.DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt {
		t.Errorf("device configuration %+v", up.DeviceConfiguration)
	}
	dp, err := a.DescribeUserPool(h.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	if err != nil || aws.ToString(dp.UserPool.Arn) == "" {
		t.Fatalf("%+v %v", dp, err)
	}
	// The well-known endpoints serve the new pool.
	if resp, err := http.Get(h.srv.URL + "/" + id + "/.well-known/jwks.json"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("jwks: %v %v", resp, err)
	}

	_, err = a.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(id), ClientName: aws.String("web"), AccessTokenValidity: aws.Int32(2),
		TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeDays}})
	wantAPIError(t, err, "InvalidParameterException", "Invalid range for token validity.")
	cc, err := a.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(id), ClientName: aws.String("web"), GenerateSecret: true,
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeUserPasswordAuth},
		AccessTokenValidity:  aws.Int32(30),
		TokenValidityUnits:   &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(10)},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := cc.UserPoolClient
	cid := aws.ToString(c.ClientId)
	if len(cid) != 26 || aws.ToString(c.ClientSecret) == "" || aws.ToInt32(c.AccessTokenValidity) != 30 || c.TokenValidityUnits.AccessToken != types.TimeUnitsTypeMinutes ||
		!slices.Equal(c.ExplicitAuthFlows, []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"}) ||
		c.RefreshTokenRotation == nil || c.RefreshTokenRotation.Feature != types.FeatureTypeEnabled {
		t.Fatalf("%+v", c)
	}
	dc, err := a.DescribeUserPoolClient(h.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(id), ClientId: aws.String(cid)})
	if err != nil || aws.ToString(dc.UserPoolClient.ClientSecret) != aws.ToString(c.ClientSecret) {
		t.Fatalf("%+v %v", dc, err)
	}
	_, err = a.DescribeUserPoolClient(h.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolPlain), ClientId: aws.String(cid)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client "+cid+" does not exist.")

	// The new client signs in (its secret is needed), and UpdateUserPoolClient
	// turns USER_PASSWORD_AUTH off again.
	if _, err := a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(id), Username: aws.String("zoe"), TemporaryPassword: aws.String("Temp-passw0rd"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AdminSetUserPassword(h.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(id), Username: aws.String("zoe"), Password: aws.String("Zoe-passw0rd"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	pwd := map[string]string{"USERNAME": "zoe", "PASSWORD": "Zoe-passw0rd", "SECRET_HASH": secretHashB64(aws.ToString(c.ClientSecret), "zoe", cid)}
	// The client's token lifetimes apply: 30 minutes.
	if res := h.tokens(h.initiate(cid, types.AuthFlowTypeUserPasswordAuth, pwd)); res.ExpiresIn != 1800 {
		t.Errorf("ExpiresIn %d, want 1800", res.ExpiresIn)
	} else if c := parseClaims(t, aws.ToString(res.AccessToken)); c["exp"].(float64)-c["iat"].(float64) != 1800 {
		t.Errorf("access token lasts %v s", c["exp"].(float64)-c["iat"].(float64))
	}
	_, err = a.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(id), ClientName: aws.String("bad"),
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}})
	wantAPIError(t, err, "InvalidParameterException", "Invalid client settings: explicitAuthFlows[0]: ALLOW_REFRESH_TOKEN_AUTH cannot be enabled with refresh token rotation...")
	if _, err := a.UpdateUserPoolClient(h.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(id), ClientId: aws.String(cid), ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}}); err != nil {
		t.Fatal(err)
	}
	_, err = h.initiate(cid, types.AuthFlowTypeUserPasswordAuth, pwd)
	wantAPIError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
	dc, _ = a.DescribeUserPoolClient(h.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(id), ClientId: aws.String(cid)})
	if aws.ToString(dc.UserPoolClient.ClientName) != "web" || aws.ToInt32(dc.UserPoolClient.AccessTokenValidity) != 1 || dc.UserPoolClient.RefreshTokenRotation != nil {
		t.Errorf("update resets the members left out: %+v", dc.UserPoolClient)
	}

	lc, err := a.ListUserPoolClients(h.ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolPlain), MaxResults: aws.Int32(3)})
	if err != nil || len(lc.UserPoolClients) != 3 || lc.NextToken == nil {
		t.Fatalf("%+v %v", lc, err)
	}
	if code, body := signedCall(h.e, "ListUserPools", `{}`); code != 400 || !strings.Contains(body, `"InvalidParameterException"`) {
		t.Errorf("ListUserPools without MaxResults: %d %s", code, body)
	}
	var ids []string
	var tok *string
	for {
		lp, err := a.ListUserPools(h.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range lp.UserPools {
			ids = append(ids, aws.ToString(p.Id))
		}
		if tok = lp.NextToken; tok == nil {
			break
		}
	}
	if len(ids) != 5 || !slices.Contains(ids, id) {
		t.Fatalf("pools %v", ids)
	}
	if _, err := a.DeleteUserPool(h.ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = h.initiate(cid, types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "zoe", "SRP_A": mustEphemeral(t).SRPA()})
	wantAPIError(t, err, "ResourceNotFoundException", "")
	_, err = a.DescribeUserPool(h.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
}

// TestCaps checks that what the API creates stays bounded.
func TestCaps(t *testing.T) {
	t.Parallel()
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()))
	if err != nil {
		t.Fatal(err)
	}
	call := func(op, body string) int {
		code, _ := signedCall(e, op, body)
		return code
	}
	for i := range maxPools + 5 {
		code := call("CreateUserPool", `{"PoolName": "p"}`)
		if want := 200; i >= maxPools-len(testConfig().UserPools) {
			want = 400
			if code != want {
				t.Fatalf("pool %d: status %d", i, code)
			}
		} else if code != want {
			t.Fatalf("pool %d: status %d", i, code)
		}
	}
	if n := len(e.pools); n != maxPools {
		t.Fatalf("%d pools", n)
	}
	for range 150 {
		call("CreateGroup", `{"UserPoolId": "`+poolPlain+`", "GroupName": "g`+randomAlnum(8)+`"}`)
	}
	for g := range e.pools[poolPlain].groups {
		call("AdminAddUserToGroup", `{"UserPoolId": "`+poolPlain+`", "GroupName": "`+g+`", "Username": "alice"}`)
	}
	if n := len(e.pools[poolPlain].users["alice"].groups); n != maxUserGroups {
		t.Fatalf("alice is in %d groups", n)
	}
	for range maxOutbox + 10 {
		call("ForgotPassword", `{"ClientId": "plain", "Username": "alice"}`)
	}
	if n := len(e.Messages()); n != maxOutbox {
		t.Fatalf("%d messages", n)
	}
	if n := len(e.pools[poolPlain].users["alice"].codes); n != 1 {
		t.Fatalf("%d pending codes", n)
	}
}

// signedCall sends a request with an Authorization header straight to e.
func signedCall(e *Handler, op, body string) (int, string) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", target+op)
	req.Header.Set("Authorization", fakeSigV4)
	e.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// TestUpdateClientDuringSignIns changes a client while it is used: under
// -race, the sign-ins' reads of the client's flows must not race with the
// update.
func TestUpdateClientDuringSignIns(t *testing.T) {
	t.Parallel()
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				if g == 0 {
					flows := `["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]`
					if i%2 == 1 {
						flows = `["ALLOW_USER_SRP_AUTH"]`
					}
					if code, body := signedCall(e, "UpdateUserPoolClient", `{"UserPoolId": "`+poolPlain+`", "ClientId": "pwd", "ExplicitAuthFlows": `+flows+`}`); code != 200 {
						t.Errorf("%d %s", code, body)
					}
					continue
				}
				code, body := signedCall(e, "InitiateAuth", `{"ClientId": "pwd", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "x"}}`)
				if code != 400 || (!strings.Contains(body, "UserNotFoundException") && !strings.Contains(body, "flow not enabled")) {
					t.Errorf("%d %s", code, body)
				}
			}
		}()
	}
	wg.Wait()
}
