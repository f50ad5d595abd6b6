package flows_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/flows"
)

// staleDeviceAPI answers a GetTokensFromRefreshToken that names a device as
// Cognito answers for a device it no longer knows; the emulator, in a pool
// that tracks devices, refuses the refresh token instead.
type staleDeviceAPI struct {
	*recorder
}

func (a staleDeviceAPI) GetTokensFromRefreshToken(ctx context.Context, in *cip.GetTokensFromRefreshTokenInput, optFns ...func(*cip.Options)) (*cip.GetTokensFromRefreshTokenOutput, error) {
	if in.DeviceKey != nil {
		err := &types.ResourceNotFoundException{Message: aws.String("Device does not exist.")}
		a.add(call{op: "GetTokensFromRefreshToken", params: map[string]string{"DeviceKey": *in.DeviceKey}, err: err})
		return nil, err
	}
	return a.recorder.GetTokensFromRefreshToken(ctx, in, optFns...)
}

// TestRefreshForgottenDevice: when Cognito no longer knows the device,
// Refresh tries once more without it and forgets it.
func TestRefreshForgottenDevice(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := context.Background()
	v := variants[1]
	rec := &recorder{api: srv.Client(), clientID: clientID(flowsPool, v)}
	store := flows.NewMemoryStore()
	c, err := flows.New(staleDeviceAPI{rec}, flowsPool, clientID(flowsPool, v), func(o *flows.Options) {
		o.ClientSecret = v.secret
		o.DeviceStore = store
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Login(ctx, "alice", password, func(o *flows.Options) { o.DeviceStore = nil })
	if err != nil {
		t.Fatal(err)
	}
	stale := &flows.Device{UserPoolID: flowsPool, Username: "alice", Aliases: []string{"alice@example.com"}, DeviceKey: "us-east-1_stale", DeviceGroupKey: "g", DevicePassword: "p"}
	if err := store.Put(ctx, stale); err != nil {
		t.Fatal(err)
	}
	rec.reset()
	ref, err := c.Refresh(ctx, "alice@example.com", *res.AuthenticationResult.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	checkTokens(t, ref, "alice")
	calls := rec.reset()
	if len(calls) != 2 || calls[0].params["DeviceKey"] != stale.DeviceKey || calls[1].params["DeviceKey"] != "" || calls[1].err != nil {
		t.Fatalf("calls %+v, want a refresh with the device, then one without", calls)
	}
	if !ref.DeviceForgotten || ref.Device != nil {
		t.Errorf("Result: forgotten %v, device %v", ref.DeviceForgotten, ref.Device)
	}
	if d, _ := store.Get(ctx, flowsPool, "alice"); d != nil {
		t.Errorf("the stale device is still stored: %v", d)
	}
}
