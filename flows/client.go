package flows

import (
	"context"
	"errors"
	"runtime/debug"
	"slices"
	"sync"
	"time"

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
	ForgetDevice(ctx context.Context, params *cip.ForgetDeviceInput, optFns ...func(*cip.Options)) (*cip.ForgetDeviceOutput, error)
	AssociateSoftwareToken(ctx context.Context, params *cip.AssociateSoftwareTokenInput, optFns ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error)
	VerifySoftwareToken(ctx context.Context, params *cip.VerifySoftwareTokenInput, optFns ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error)
}

var _ API = (*cip.Client)(nil)

// DefaultMaxChallenges is the default of [Options.MaxChallenges].
const DefaultMaxChallenges = 20

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
	// choose to remember its device with [RememberDevice].
	RememberNever
)

// Options configures a [Client]. The zero value of every field is a
// working default.
type Options struct {
	// ClientSecret is the app client's secret, for app clients that have
	// one. The Client then sends SECRET_HASH with every request.
	ClientSecret string

	// ClientOptions are passed to every call of the [API], after the
	// Client's own (which add "cognitosrp/<version>" to the User-Agent).
	ClientOptions []func(*cip.Options)

	// Clock returns the current time, for the TIMESTAMP of password and
	// device claims, read when each claim is signed. The default is
	// time.Now.
	Clock func() time.Time

	// DeviceStore keeps remembered devices. When it is nil, devices are
	// neither used nor remembered.
	DeviceStore DeviceStore

	// RememberDevices says which new devices are confirmed and stored.
	RememberDevices RememberPolicy

	// DeviceName is sent as the DeviceName of ConfirmDevice. By default no
	// name is sent.
	DeviceName string

	// Handler answers the challenges that need the user, such as MFA codes
	// or a new password. A sign-in can override it with [WithHandler].
	Handler ChallengeHandler

	// MaxChallenges bounds the number of challenges answered in one
	// sign-in; beyond it the sign-in fails with [ErrChallengeLoop]. The
	// default is [DefaultMaxChallenges].
	MaxChallenges int
}

// Client signs users in to one app client of one Cognito user pool.
//
// A Client is safe for concurrent use by multiple goroutines, provided that
// its API, DeviceStore and Handler are: the Client itself holds no state
// between calls besides its Options. [NewMemoryStore] and [NewFileStore]
// return stores that are safe for concurrent use.
type Client struct {
	api        API
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
	if _, err := srp.PoolName(userPoolID); err != nil {
		return nil, errors.New("flows: New: the user pool id is not of the form region_name")
	}
	if clientID == "" {
		return nil, errors.New("flows: New: empty app client id")
	}
	c := &Client{api: api, userPoolID: userPoolID, clientID: clientID}
	for _, fn := range optFns {
		fn(&c.opts)
	}
	c.opts.ClientOptions = slices.Clone(c.opts.ClientOptions)
	if c.opts.Clock == nil {
		c.opts.Clock = time.Now
	}
	if c.opts.MaxChallenges <= 0 {
		c.opts.MaxChallenges = DefaultMaxChallenges
	}
	return c, nil
}

// UserPoolID returns the user pool id that c was created with.
func (c *Client) UserPoolID() string { return c.userPoolID }

// ClientID returns the app client id that c was created with.
func (c *Client) ClientID() string { return c.clientID }

// A LoginOption changes one sign-in.
type LoginOption func(*loginOptions)

type loginOptions struct {
	handler        ChallengeHandler
	remember       *bool
	deviceName     *string
	clientMetadata map[string]string
	clientOptions  []func(*cip.Options)
}

// WithHandler answers this sign-in's challenges with h instead of
// [Options.Handler]; a web server can pass a handler bound to one request.
func WithHandler(h ChallengeHandler) LoginOption {
	return func(o *loginOptions) { o.handler = h }
}

// RememberDevice overrides [Options.RememberDevices] for this sign-in: with
// true a new device is confirmed, remembered and stored (when there is a
// [DeviceStore]); with false it is not.
func RememberDevice(remember bool) LoginOption {
	return func(o *loginOptions) { o.remember = &remember }
}

// WithDeviceName overrides [Options.DeviceName] for this sign-in.
func WithDeviceName(name string) LoginOption {
	return func(o *loginOptions) { o.deviceName = &name }
}

// WithClientMetadata sends metadata as the ClientMetadata of every
// InitiateAuth and RespondToAuthChallenge request of this sign-in, for the
// user pool's Lambda triggers.
func WithClientMetadata(metadata map[string]string) LoginOption {
	return func(o *loginOptions) { o.clientMetadata = metadata }
}

// WithClientOptions passes fns to every API call of this sign-in, after
// [Options.ClientOptions].
func WithClientOptions(fns ...func(*cip.Options)) LoginOption {
	return func(o *loginOptions) { o.clientOptions = append(o.clientOptions, fns...) }
}

// callOptions returns the per-call options for the API: our user agent,
// then the Client's, then the sign-in's.
func (c *Client) callOptions(lo *loginOptions) []func(*cip.Options) {
	fns := make([]func(*cip.Options), 0, 1+len(c.opts.ClientOptions)+len(lo.clientOptions))
	fns = append(fns, addUserAgent)
	fns = append(fns, c.opts.ClientOptions...)
	return append(fns, lo.clientOptions...)
}

// singleUseOptions returns the per-call options of a call that uses up a
// Session: RespondToAuthChallenge, and AssociateSoftwareToken and
// VerifySoftwareToken during MFA_SETUP. The SDK's retryer would send the same
// Session and answer again after a 5xx answer, throttling or a dropped
// connection, when Cognito may already have used them up; the retry would
// then fail with a NotAuthorizedException ("session can only be used once")
// that hides the real error. So these calls are made once by the SDK (net/http
// still resends a request that it could not write on a reused connection).
func (c *Client) singleUseOptions(lo *loginOptions) []func(*cip.Options) {
	return append(c.callOptions(lo), noRetries)
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
