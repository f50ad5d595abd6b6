package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/srp"
)

// The user pools of the load tests: one without device tracking for
// password sign-ins, one that remembers every device for device sign-ins.
const (
	loadPassPool   = "us-east-1_LoadPassword"
	loadDevicePool = "us-east-1_LoadDevice"
	loadPassword   = "load-test password 7"
	loadWorkers    = 64
	// defaultLoad is the number of sign-ins of the default run; the
	// environment variable COGNITOSRP_LOAD replaces it.
	defaultLoad = 64
	// Server-side lifetimes, as documented by package cognitotest.
	sessionTTL    = 3 * time.Minute
	usedRetention = 10 * time.Minute
	purgeInterval = 10 * time.Second
	refreshTTL    = 30 * 24 * time.Hour
)

func loadConfig() cognitotest.Config {
	users := func(prefix string) []cognitotest.User {
		var us []cognitotest.User
		for _, n := range userNames(prefix, loadWorkers/2) {
			us = append(us, cognitotest.User{Username: n, Password: loadPassword})
		}
		return us
	}
	return cognitotest.Config{
		Region: region,
		UserPools: []cognitotest.UserPool{
			{ID: loadPassPool, Clients: []cognitotest.AppClient{{ID: "loadpassword"}}, Users: users("pw")},
			{ID: loadDevicePool, DeviceTracking: "always", Clients: []cognitotest.AppClient{{ID: "loaddevice"}}, Users: users("dev")},
		},
	}
}

// TestLoad signs in from 64 goroutines at once with the real SDK client
// over 127.0.0.1: half of them users with a remembered device (USER_SRP_AUTH
// then DEVICE_SRP_AUTH), half of them plain USER_SRP_AUTH. Every sign-in
// must succeed, each holds at most one session on the server at a time, and
// all the server's state expires with its clock. COGNITOSRP_LOAD=n runs n
// sign-ins instead of 128; run with -v for the figures.
func TestLoad(t *testing.T) {
	total := envInt(t, "COGNITOSRP_LOAD", defaultLoad)
	clk := &clock{}
	srv := cognitotest.NewServer(loadConfig(), cognitotest.WithClock(clk.now))
	t.Cleanup(srv.Close)
	api := newAPI(t, srv, srv.URL)
	store := flows.NewMemoryStore()
	passClient := newFlows(t, api, loadPassPool, "loadpassword")
	devClient := newFlows(t, api, loadDevicePool, "loaddevice", func(o *flows.Options) { o.DeviceStore = store })

	// Set up a remembered device for each device user.
	devUsers, passUsers := userNames("dev", loadWorkers/2), userNames("pw", loadWorkers/2)
	devices := make([]string, len(devUsers))
	var wg sync.WaitGroup
	setupErrs := make([]error, len(devUsers))
	for i, u := range devUsers {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := devClient.Login(ctx, u, loadPassword)
			switch {
			case err != nil:
				setupErrs[i] = err
			case res.Device == nil || res.AuthenticationResult.NewDeviceMetadata == nil:
				setupErrs[i] = fmt.Errorf("%s: no new device remembered", u)
			default:
				devices[i] = res.Device.DeviceKey
			}
		})
	}
	wg.Wait()
	if err := errors.Join(setupErrs...); err != nil {
		t.Fatalf("setting up devices: %v", err)
	}
	setup := srv.Stats()

	// Watch the number of sessions while the sign-ins run.
	var peak atomic.Int64
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			if n := int64(srv.Stats().Sessions); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stopWatch:
				return
			case <-tick.C:
			}
		}
	}()

	var (
		mu           sync.Mutex
		failures     []string
		nDev, nPass  atomic.Int64
		slowest      atomic.Int64
		failureLimit = 10
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < failureLimit {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	start := time.Now()
	for w := range loadWorkers {
		n := total / loadWorkers
		if w < total%loadWorkers {
			n++
		}
		device := w%2 == 0
		i := w / 2
		wg.Go(func() {
			for range n {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				t0 := time.Now()
				var res *flows.Result
				var err error
				user := passUsers[i]
				if device {
					user = devUsers[i]
					res, err = devClient.Login(ctx, user, loadPassword)
				} else {
					res, err = passClient.Login(ctx, user, loadPassword)
				}
				cancel()
				for d := int64(time.Since(t0)); ; {
					if old := slowest.Load(); d <= old || slowest.CompareAndSwap(old, d) {
						break
					}
				}
				switch {
				case err != nil:
					fail("%s: %v", user, err)
				case res.AuthenticationResult == nil || aws.ToString(res.AuthenticationResult.AccessToken) == "":
					fail("%s: no tokens", user)
				case res.Username != user:
					fail("%s: Result.Username %q", user, res.Username)
				case device && (res.Device == nil || res.Device.DeviceKey != devices[i] || res.AuthenticationResult.NewDeviceMetadata != nil):
					fail("%s: not signed in through its remembered device (%v)", user, res.Device)
				case !device && res.Device != nil:
					fail("%s: unexpected device %v", user, res.Device)
				case device:
					nDev.Add(1)
				default:
					nPass.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopWatch)
	<-watched
	if len(failures) > 0 {
		t.Fatalf("%d of %d sign-ins failed; the first ones:\n%s", total-int(nDev.Load()+nPass.Load()), total, strings.Join(failures, "\n"))
	}
	done := srv.Stats()
	rate := float64(total) / elapsed.Seconds()
	t.Logf("%d sign-ins (%d password, %d through a remembered device) from %d goroutines in %v: %.1f logins/s, slowest %v",
		total, nPass.Load(), nDev.Load(), loadWorkers, elapsed.Round(time.Millisecond), rate, time.Duration(slowest.Load()).Round(time.Millisecond))
	t.Logf("server: peak %d sessions in progress; after: %+v", peak.Load(), done)

	// Each sign-in holds one session at a time and uses up each one it
	// was given: one for a password sign-in (PASSWORD_VERIFIER), three
	// through a device (and DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER).
	if p := peak.Load(); p > loadWorkers {
		t.Errorf("peak of %d sessions in progress, more than the %d sign-ins at a time", p, loadWorkers)
	}
	want := cognitotest.Stats{
		Sessions:      0,
		UsedSessions:  setup.UsedSessions + int(nPass.Load()) + 3*int(nDev.Load()),
		RefreshTokens: setup.RefreshTokens + total,
		Devices:       len(devUsers),
	}
	if done != want {
		t.Errorf("after the sign-ins, the server holds %+v, want %+v", done, want)
	}

	// Everything but the devices expires with the server's clock.
	trigger := func() {
		t.Helper()
		// Any request purges what expired.
		_, err := api.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String("loadpassword"),
			AuthParameters: map[string]string{"USERNAME": "nobody", "SRP_A": "02"},
		})
		var nf *types.UserNotFoundException
		if !errors.As(err, &nf) {
			t.Fatalf("InitiateAuth for nobody: %v", err)
		}
	}
	clk.advance(sessionTTL + usedRetention + purgeInterval + time.Second)
	trigger()
	if st := srv.Stats(); st.Sessions != 0 || st.UsedSessions != 0 {
		t.Errorf("%v later the server still holds %+v", sessionTTL+usedRetention, st)
	}
	clk.advance(refreshTTL)
	trigger()
	if st := srv.Stats(); st != (cognitotest.Stats{Devices: len(devUsers)}) {
		t.Errorf("after the refresh tokens expired the server still holds %+v", st)
	}
	t.Logf("SUMMARY load: %d logins in %v = %.1f logins/s (64 goroutines, half DEVICE_SRP_AUTH), peak %d sessions, 0 errors",
		total, elapsed.Round(time.Millisecond), rate, peak.Load())
}

// TestAbandonedLogins floods the server with sign-ins that are never
// answered (InitiateAuth only), with SRP and with USER_AUTH, which costs the
// server no exponentiation. The sessions stay until their TTL, then go, and
// so do the used tokens they leave; a real user signs in meanwhile.
// COGNITOSRP_FLOOD=n sends n of each instead of 128.
func TestAbandonedLogins(t *testing.T) {
	n := envInt(t, "COGNITOSRP_FLOOD", 128)
	const ttl = time.Minute
	clk := &clock{}
	srv := cognitotest.NewServer(loadConfig(), cognitotest.WithClock(clk.now), cognitotest.WithSessionTTL(ttl))
	t.Cleanup(srv.Close)
	api := newAPI(t, srv, srv.URL)
	eph, err := srp.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	// One SRP_A for all: the server draws a fresh b for each.
	srpA := eph.SRPA()
	users := userNames("pw", loadWorkers/2)
	flood := func(flow types.AuthFlowType) {
		var next atomic.Int64
		var errs atomic.Int64
		var first atomic.Pointer[error]
		var wg sync.WaitGroup
		for range loadWorkers {
			wg.Go(func() {
				for {
					i := next.Add(1) - 1
					if i >= int64(n) {
						return
					}
					params := map[string]string{"USERNAME": users[i%int64(len(users))]}
					if flow == types.AuthFlowTypeUserSrpAuth {
						params["SRP_A"] = srpA
					}
					ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
					out, err := api.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: flow, ClientId: aws.String("loadpassword"), AuthParameters: params})
					cancel()
					if err == nil && aws.ToString(out.Session) == "" {
						err = errors.New("no Session")
					}
					if err != nil {
						errs.Add(1)
						first.CompareAndSwap(nil, &err)
					}
				}
			})
		}
		wg.Wait()
		if e := first.Load(); e != nil {
			t.Fatalf("%s flood: %d errors, the first: %v", flow, errs.Load(), *e)
		}
	}
	start := time.Now()
	flood(types.AuthFlowTypeUserSrpAuth)
	srpTime := time.Since(start)
	flood(types.AuthFlowTypeUserAuth)
	elapsed := time.Since(start)
	st := srv.Stats()
	t.Logf("%d abandoned USER_SRP_AUTH sign-ins in %v (%.0f/s), then %d USER_AUTH in %v; server: %+v",
		n, srpTime.Round(time.Millisecond), float64(n)/srpTime.Seconds(), n, (elapsed - srpTime).Round(time.Millisecond), st)
	// The server keeps at most 20 sign-ins in progress per user, ending a
	// user's oldest for a new one.
	const perUser = 20
	kept := min(2*n, perUser*len(users))
	if st.Sessions != kept || st.UsedSessions != 2*n-kept {
		t.Errorf("after %d abandoned sign-ins the server holds %+v, want %d sessions and %d used", 2*n, st, kept, 2*n-kept)
	}

	// The flood does not keep a user out.
	c := newFlows(t, api, loadPassPool, "loadpassword")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := c.Login(ctx, users[0], loadPassword); err != nil {
		t.Fatalf("sign-in after the flood: %v", err)
	}

	trigger := func() {
		t.Helper()
		// Any request purges what expired, at most every 10 seconds.
		_, err := api.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String("loadpassword"),
			AuthParameters: map[string]string{"USERNAME": "nobody", "SRP_A": "02"},
		})
		var nf *types.UserNotFoundException
		if !errors.As(err, &nf) {
			t.Fatalf("InitiateAuth for nobody: %v", err)
		}
	}
	if time.Since(start) < ttl/2 {
		clk.advance(ttl/2 - time.Since(start) + purgeInterval)
		trigger()
		left := kept
		if kept < 2*n {
			left-- // the sign-in ended one of users[0]'s
		}
		if st := srv.Stats(); st.Sessions != left {
			t.Errorf("before the TTL, %d sessions are left of %d", st.Sessions, left)
		}
	}
	clk.advance(ttl + purgeInterval)
	trigger()
	if st := srv.Stats(); st.Sessions != 0 || st.UsedSessions != 2*n+1 {
		t.Errorf("after the TTL the server holds %+v, want no session and %d used ones", st, 2*n+1)
	}
	clk.advance(usedRetention + purgeInterval)
	trigger()
	if st := srv.Stats(); st.Sessions != 0 || st.UsedSessions != 0 {
		t.Errorf("%v after the TTL the server holds %+v", usedRetention, st)
	}
}
