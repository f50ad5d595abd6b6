package cognitotest

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/srp"
)

// remembered is what a client stores for a confirmed device.
type remembered struct {
	key, group, password string
}

// confirm confirms the new device of a sign-in result.
func (h *harness) confirm(res *types.AuthenticationResultType) (remembered, bool) {
	h.t.Helper()
	md := res.NewDeviceMetadata
	if md == nil {
		h.t.Fatal("no NewDeviceMetadata")
	}
	key, group := aws.ToString(md.DeviceKey), aws.ToString(md.DeviceGroupKey)
	dv, err := srp.NewDeviceVerifier(group, key)
	if err != nil {
		h.t.Fatal(err)
	}
	out, err := h.client.ConfirmDevice(h.ctx, &cip.ConfirmDeviceInput{
		AccessToken: res.AccessToken,
		DeviceKey:   md.DeviceKey,
		DeviceName:  aws.String("test device"),
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{
			Salt: aws.String(dv.Salt), PasswordVerifier: aws.String(dv.PasswordVerifier),
		},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return remembered{key, group, dv.DevicePassword}, out.UserConfirmationNecessary
}

// deviceLogin signs in with a remembered device through DEVICE_SRP_AUTH.
// With noSession, it leaves out the Session of DEVICE_SRP_AUTH as some
// clients do.
func (h *harness) deviceLogin(poolID, clientID, user string, d remembered, noSession bool) (*authOut, error) {
	h.t.Helper()
	next := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolID, clientID, user, pw, map[string]string{"DEVICE_KEY": d.key}))
	eph := mustEphemeral(h.t)
	sess := next.Session
	if noSession {
		sess = nil
	}
	ch := h.challenge("DEVICE_PASSWORD_VERIFIER")(h.respond(clientID, "DEVICE_SRP_AUTH", sess, map[string]string{"USERNAME": user, "DEVICE_KEY": d.key, "SRP_A": eph.SRPA()}))
	if ch.Params["DEVICE_KEY"] != d.key || ch.Params["USERNAME"] != user {
		h.t.Fatalf("DEVICE_PASSWORD_VERIFIER params %v", ch.Params)
	}
	c, err := srp.ParseChallengeParameters(ch.Params)
	if err != nil {
		h.t.Fatal(err)
	}
	cl, err := eph.DeviceClaim(d.group, d.key, d.password, c, h.clock.now())
	if err != nil {
		h.t.Fatal(err)
	}
	return h.respond(clientID, "DEVICE_PASSWORD_VERIFIER", ch.Session, map[string]string{
		"USERNAME": user, "DEVICE_KEY": d.key, "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
		"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp,
	})
}

func TestDevicesAlways(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	res := h.tokens(h.srpLogin(poolAlways, "always", "frank", pw, nil))
	md := res.NewDeviceMetadata
	if md == nil || !strings.HasPrefix(aws.ToString(md.DeviceKey), "us-east-1_") || !strings.HasPrefix(aws.ToString(md.DeviceGroupKey), "-") {
		t.Fatalf("NewDeviceMetadata %+v", md)
	}
	if c := parseClaims(t, aws.ToString(res.AccessToken)); c["device_key"] != aws.ToString(md.DeviceKey) {
		t.Errorf("access token device_key %v", c["device_key"])
	}
	if n, _ := h.e.DeviceCount(poolAlways, "frank"); n != 0 {
		t.Errorf("DeviceCount before ConfirmDevice = %d", n)
	}
	d, necessary := h.confirm(res)
	if necessary {
		t.Error("UserConfirmationNecessary with device tracking always")
	}
	if n, _ := h.e.DeviceCount(poolAlways, "frank"); n != 1 {
		t.Errorf("DeviceCount = %d", n)
	}

	list, err := h.client.ListDevices(h.ctx, &cip.ListDevicesInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Devices) != 1 || aws.ToString(list.Devices[0].DeviceKey) != d.key {
		t.Fatalf("ListDevices %+v", list.Devices)
	}
	attrs := map[string]string{}
	for _, a := range list.Devices[0].DeviceAttributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if attrs["device_name"] != "test device" || attrs["dev:device_remembered_status"] != "remembered" || attrs["last_ip_used"] != "127.0.0.1" {
		t.Errorf("device attributes %v", attrs)
	}
	if list.Devices[0].DeviceCreateDate == nil || list.Devices[0].DeviceCreateDate.Unix() != h.clock.now().Unix() {
		t.Errorf("DeviceCreateDate %v", list.Devices[0].DeviceCreateDate)
	}
	got, err := h.client.GetDevice(h.ctx, &cip.GetDeviceInput{AccessToken: res.AccessToken, DeviceKey: aws.String(d.key)})
	if err != nil || aws.ToString(got.Device.DeviceKey) != d.key {
		t.Fatalf("GetDevice: %v", err)
	}

	// The next sign-in goes through DEVICE_SRP_AUTH, and skips issuing a
	// new device.
	for _, noSession := range []bool{false, true} {
		res2 := h.tokens(h.deviceLogin(poolAlways, "always", "frank", d, noSession))
		if res2.NewDeviceMetadata != nil {
			t.Error("NewDeviceMetadata for a known device")
		}
		if c := parseClaims(t, aws.ToString(res2.AccessToken)); c["device_key"] != d.key {
			t.Errorf("access token device_key %v", c["device_key"])
		}
		// Refreshing with the device key works.
		h.tokens(h.initiate("always", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": aws.ToString(res2.RefreshToken), "DEVICE_KEY": d.key}))
		_, err = h.initiate("always", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": aws.ToString(res2.RefreshToken), "DEVICE_KEY": "us-east-1_other"})
		wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
	}

	t.Run("wrong device password", func(t *testing.T) {
		h := h.with(t)
		bad := d
		bad.password = strings.Repeat("A", len(d.password))
		_, err := h.deviceLogin(poolAlways, "always", "frank", bad, false)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("wrong group key", func(t *testing.T) {
		h := h.with(t)
		bad := d
		bad.group = "-wrong"
		_, err := h.deviceLogin(poolAlways, "always", "frank", bad, false)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("replayed device claim", func(t *testing.T) {
		h := h.with(t)
		next := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolAlways, "always", "frank", pw, map[string]string{"DEVICE_KEY": d.key}))
		eph := mustEphemeral(t)
		ch := h.challenge("DEVICE_PASSWORD_VERIFIER")(h.respond("always", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "SRP_A": eph.SRPA()}))
		c, _ := srp.ParseChallengeParameters(ch.Params)
		cl, _ := eph.DeviceClaim(d.group, d.key, d.password, c, h.clock.now())
		resp := map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "PASSWORD_CLAIM_SIGNATURE": cl.Signature, "PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp}
		h.tokens(h.respond("always", "DEVICE_PASSWORD_VERIFIER", ch.Session, resp))
		_, err := h.respond("always", "DEVICE_PASSWORD_VERIFIER", ch.Session, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user...")
		_, err = h.respond("always", "DEVICE_PASSWORD_VERIFIER", nil, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
		// DEVICE_SRP_AUTH cannot be answered twice either.
		_, err = h.respond("always", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "SRP_A": eph.SRPA()})
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user...")
		_, err = h.respond("always", "DEVICE_SRP_AUTH", nil, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "SRP_A": eph.SRPA()})
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})
	t.Run("DEVICE_SRP_AUTH with A = 0", func(t *testing.T) {
		h := h.with(t)
		next := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolAlways, "always", "frank", pw, map[string]string{"DEVICE_KEY": d.key}))
		_, err := h.respond("always", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "SRP_A": "00"})
		wantAPIError(t, err, "InvalidParameterException", "SRP_A cannot be 0 mod N")
	})
	t.Run("unknown device", func(t *testing.T) {
		h := h.with(t)
		const unknown = "us-east-1_00000000-0000-4000-8000-000000000000"
		_, err := h.srpLogin(poolAlways, "always", "frank", pw, map[string]string{"DEVICE_KEY": unknown})
		wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")

		// As AWS's clients do: the same answer again, with the device
		// dropped, signs in and hands out a new device.
		ch, eph := h.startSRP("always", "frank", map[string]string{"DEVICE_KEY": unknown})
		resp := h.claim(poolAlways, ch, eph, pw, h.clock.now())
		resp["DEVICE_KEY"] = unknown
		_, err = h.respond("always", "PASSWORD_VERIFIER", ch.Session, resp)
		wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
		resp["DEVICE_KEY"] = ""
		res := h.tokens(h.respond("always", "PASSWORD_VERIFIER", ch.Session, resp))
		if res.NewDeviceMetadata == nil || aws.ToString(res.NewDeviceMetadata.DeviceKey) == unknown {
			t.Errorf("NewDeviceMetadata %+v", res.NewDeviceMetadata)
		}
		_, err = h.respond("always", "PASSWORD_VERIFIER", ch.Session, resp)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session can only be used once.")
	})
	t.Run("another user's device", func(t *testing.T) {
		h := h.with(t)
		_, err := h.srpLogin(poolAlways, "always", "grace", pw, map[string]string{"DEVICE_KEY": d.key})
		wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
		g := h.tokens(h.srpLogin(poolAlways, "always", "grace", pw, nil))
		_, err = h.client.GetDevice(h.ctx, &cip.GetDeviceInput{AccessToken: g.AccessToken, DeviceKey: aws.String(d.key)})
		wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
		_, err = h.client.ForgetDevice(h.ctx, &cip.ForgetDeviceInput{AccessToken: g.AccessToken, DeviceKey: aws.String(d.key)})
		wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
		_, err = h.client.ConfirmDevice(h.ctx, &cip.ConfirmDeviceInput{AccessToken: g.AccessToken, DeviceKey: aws.String(d.key),
			DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{Salt: aws.String("AAAA"), PasswordVerifier: aws.String("AAAA")}})
		wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
	})
	t.Run("device key in DEVICE_SRP_AUTH differs", func(t *testing.T) {
		h := h.with(t)
		next := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolAlways, "always", "frank", pw, map[string]string{"DEVICE_KEY": d.key}))
		_, err := h.respond("always", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": "us-east-1_x", "SRP_A": mustEphemeral(t).SRPA()})
		wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
	})
	t.Run("with client secret", func(t *testing.T) {
		h := h.with(t)
		sh := map[string]string{"SECRET_HASH": secretHashB64(secretValue, "grace", "always-secret")}
		res := h.tokens(h.srpLogin(poolAlways, "always-secret", "grace", pw, sh))
		dg, _ := h.confirm(res)
		extra := map[string]string{"DEVICE_KEY": dg.key, "SECRET_HASH": sh["SECRET_HASH"]}
		next := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolAlways, "always-secret", "grace", pw, extra))
		eph := mustEphemeral(t)
		_, err := h.respond("always-secret", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "grace", "DEVICE_KEY": dg.key, "SRP_A": eph.SRPA()})
		wantAPIError(t, err, "NotAuthorizedException", "Client always-secret is configured with secret but SECRET_HASH was not received")
		ch := h.challenge("DEVICE_PASSWORD_VERIFIER")(h.respond("always-secret", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "grace", "DEVICE_KEY": dg.key, "SRP_A": eph.SRPA(), "SECRET_HASH": sh["SECRET_HASH"]}))
		c, _ := srp.ParseChallengeParameters(ch.Params)
		cl, _ := eph.DeviceClaim(dg.group, dg.key, dg.password, c, h.clock.now())
		h.tokens(h.respond("always-secret", "DEVICE_PASSWORD_VERIFIER", ch.Session, map[string]string{
			"USERNAME": "grace", "DEVICE_KEY": dg.key, "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
			"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp, "SECRET_HASH": sh["SECRET_HASH"],
		}))
	})
	t.Run("bad verifier config", func(t *testing.T) {
		h := h.with(t)
		res := h.tokens(h.srpLogin(poolAlways, "always", "grace", pw, nil))
		for name, cfg := range map[string]*types.DeviceSecretVerifierConfigType{
			"missing":    nil,
			"not base64": {Salt: aws.String("!!"), PasswordVerifier: aws.String("AAAA")},
			"too long":   {Salt: aws.String("AAAA"), PasswordVerifier: aws.String(strings.Repeat("A", 1000))},
			"empty":      {Salt: aws.String(""), PasswordVerifier: aws.String("")},
		} {
			_, err := h.client.ConfirmDevice(h.ctx, &cip.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: res.NewDeviceMetadata.DeviceKey, DeviceSecretVerifierConfig: cfg})
			if err == nil {
				t.Errorf("%s: accepted", name)
				continue
			}
			wantAPIError(t, err, "InvalidParameterException", "")
		}
	})
	t.Run("forget", func(t *testing.T) {
		h := h.with(t)
		res := h.tokens(h.srpLogin(poolAlways, "always", "grace", pw, nil))
		dg, _ := h.confirm(res)
		h.tokens(h.deviceLogin(poolAlways, "always", "grace", dg, false))
		if _, err := h.client.ForgetDevice(h.ctx, &cip.ForgetDeviceInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dg.key)}); err != nil {
			t.Fatal(err)
		}
		_, err := h.srpLogin(poolAlways, "always", "grace", pw, map[string]string{"DEVICE_KEY": dg.key})
		wantAPIError(t, err, "ResourceNotFoundException", "Device does not exist.")
	})
}

func TestDevicesOptIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	res := h.tokens(h.srpLogin(poolOptIn, "optin", "heidi", pw, nil))
	d, necessary := h.confirm(res)
	if !necessary {
		t.Error("UserConfirmationNecessary false with opt-in device tracking")
	}
	// Not remembered: no DEVICE_SRP_AUTH, but the device is known.
	res2 := h.tokens(h.srpLogin(poolOptIn, "optin", "heidi", pw, map[string]string{"DEVICE_KEY": d.key}))
	if res2.NewDeviceMetadata != nil {
		t.Error("NewDeviceMetadata for a known device")
	}
	if _, err := h.client.UpdateDeviceStatus(h.ctx, &cip.UpdateDeviceStatusInput{
		AccessToken: res.AccessToken, DeviceKey: aws.String(d.key), DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered,
	}); err != nil {
		t.Fatal(err)
	}
	h.tokens(h.deviceLogin(poolOptIn, "optin", "heidi", d, false))

	_, err := h.client.UpdateDeviceStatus(h.ctx, &cip.UpdateDeviceStatusInput{AccessToken: res.AccessToken, DeviceKey: aws.String(d.key), DeviceRememberedStatus: "sometimes"})
	wantAPIError(t, err, "InvalidParameterException", "1 validation error detected...")
	if _, err := h.client.UpdateDeviceStatus(h.ctx, &cip.UpdateDeviceStatusInput{
		AccessToken: res.AccessToken, DeviceKey: aws.String(d.key), DeviceRememberedStatus: types.DeviceRememberedStatusTypeNotRemembered,
	}); err != nil {
		t.Fatal(err)
	}
	h.tokens(h.srpLogin(poolOptIn, "optin", "heidi", pw, map[string]string{"DEVICE_KEY": d.key}))
}

func TestListDevicesPagination(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	var last *types.AuthenticationResultType
	for i := range 5 {
		h.clock.advance(time.Second)
		last = h.tokens(h.srpLogin(poolAlways, "always", "frank", pw, nil))
		h.confirm(last)
		_ = i
	}
	var keys []string
	var token *string
	for {
		out, err := h.client.ListDevices(h.ctx, &cip.ListDevicesInput{AccessToken: last.AccessToken, Limit: aws.Int32(2), PaginationToken: token})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Devices) > 2 {
			t.Fatalf("%d devices with Limit 2", len(out.Devices))
		}
		for _, d := range out.Devices {
			keys = append(keys, aws.ToString(d.DeviceKey))
		}
		if token = out.PaginationToken; token == nil {
			break
		}
	}
	if len(keys) != 5 {
		t.Errorf("listed %d devices, want 5", len(keys))
	}
	_, err := h.client.ListDevices(h.ctx, &cip.ListDevicesInput{AccessToken: last.AccessToken, Limit: aws.Int32(61)})
	wantAPIError(t, err, "InvalidParameterException", "")
}
