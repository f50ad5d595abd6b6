package cognitotest

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/srp"
)

func TestAdminUnsigned(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	_, err := h.client.AdminGetUser(h.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("alice")})
	wantAPIError(t, err, "MissingAuthenticationTokenException", "Request is missing Authentication Token")
	_, err = h.client.CreateUserPool(h.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	wantAPIError(t, err, "MissingAuthenticationTokenException", "")
	out, err := h.admin().AdminGetUser(h.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("ally")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Username) != "alice" || !out.Enabled || out.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("%+v", out)
	}
}

func TestAdminCreateUserAndStates(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	a := h.admin()
	pool := aws.String(poolPlain)
	_, err := a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("alice")})
	wantAPIError(t, err, "UsernameExistsException", "User account already exists")
	_, err = a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("pat"), TemporaryPassword: aws.String("short")})
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with password policy: Password not long enough")
	_, err = a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("pat"), UserAttributes: []types.AttributeType{attr("email", "alice@example.com"), attr("email_verified", "true")}})
	wantAPIError(t, err, "AliasExistsException", "An account with the given email already exists.")
	out, err := a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{
		UserPoolId: pool, Username: aws.String("pat"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
		UserAttributes: []types.AttributeType{attr("email", "pat@example.com"), attr("email_verified", "true")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.User.UserStatus != types.UserStatusTypeForceChangePassword || !out.User.Enabled {
		t.Fatalf("%+v", out.User)
	}
	inv := h.lastMessage(poolPlain, "pat", ReasonAdminCreateUser)
	if inv.Destination != "pat@example.com" || len(inv.Code) < 12 {
		t.Fatalf("%+v", inv)
	}
	// RESEND: a new temporary password; the old one stops working.
	if _, err := a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("pat"), MessageAction: types.MessageActionTypeResend,
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}}); err != nil {
		t.Fatal(err)
	}
	inv2 := h.lastMessage(poolPlain, "pat", ReasonAdminCreateUser)
	_, err = h.srpLogin(poolPlain, "plain", "pat", inv.Code, nil)
	wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
	ch := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "pat", inv2.Code, nil))
	h.tokens(h.respond("plain", "NEW_PASSWORD_REQUIRED", ch.Session, map[string]string{"USERNAME": "pat", "NEW_PASSWORD": "Pat passw0rd"}))
	// SUPPRESS sends nothing.
	n := len(h.e.Messages())
	if _, err := a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("quiet"), MessageAction: types.MessageActionTypeSuppress,
		TemporaryPassword: aws.String("Temp passw0rd"), UserAttributes: []types.AttributeType{attr("phone_number", "+15555550142")}}); err != nil {
		t.Fatal(err)
	}
	if len(h.e.Messages()) != n {
		t.Fatal("SUPPRESS sent a message")
	}
	// The temporary password expires after 7 days.
	h.clock.advance(8 * 24 * 60 * 60 * 1e9)
	_, err = h.srpLogin(poolPlain, "plain", "quiet", "Temp passw0rd", nil)
	wantAPIError(t, err, "NotAuthorizedException", "Temporary password has expired and must be reset by an administrator.")
	if _, err := a.AdminSetUserPassword(h.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("quiet"), Password: aws.String("short"), Permanent: true}); err == nil {
		t.Fatal("short password accepted")
	}
	if _, err := a.AdminSetUserPassword(h.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("quiet"), Password: aws.String("Quiet passw0rd"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	res := h.tokens(h.srpLogin(poolPlain, "plain", "quiet", "Quiet passw0rd", nil))

	// Disabled: no sign-in, tokens revoked; enabled again: sign-in works.
	if _, err := a.AdminDisableUser(h.ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String("quiet")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "quiet", "SRP_A": mustEphemeral(t).SRPA()})
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", msgRevokedAccess)
	if _, err := a.AdminEnableUser(h.ctx, &cip.AdminEnableUserInput{UserPoolId: pool, Username: aws.String("quiet")}); err != nil {
		t.Fatal(err)
	}
	h.tokens(h.srpLogin(poolPlain, "plain", "quiet", "Quiet passw0rd", nil))

	// RESET_REQUIRED: PasswordResetRequiredException until
	// ConfirmForgotPassword with the code sent.
	if _, err := a.AdminResetUserPassword(h.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: pool, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.srpLogin(poolPlain, "plain", "alice", pw, nil)
	wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
	code := h.lastMessage(poolPlain, "alice", ReasonForgotPassword).Code
	if _, err := h.client.ConfirmForgotPassword(h.ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice"), ConfirmationCode: aws.String(code), Password: aws.String("Reset passw0rd")}); err != nil {
		t.Fatal(err)
	}
	h.tokens(h.srpLogin(poolPlain, "plain", "alice", "Reset passw0rd", nil))

	// UNCONFIRMED by SignUp, confirmed by AdminConfirmSignUp.
	if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("uma"), Password: aws.String(pw)}); err != nil {
		t.Fatal(err)
	}
	_, err = h.srpLogin(poolPlain, "plain", "uma", pw, nil)
	wantAPIError(t, err, "UserNotConfirmedException", "")
	if _, err := a.AdminConfirmSignUp(h.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: pool, Username: aws.String("uma")}); err != nil {
		t.Fatal(err)
	}
	_, err = a.AdminConfirmSignUp(h.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: pool, Username: aws.String("uma")})
	wantAPIError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	h.tokens(h.srpLogin(poolPlain, "plain", "uma", pw, nil))

	// AdminUpdateUserAttributes may verify; AdminDeleteUser removes.
	if _, err := a.AdminUpdateUserAttributes(h.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("uma"),
		UserAttributes: []types.AttributeType{attr("email", "uma@example.com"), attr("email_verified", "true")}}); err != nil {
		t.Fatal(err)
	}
	g, err := a.AdminGetUser(h.ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("uma@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(g.UserAttributes, func(x types.AttributeType) bool {
		return aws.ToString(x.Name) == "email_verified" && aws.ToString(x.Value) == "true"
	}) {
		t.Fatalf("%+v", g.UserAttributes)
	}
	if _, err := a.AdminDeleteUser(h.ctx, &cip.AdminDeleteUserInput{UserPoolId: pool, Username: aws.String("uma")}); err != nil {
		t.Fatal(err)
	}
	_, err = a.AdminGetUser(h.ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("uma")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}

func TestListUsers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	a := h.admin()
	list := func(filter string, limit int32, token *string) *cip.ListUsersOutput {
		t.Helper()
		in := &cip.ListUsersInput{UserPoolId: aws.String(poolPlain), Filter: aws.String(filter), PaginationToken: token}
		if limit > 0 {
			in.Limit = aws.Int32(limit)
		}
		out, err := a.ListUsers(h.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	names := func(out *cip.ListUsersOutput) (n []string) {
		for _, u := range out.Users {
			n = append(n, aws.ToString(u.Username))
		}
		return n
	}
	if got := names(list(`email = "alice@example.com"`, 0, nil)); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("= %v", got)
	}
	if got := names(list(`email ^= "e"`, 0, nil)); !slices.Equal(got, []string{"erin"}) {
		t.Errorf("^= %v", got)
	}
	if got := names(list(`cognito:user_status = "force_change_password"`, 0, nil)); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("status %v", got)
	}
	all := names(list("", 0, nil))
	if len(all) != 6 {
		t.Fatalf("all %v", all)
	}
	var paged []string
	var tok *string
	for {
		out := list("", 4, tok)
		paged = append(paged, names(out)...)
		if tok = out.PaginationToken; tok == nil {
			break
		}
	}
	if !slices.Equal(paged, all) {
		t.Errorf("paged %v, all %v", paged, all)
	}
	_, err := a.ListUsers(h.ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolPlain), Filter: aws.String(`custom:x = "y"`)})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = a.ListUsers(h.ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolPlain), Filter: aws.String(`email = alice`)})
	wantAPIError(t, err, "InvalidParameterException", "")
}

func TestAdminInitiateAuth(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.UserPools[1].Clients = append(cfg.UserPools[1].Clients, AppClient{ID: "server", ExplicitAuthFlows: []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	h := newHarness(t, cfg)
	a := h.admin()
	pool := aws.String(poolAlways)
	_, err := a.AdminInitiateAuth(h.ctx, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: aws.String("always"), AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": pw}})
	wantAPIError(t, err, "InvalidParameterException", "Auth flow not enabled for this client")
	_, err = a.AdminInitiateAuth(h.ctx, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: aws.String("server"), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": pw}})
	wantAPIError(t, err, "InvalidParameterException", "Initiate Auth method not supported.")
	_, err = a.AdminInitiateAuth(h.ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(poolPlain), ClientId: aws.String("server"), AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": pw}})
	wantAPIError(t, err, "ResourceNotFoundException", "")
	_, err = a.AdminInitiateAuth(h.ctx, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: aws.String("server"), AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": "wrong"}})
	wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
	out, err := a.AdminInitiateAuth(h.ctx, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: aws.String("server"), AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": pw}})
	if err != nil {
		t.Fatal(err)
	}
	res := out.AuthenticationResult
	if res == nil || res.NewDeviceMetadata == nil {
		t.Fatalf("%+v", out)
	}
	// Confirm the device, then sign in through it: ADMIN_USER_PASSWORD_AUTH
	// with DEVICE_KEY asks DEVICE_SRP_AUTH, answered with
	// AdminRespondToAuthChallenge.
	d, _ := h.confirm(res)
	dk := d.key
	out, err = a.AdminInitiateAuth(h.ctx, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: aws.String("server"), AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": pw, "DEVICE_KEY": dk}})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("%+v %v", out, err)
	}
	eph := mustEphemeral(t)
	r, err := a.AdminRespondToAuthChallenge(h.ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: pool, ClientId: aws.String("server"), ChallengeName: types.ChallengeNameTypeDeviceSrpAuth,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "frank", "DEVICE_KEY": dk, "SRP_A": eph.SRPA()}})
	if err != nil || r.ChallengeName != types.ChallengeNameTypeDevicePasswordVerifier {
		t.Fatalf("%+v %v", r, err)
	}
	c, err := srp.ParseChallengeParameters(r.ChallengeParameters)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := eph.DeviceClaim(d.group, d.key, d.password, c, h.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	resp := map[string]string{"USERNAME": "frank", "DEVICE_KEY": dk, "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
		"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp}
	r, err = a.AdminRespondToAuthChallenge(h.ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: pool, ClientId: aws.String("server"), ChallengeName: types.ChallengeNameTypeDevicePasswordVerifier,
		Session: r.Session, ChallengeResponses: resp})
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("%+v %v", r, err)
	}
	deviceRefresh := aws.ToString(r.AuthenticationResult.RefreshToken)
	// USER_SRP_AUTH and refresh (with the device, as pools that track
	// devices require) through the admin API.
	eph = mustEphemeral(t)
	out, err = a.AdminInitiateAuth(h.ctx, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: aws.String("server"), AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: map[string]string{"USERNAME": "grace", "SRP_A": eph.SRPA()}})
	if err != nil || out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("%+v %v", out, err)
	}
	r, err = a.AdminRespondToAuthChallenge(h.ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: pool, ClientId: aws.String("server"), ChallengeName: types.ChallengeNameTypePasswordVerifier,
		Session: out.Session, ChallengeResponses: h.claim(poolAlways, &authOut{Params: out.ChallengeParameters}, eph, pw, h.clock.now())})
	if err != nil || r.AuthenticationResult == nil {
		t.Fatalf("%+v %v", r, err)
	}
	out, err = a.AdminInitiateAuth(h.ctx, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: aws.String("server"), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": deviceRefresh, "DEVICE_KEY": dk}})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("%+v %v", out, err)
	}
	// Devices through the admin API, then a global sign-out.
	ld, err := a.AdminListDevices(h.ctx, &cip.AdminListDevicesInput{UserPoolId: pool, Username: aws.String("frank")})
	if err != nil || len(ld.Devices) != 1 || aws.ToString(ld.Devices[0].DeviceKey) != dk {
		t.Fatalf("%+v %v", ld, err)
	}
	if _, err := a.AdminGetDevice(h.ctx, &cip.AdminGetDeviceInput{UserPoolId: pool, Username: aws.String("frank"), DeviceKey: aws.String(dk)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AdminForgetDevice(h.ctx, &cip.AdminForgetDeviceInput{UserPoolId: pool, Username: aws.String("frank"), DeviceKey: aws.String(dk)}); err != nil {
		t.Fatal(err)
	}
	_, err = a.AdminGetDevice(h.ctx, &cip.AdminGetDeviceInput{UserPoolId: pool, Username: aws.String("frank"), DeviceKey: aws.String(dk)})
	wantAPIError(t, err, "ResourceNotFoundException", msgDeviceNotFound)
	if _, err := a.AdminUserGlobalSignOut(h.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: pool, Username: aws.String("frank")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", msgRevokedAccess)
}
