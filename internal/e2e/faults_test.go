package e2e_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

const (
	faultPool      = "us-east-1_Faults"      // no device tracking
	faultAlways    = "us-east-1_FaultAlways" // every device remembered
	faultOptIn     = "us-east-1_FaultOptIn"  // devices remembered on request
	faultPassword  = "fault-test password 3"
	stallDeadline  = time.Second
	normalDeadline = 30 * time.Second
)

func faultConfig() cognitotest.Config {
	user := []cognitotest.User{{Username: "alice", Password: faultPassword}}
	return cognitotest.Config{
		Region: region,
		UserPools: []cognitotest.UserPool{
			{ID: faultPool, Clients: []cognitotest.AppClient{{ID: "faults"}}, Users: user},
			{ID: faultAlways, DeviceTracking: "always", Clients: []cognitotest.AppClient{{ID: "faultalways"}}, Users: user},
			{ID: faultOptIn, DeviceTracking: "opt-in", Clients: []cognitotest.AppClient{{ID: "faultoptin"}}, Users: user},
		},
	}
}

// faultPoint is where in a sign-in a fault strikes.
type faultPoint struct {
	name             string
	pool, clientID   string
	op, challenge    string
	upstream         bool // the server handles the request before the fault
	remembered       bool // the user has a remembered device before the sign-in
	deviceStep       string
	challengeInError types.ChallengeNameType // the *flows.ChallengeError's Name, if any
}

var faultPoints = []faultPoint{
	{name: "InitiateAuth", pool: faultPool, clientID: "faults", op: "InitiateAuth"},
	{name: "PASSWORD_VERIFIER", pool: faultPool, clientID: "faults", op: "RespondToAuthChallenge", challenge: "PASSWORD_VERIFIER", upstream: true,
		challengeInError: types.ChallengeNameTypePasswordVerifier},
	{name: "DEVICE_SRP_AUTH", pool: faultAlways, clientID: "faultalways", op: "RespondToAuthChallenge", challenge: "DEVICE_SRP_AUTH", upstream: true,
		remembered: true, challengeInError: types.ChallengeNameTypeDeviceSrpAuth},
	{name: "DEVICE_PASSWORD_VERIFIER", pool: faultAlways, clientID: "faultalways", op: "RespondToAuthChallenge", challenge: "DEVICE_PASSWORD_VERIFIER", upstream: true,
		remembered: true, challengeInError: types.ChallengeNameTypeDevicePasswordVerifier},
	{name: "ConfirmDevice", pool: faultAlways, clientID: "faultalways", op: "ConfirmDevice", upstream: true, deviceStep: "ConfirmDevice"},
	{name: "UpdateDeviceStatus", pool: faultOptIn, clientID: "faultoptin", op: "UpdateDeviceStatus", upstream: true, deviceStep: "UpdateDeviceStatus"},
}

var faults = []fault{dropHeader, dropBody, status500, throttle, stall}

// faultRun is one sign-in through a faulty proxy.
type faultRun struct {
	srv     *cognitotest.Server
	proxy   *proxy
	store   flows.DeviceStore
	device  *flows.Device // remembered before the sign-in
	res     *flows.Result
	err     error
	elapsed time.Duration
	limit   time.Duration // the sign-in's deadline
}

// runFault sets up a server, a proxy with the fault at pt, and signs in
// alice through it with the SDK's retries configured by retries.
func runFault(t *testing.T, pt faultPoint, f fault, times int, retries func(*cip.Options)) *faultRun {
	t.Helper()
	r := &faultRun{srv: cognitotest.NewServer(faultConfig())}
	t.Cleanup(r.srv.Close)
	r.proxy = newProxy(t, r.srv.URL, &rule{op: pt.op, challenge: pt.challenge, fault: f, upstream: pt.upstream, times: times})
	r.store = flows.NewFileStore(t.TempDir() + "/devices.json")
	ctx := context.Background()
	if pt.remembered {
		// Remember a device, straight with the server.
		c := newFlows(t, newAPI(t, r.srv, r.srv.URL), pt.pool, pt.clientID, func(o *flows.Options) { o.DeviceStore = r.store })
		res, err := c.Login(ctx, "alice", faultPassword)
		if err != nil || res.Device == nil {
			t.Fatalf("remembering a device: %v, %v", res, err)
		}
		r.device = res.Device
	}
	c := newFlows(t, newAPI(t, r.srv, r.proxy.URL(), retries), pt.pool, pt.clientID, func(o *flows.Options) { o.DeviceStore = r.store })
	r.limit = normalDeadline
	if f == stall {
		r.limit = stallDeadline
	}
	r.elapsed = timed(r.limit, func(ctx context.Context) {
		r.res, r.err = c.Login(ctx, "alice", faultPassword)
	})
	if r.elapsed > r.limit+time.Second {
		t.Errorf("the sign-in took %v with a deadline of %v", r.elapsed, r.limit)
	}
	checkNoReplay(t, r.proxy)
	return r
}

// reached reports whether the fault struck: a stalled sign-in may run out
// of time before it gets there on a slow machine.
func (r *faultRun) reached() bool {
	return slices.ContainsFunc(r.proxy.entries(), func(e entry) bool { return e.fault != pass })
}

// storedDevice returns alice's device in the store.
func (r *faultRun) storedDevice(t *testing.T, pool string) *flows.Device {
	t.Helper()
	d, err := r.store.Get(context.Background(), pool, "alice")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkFaultError checks that err tells what went wrong: the SDK's
// operation error, with Cognito's typed exception or the deadline.
func checkFaultError(t *testing.T, f fault, err error) {
	t.Helper()
	var oe *smithy.OperationError
	if !errors.As(err, &oe) {
		t.Errorf("error %v (%T) does not wrap a *smithy.OperationError", err, err)
	}
	var ae smithy.APIError
	isAPI := errors.As(err, &ae)
	switch f {
	case status500:
		var ie *types.InternalErrorException
		if !errors.As(err, &ie) {
			t.Errorf("error %v does not wrap a *types.InternalErrorException", err)
		}
	case throttle:
		var tm *types.TooManyRequestsException
		if !errors.As(err, &tm) {
			t.Errorf("error %v does not wrap a *types.TooManyRequestsException", err)
		}
	case stall:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v is not context.DeadlineExceeded", err)
		}
	case dropHeader, dropBody:
		if isAPI {
			t.Errorf("a dropped connection came out as Cognito's %s", ae.ErrorCode())
		}
	}
}

// TestFaults injects each fault at each point of a sign-in, with the SDK's
// retries off (as cognitotest's client has them): every sign-in ends in
// bounded time with a typed error, leaks no goroutine, never stores a half
// confirmed device, never loses a remembered one, and never sends a used
// Session or claim again.
func TestFaults(t *testing.T) {
	for _, pt := range faultPoints {
		for _, f := range faults {
			t.Run(pt.name+"/"+f.String(), func(t *testing.T) {
				checkGoroutines(t)
				r := runFault(t, pt, f, 0, nil)
				if f == stall && !r.reached() {
					// A slow machine: the deadline passed on the way.
					t.Logf("the deadline passed before %s: %v", pt.name, r.err)
					if !errors.Is(r.err, context.DeadlineExceeded) {
						t.Errorf("error %v is not context.DeadlineExceeded", r.err)
					}
					return
				}
				if ops := r.proxy.ops(); !slices.ContainsFunc(ops, func(s string) bool { return strings.HasSuffix(s, "["+f.String()+"]") }) {
					t.Fatalf("the fault did not strike: %s", strings.Join(ops, ", "))
				}
				if pt.deviceStep != "" {
					// The sign-in succeeded; the device step failed.
					if r.res == nil || aws.ToString(r.res.AuthenticationResult.AccessToken) == "" {
						t.Fatalf("no tokens after a failed %s: %v", pt.deviceStep, r.err)
					}
					var de *flows.DeviceError
					if !errors.As(r.err, &de) || de.Op != pt.deviceStep {
						t.Fatalf("error %v, want a *flows.DeviceError of %s", r.err, pt.deviceStep)
					}
					if r.res.Device != nil {
						t.Errorf("Result.Device = %v after a failed %s", r.res.Device, pt.deviceStep)
					}
					if d := r.storedDevice(t, pt.pool); d != nil {
						t.Errorf("the store holds %v after a failed %s", d, pt.deviceStep)
					}
					checkFaultError(t, f, r.err)
					return
				}
				if r.res != nil {
					t.Fatalf("signed in despite the fault: %+v", r.res)
				}
				checkFaultError(t, f, r.err)
				var ce *flows.ChallengeError
				switch {
				case pt.challengeInError == "" && errors.As(r.err, &ce):
					t.Errorf("error %v names the challenge %s", r.err, ce.Name)
				case pt.challengeInError != "" && (!errors.As(r.err, &ce) || ce.Name != pt.challengeInError):
					t.Errorf("error %v is not a *flows.ChallengeError of %s", r.err, pt.challengeInError)
				}
				if pt.remembered {
					if d := r.storedDevice(t, pt.pool); d == nil || d.DeviceKey != r.device.DeviceKey {
						t.Errorf("the remembered device is gone from the store after a failed sign-in: %v", d)
					}
				}
			})
		}
	}
}

// standardRetries turns on the SDK's standard retryer (three attempts),
// with short backoffs and no retry quota, as a program that uses
// cognitoidentityprovider.NewFromConfig has it.
func standardRetries(o *cip.Options) {
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 10 * time.Millisecond, nil })
		so.RateLimiter = ratelimit.None
	})
}

// TestFaultsRetried injects each fault once, with the SDK's standard
// retryer on. The SDK retries 5xx answers, throttling and failed
// connections: that is safe for InitiateAuth (a new sign-in), ConfirmDevice
// and UpdateDeviceStatus (idempotent), but not for RespondToAuthChallenge,
// whose Session and claim the server may have used up: package flows turns
// the SDK's retries off for those calls, so that the first error is the one
// reported, never a misleading "session can only be used once".
func TestFaultsRetried(t *testing.T) {
	// Whether the SDK retries a fault, when it may. (A stall is not
	// retried either: the deadline has passed. TestFaults covers it.)
	retried := map[fault]bool{
		dropHeader: true, // the request failed: *smithyhttp.RequestSendError
		dropBody:   false,
		status500:  true,
		throttle:   true,
	}
	for _, pt := range faultPoints {
		for _, f := range []fault{dropHeader, dropBody, status500, throttle} {
			t.Run(pt.name+"/"+f.String(), func(t *testing.T) {
				checkGoroutines(t)
				r := runFault(t, pt, f, 1, standardRetries)
				n := 0
				for _, e := range r.proxy.entries() {
					if e.op == pt.op && (pt.challenge == "" || e.challenge == pt.challenge) {
						n++
					}
				}
				safe := pt.op != "RespondToAuthChallenge"
				wantRetry := safe && retried[f]
				t.Logf("%s: %d requests; %v", f, n, r.err)
				switch {
				case wantRetry && n != 2:
					t.Errorf("%s: %d requests of %s, want 2 (one retry): %s", f, n, pt.name, strings.Join(r.proxy.ops(), ", "))
				case !wantRetry && n != 1:
					t.Errorf("%s: %d requests of %s, want 1 (no retry): %s", f, n, pt.name, strings.Join(r.proxy.ops(), ", "))
				}
				if wantRetry {
					if r.err != nil {
						t.Errorf("retried sign-in failed: %v", r.err)
					}
					if pt.deviceStep != "" {
						if d := r.storedDevice(t, pt.pool); r.res == nil || d == nil || r.res.Device == nil || d.DeviceKey != r.res.Device.DeviceKey {
							t.Errorf("after a retried %s the store holds %v", pt.deviceStep, d)
						}
					}
					return
				}
				if pt.deviceStep != "" {
					var de *flows.DeviceError
					if !errors.As(r.err, &de) || r.res == nil {
						t.Fatalf("error %v, want a *flows.DeviceError with tokens", r.err)
					}
					if d := r.storedDevice(t, pt.pool); d != nil {
						t.Errorf("the store holds %v after a failed %s", d, pt.deviceStep)
					}
				} else if r.res != nil {
					t.Fatalf("signed in despite the fault: %+v", r.res)
				}
				checkFaultError(t, f, r.err)
				var na *types.NotAuthorizedException
				if errors.As(r.err, &na) {
					t.Errorf("the fault came out as NotAuthorizedException (a replayed session?): %v", r.err)
				}
			})
		}
	}
}
