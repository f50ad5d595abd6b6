package bench

import (
	"context"
	"net/http"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

const (
	loopbackPasswordPool = "us-east-1_LoopbackPassword" // no device tracking
	loopbackDevicePool   = "us-east-1_LoopbackDevice"   // every device remembered
	loopbackPassword     = "loopback benchmark password"
)

// BenchmarkLoginLoopback runs whole sign-ins, one after the other, with
// flows.Client and the real SDK client against the local server of package
// cognitotest over 127.0.0.1: both sides of SRP, HTTP, JSON and the signed
// tokens. flow=password is USER_SRP_AUTH (InitiateAuth, PASSWORD_VERIFIER);
// flow=device is a user with a remembered device (PASSWORD_VERIFIER, then
// DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER).
func BenchmarkLoginLoopback(b *testing.B) {
	user := []cognitotest.User{{Username: "bench", Password: loopbackPassword}}
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{
			{ID: loopbackPasswordPool, Clients: []cognitotest.AppClient{{ID: "loopbackpassword"}}, Users: user},
			{ID: loopbackDevicePool, DeviceTracking: "always", Clients: []cognitotest.AppClient{{ID: "loopbackdevice"}}, Users: user},
		},
	})
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	defer tr.CloseIdleConnections()
	api := srv.Client(func(o *cip.Options) { o.HTTPClient = &http.Client{Transport: tr, Timeout: time.Minute} })
	ctx := context.Background()

	for _, tc := range []struct {
		name, pool, clientID string
		store                flows.DeviceStore
	}{
		{"flow=password", loopbackPasswordPool, "loopbackpassword", nil},
		{"flow=device", loopbackDevicePool, "loopbackdevice", flows.NewMemoryStore()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c, err := flows.New(api, tc.pool, tc.clientID, func(o *flows.Options) { o.DeviceStore = tc.store })
			if err != nil {
				b.Fatal(err)
			}
			var device string
			if tc.store != nil {
				res, err := c.Login(ctx, "bench", loopbackPassword)
				if err != nil || res.Device == nil {
					b.Fatalf("remembering a device: %v", err)
				}
				device = res.Device.DeviceKey
			}
			// Warm up: the fixed-base tables of g are built after a few
			// sign-ins.
			for range 4 {
				if _, err := c.Login(ctx, "bench", loopbackPassword); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				res, err := c.Login(ctx, "bench", loopbackPassword)
				if err != nil {
					b.Fatal(err)
				}
				if device != "" && (res.Device == nil || res.Device.DeviceKey != device) {
					b.Fatal("not signed in through the remembered device")
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "logins/s")
		})
	}
}
