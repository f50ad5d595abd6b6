package flows

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitosrp/cognitosrp/srp"
)

// API is the part of the Cognito user pools API that a [Client] calls.
// *cognitoidentityprovider.Client implements it; tests and wrappers can
// supply their own implementation.
type API interface {
	InitiateAuth(ctx context.Context, params *cip.InitiateAuthInput, optFns ...func(*cip.Options)) (*cip.InitiateAuthOutput, error)
	RespondToAuthChallenge(ctx context.Context, params *cip.RespondToAuthChallengeInput, optFns ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error)
	ConfirmDevice(ctx context.Context, params *cip.ConfirmDeviceInput, optFns ...func(*cip.Options)) (*cip.ConfirmDeviceOutput, error)
	UpdateDeviceStatus(ctx context.Context, params *cip.UpdateDeviceStatusInput, optFns ...func(*cip.Options)) (*cip.UpdateDeviceStatusOutput, error)
	GetTokensFromRefreshToken(ctx context.Context, params *cip.GetTokensFromRefreshTokenInput, optFns ...func(*cip.Options)) (*cip.GetTokensFromRefreshTokenOutput, error)
	ForgetDevice(ctx context.Context, params *cip.ForgetDeviceInput, optFns ...func(*cip.Options)) (*cip.ForgetDeviceOutput, error)
	AssociateSoftwareToken(ctx context.Context, params *cip.AssociateSoftwareTokenInput, optFns ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error)
	VerifySoftwareToken(ctx context.Context, params *cip.VerifySoftwareTokenInput, optFns ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error)
}

var _ API = (*cip.Client)(nil)

// DefaultMaxChallenges is the default of [Options.MaxChallenges].
const DefaultMaxChallenges = 20

// DefaultSessionValidity is the default of [Options.SessionValidity]:
// the default AuthSessionValidity of a Cognito app client.
const DefaultSessionValidity = 3 * time.Minute

// RememberPolicy says whether a [Client] confirms and remembers the new
// devices that Cognito announces at the end of a sign-in in user pools with
// device tracking. It only has an effect when [Options.DeviceStore] is set.
type RememberPolicy int

const (
	// RememberAlways, the default, confirms every new device, marks it as
	// remembered in user pools that leave that to the user ("opt-in"),
	// and stores it, so that later sign-ins of the same user go through
	// device authentication.
	RememberAlways RememberPolicy = iota
	// RememberNever confirms and stores no device. A sign-in can still
	// choose to remember its device with a per-call option setting
	// RememberAlways.
	RememberNever
)

// Options configures a [Client]. The zero value of every field is a
// working default.
//
// The sign-in methods ([Client.Login], [Client.Start], [Client.Resume] and
// the others) take per-call options, functions applied to a copy of the
// Client's Options for that call only:
//
//	res, err := c.Login(ctx, username, password, func(o *flows.Options) {
//		o.Handler = handlerForThisRequest
//		o.RememberDevices = flows.RememberNever
//	})
type Options struct {
	// ClientSecret is the app client's secret, for app clients that have
	// one. The Client then sends SECRET_HASH with every request.
	ClientSecret string

	// ClientOptions are passed to every call of the [API], after the
	// Client's own (which add "cognitosrp/<version>" to the User-Agent). A
	// per-call option can append to them.
	ClientOptions []func(*cip.Options)

	// ClientMetadata is sent as the ClientMetadata of every InitiateAuth
	// and RespondToAuthChallenge request, for the user pool's Lambda
	// triggers.
	ClientMetadata map[string]string

	// Clock returns the current time, for the TIMESTAMP of password and
	// device claims, read when each claim is signed. The default is
	// time.Now.
	Clock func() time.Time

	// DeviceStore keeps remembered devices. When it is nil, devices are
	// neither used nor remembered.
	DeviceStore DeviceStore

	// RememberDevices says which new devices are confirmed and stored. A
	// per-call option can choose for one sign-in.
	RememberDevices RememberPolicy

	// DeviceName is sent as the DeviceName of ConfirmDevice. By default no
	// name is sent.
	DeviceName string

	// Handler answers the challenges that need the user, such as MFA codes
	// or a new password, in [Client.Login], [Client.LoginCustom] and
	// [Client.LoginUserAuth]; a web server can set one bound to a request
	// as a per-call option. [Client.Start] and [Client.Resume] do not use
	// it: they return the challenge instead.
	Handler ChallengeHandler

	// MaxChallenges bounds the number of challenges answered in one
	// sign-in, across [Client.Resume] calls; beyond it the sign-in fails
	// with [ErrChallengeLoop]. The default is [DefaultMaxChallenges].
	MaxChallenges int

	// RefreshWith is the operation that [Client.Refresh] calls:
	// GetTokensFromRefreshToken by default ([RefreshGetTokens]), or
	// REFRESH_TOKEN_AUTH ([RefreshTokenAuth]) for servers that lack it.
	RefreshWith RefreshMethod

	// SessionValidity is how long Cognito keeps a challenge's Session: the
	// app client's AuthSessionValidity, 3 to 15 minutes. It sets
	// [Pending.Expires]. The default is [DefaultSessionValidity].
	SessionValidity time.Duration
}

// Client signs users in to one app client of one Cognito user pool.
//
// A Client is safe for concurrent use by multiple goroutines, provided that
// its API, DeviceStore and Handler are: the Client itself holds no state
// between calls besides its Options. [NewMemoryStore] and [NewFileStore]
// return stores that are safe for concurrent use.
type Client struct {
	api        API
	admin      AdminAPI // set by NewAdmin: sign-ins use the Admin* operations
	userPoolID string
	clientID   string
	opts       Options
}

// New returns a Client for the app client clientID of the user pool
// userPoolID (such as "us-east-1_AbC123"), which calls Cognito through api,
// typically a *cognitoidentityprovider.Client.
func New(api API, userPoolID, clientID string, optFns ...func(*Options)) (*Client, error) {
	if api == nil {
		return nil, errors.New("flows: New: nil API")
	}
	return newClient("New", api, userPoolID, clientID, optFns)
}

// newClient is New and NewAdmin, named fn in errors.
func newClient(fn string, api API, userPoolID, clientID string, optFns []func(*Options)) (*Client, error) {
	if _, err := srp.PoolName(userPoolID); err != nil {
		return nil, fmt.Errorf("flows: %s: the user pool id is not of the form region_name", fn)
	}
	if clientID == "" {
		return nil, fmt.Errorf("flows: %s: empty app client id", fn)
	}
	c := &Client{api: api, userPoolID: userPoolID, clientID: clientID}
	for _, fn := range optFns {
		fn(&c.opts)
	}
	c.opts.ClientOptions = slices.Clone(c.opts.ClientOptions)
	c.opts.ClientMetadata = maps.Clone(c.opts.ClientMetadata)
	c.opts.setDefaults()
	return c, nil
}

// UserPoolID returns the user pool id that c was created with.
func (c *Client) UserPoolID() string { return c.userPoolID }

// ClientID returns the app client id that c was created with.
func (c *Client) ClientID() string { return c.clientID }

// options returns a copy of c's Options with optFns applied, for one call:
// the per-call options of [Client.Login] and friends, in the style of
// aws-sdk-go-v2's feature/s3/manager Uploader.Upload.
func (c *Client) options(optFns []func(*Options)) *Options {
	o := c.opts
	o.ClientOptions = slices.Clone(o.ClientOptions)
	o.ClientMetadata = maps.Clone(o.ClientMetadata)
	for _, fn := range optFns {
		fn(&o)
	}
	o.setDefaults()
	return &o
}

func (o *Options) setDefaults() {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.MaxChallenges <= 0 {
		o.MaxChallenges = DefaultMaxChallenges
	}
	if o.SessionValidity <= 0 {
		o.SessionValidity = DefaultSessionValidity
	}
}

// callOptions returns the per-call options for the API: our user agent,
// then o's.
func callOptions(o *Options) []func(*cip.Options) {
	fns := make([]func(*cip.Options), 0, 1+len(o.ClientOptions))
	fns = append(fns, addUserAgent)
	return append(fns, o.ClientOptions...)
}

// singleUseOptions returns the per-call options of a call that uses up a
// Session: RespondToAuthChallenge, and AssociateSoftwareToken and
// VerifySoftwareToken during MFA_SETUP. The SDK's retryer would send the same
// Session and answer again after a 5xx answer, throttling or a dropped
// connection, when Cognito may already have used them up; the retry would
// then fail with a NotAuthorizedException ("session can only be used once")
// that hides the real error. So these calls are made once by the SDK (net/http
// still resends a request that it could not write on a reused connection).
func singleUseOptions(o *Options) []func(*cip.Options) {
	return append(callOptions(o), noRetries)
}

// secretBodyOptions returns fns with, last so that no other option undoes
// it, one that keeps the body of the request out of the SDK's log: for the
// requests whose body holds a secret itself, which Cognito's API asks for
// there — the client secret of GetTokensFromRefreshToken, the password of
// ADMIN_USER_PASSWORD_AUTH, a NEW_PASSWORD or PASSWORD answer. With
// aws.LogRequestWithBody in the SDK client's ClientLogMode, such a request
// is logged without its body (as aws.LogRequest logs it); every other
// request still is logged whole.
func secretBodyOptions(fns []func(*cip.Options)) []func(*cip.Options) {
	return append(fns, func(o *cip.Options) {
		if o.ClientLogMode.IsRequestWithBody() {
			o.ClientLogMode = o.ClientLogMode&^aws.LogRequestWithBody | aws.LogRequest
		}
	})
}

// holdsPassword reports whether auth parameters or challenge responses
// carry a password itself.
func holdsPassword(m map[string]string) bool {
	_, pw := m["PASSWORD"]
	_, np := m["NEW_PASSWORD"]
	return pw || np
}

func noRetries(o *cip.Options) {
	if o.Retryer != nil {
		o.Retryer = retry.AddWithMaxAttempts(o.Retryer, 1)
	}
}

// userAgentKey is the product name that the Client adds to the User-Agent.
const userAgentKey = "cognitosrp"

func addUserAgent(o *cip.Options) {
	o.APIOptions = append(o.APIOptions, awsmiddleware.AddUserAgentKeyValue(userAgentKey, version()))
}

// version is this module's version as recorded in the build information,
// or "devel".
var version = sync.OnceValue(func() string {
	const path = "github.com/cognitosrp/cognitosrp"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := ""
	if bi.Main.Path == path {
		v = bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == path {
			v = d.Version
			if d.Replace != nil && d.Replace.Version != "" {
				v = d.Replace.Version
			}
		}
	}
	if v == "" || v == "(devel)" {
		return "devel"
	}
	return v
})
