package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
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
			cpu0 := cpuTime()
			for b.Loop() {
				res, err := c.Login(ctx, "bench", loopbackPassword)
				if err != nil {
					b.Fatal(err)
				}
				if device != "" && (res.Device == nil || res.Device.DeviceKey != device) {
					b.Fatal("not signed in through the remembered device")
				}
			}
			reportThroughput(b, cpuTime()-cpu0)
		})
	}
}

// reportThroughput reports sign-ins per second and, where the process's CPU
// time is known, the CPU time per sign-in (both sides) and the cores used
// on average: a parallel run that stays at one core while the machine has
// another idle one is serialized somewhere.
func reportThroughput(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "logins/s")
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()*1e3/float64(b.N), "cpu-ms/login")
		b.ReportMetric(cpu.Seconds()/b.Elapsed().Seconds(), "cores")
	}
}

// BenchmarkLoginLoopbackParallel is BenchmarkLoginLoopback's password flow
// from GOMAXPROCS·4 goroutines at once (b.RunParallel), each its own user,
// against one local server: whole sign-ins per second on all cores, to
// compare with the serial figure. Each sign-in's time is shared between the
// client and the server, which run in this process alike.
func BenchmarkLoginLoopbackParallel(b *testing.B) {
	const users = 64
	var us []cognitotest.User
	for i := range users {
		us = append(us, cognitotest.User{Username: fmt.Sprintf("bench%d", i), Password: loopbackPassword})
	}
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{
			{ID: loopbackPasswordPool, Clients: []cognitotest.AppClient{{ID: "loopbackpassword"}}, Users: us},
		},
	})
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	api := srv.Client(func(o *cip.Options) { o.HTTPClient = &http.Client{Transport: tr, Timeout: time.Minute} })
	ctx := context.Background()
	c, err := flows.New(api, loopbackPasswordPool, "loopbackpassword")
	if err != nil {
		b.Fatal(err)
	}
	for i := range 4 { // warm up: the fixed-base tables of g
		if _, err := c.Login(ctx, fmt.Sprintf("bench%d", i), loopbackPassword); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int32
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		user := fmt.Sprintf("bench%d", next.Add(1)%users)
		for pb.Next() {
			if _, err := c.Login(ctx, user, loopbackPassword); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportThroughput(b, cpuTime()-cpu0)
}
