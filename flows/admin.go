package flows

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/secrethash"
)

// AdminAPI is the part of the Cognito user pools API that a [Client] from
// [NewAdmin] calls: [API], whose device and TOTP operations an admin
// sign-in calls as any other, and the two admin sign-in operations, which
// need AWS credentials (IAM permissions cognito-idp:AdminInitiateAuth and
// cognito-idp:AdminRespondToAuthChallenge). *cognitoidentityprovider.Client
// implements it.
//
// It is an interface of its own, rather than two more methods of API, so
// that wrappers and fakes of API for [New] need not implement operations
// they never call.
type AdminAPI interface {
	API
	AdminInitiateAuth(ctx context.Context, params *cip.AdminInitiateAuthInput, optFns ...func(*cip.Options)) (*cip.AdminInitiateAuthOutput, error)
	AdminRespondToAuthChallenge(ctx context.Context, params *cip.AdminRespondToAuthChallengeInput, optFns ...func(*cip.Options)) (*cip.AdminRespondToAuthChallengeOutput, error)
}

var _ AdminAPI = (*cip.Client)(nil)

// ErrAdminRequired means that a sign-in needs the admin operations and the
// [Client] was made with [New] rather than [NewAdmin]: the flow is
// [AdminUserPassword], or the [Pending] given to [Client.Resume] came from
// an admin sign-in (that error also matches [ErrWrongClient]). No call was
// made.
var ErrAdminRequired = errors.New("flows: the sign-in needs a Client from NewAdmin")

// errAdminPending is Resume's error for an admin Pending on a Client from
// New.
var errAdminPending error = adminPendingError{}

type adminPendingError struct{}

func (adminPendingError) Error() string {
	return "flows: the pending step is of an admin sign-in (AdminInitiateAuth); resume it with a Client from NewAdmin"
}

func (adminPendingError) Is(target error) bool {
	return target == ErrWrongClient || target == ErrAdminRequired
}

// NewAdmin returns a Client, like [New], for server-side apps that hold AWS
// credentials: every sign-in goes through AdminInitiateAuth and
// AdminRespondToAuthChallenge, which carry the UserPoolId and are signed
// with the credentials of api (SigV4), instead of the unauthenticated
// InitiateAuth and RespondToAuthChallenge. The app client must allow the
// flows used (ALLOW_USER_SRP_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH,
// ALLOW_REFRESH_TOKEN_AUTH, ...), and the credentials must be allowed the
// two operations.
//
// Everything else is as with New: [Client.Login] and the other flows
// ([UserSRP], [CustomAuth], [UserAuth]) with every challenge, remembered
// devices (DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER are answered
// through AdminRespondToAuthChallenge; ConfirmDevice, UpdateDeviceStatus
// and ForgetDevice take the user's access token and are not signed), the
// step API, whose [Pending] records that the sign-in is an admin one so that
// [Client.Resume] answers it with AdminRespondToAuthChallenge, and
// [Client.Refresh] with [RefreshTokenAuth] in [Options.RefreshWith], which
// then calls AdminInitiateAuth with REFRESH_TOKEN_AUTH
// (GetTokensFromRefreshToken, the default, has no admin form: it is called
// as with New).
// One more flow needs NewAdmin: [AdminUserPassword]
// (ADMIN_USER_PASSWORD_AUTH), which sends the password itself.
//
// The choice is made once, for the Client, because it depends on what api
// is (an SDK client with credentials), which the compiler can check; an app
// that signs in both ways makes two Clients over the same SDK client.
// NewAdmin refuses a *cognitoidentityprovider.Client without credentials
// (nil, or aws.AnonymousCredentials as in the unsigned configuration that
// [New] can use), whose admin calls Cognito would refuse, unless
// [Options.ClientOptions] are given, which may set them.
//
// See the Amazon Cognito API Reference for [AdminInitiateAuth] and
// [AdminRespondToAuthChallenge].
//
// [AdminInitiateAuth]: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html
// [AdminRespondToAuthChallenge]: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRespondToAuthChallenge.html
func NewAdmin(api AdminAPI, userPoolID, clientID string, optFns ...func(*Options)) (*Client, error) {
	if api == nil {
		return nil, errors.New("flows: NewAdmin: nil AdminAPI")
	}
	c, err := newClient("NewAdmin", api, userPoolID, clientID, optFns)
	if err != nil {
		return nil, err
	}
	if sdk, ok := api.(*cip.Client); ok && len(c.opts.ClientOptions) == 0 && !hasCredentials(sdk) {
		return nil, errors.New("flows: NewAdmin: the SDK client has no AWS credentials (nil or aws.AnonymousCredentials), and the admin operations must be signed")
	}
	c.admin = api
	return c, nil
}

// hasCredentials reports whether an SDK client signs its requests: the SDK
// sends them unsigned when its Credentials are nil or
// aws.AnonymousCredentials (which it treats as nil).
func hasCredentials(sdk *cip.Client) bool {
	creds := sdk.Options().Credentials
	return creds != nil && !aws.IsCredentialsProvider(creds, (*aws.AnonymousCredentials)(nil))
}

// AdminUserPassword is the ADMIN_USER_PASSWORD_AUTH flow, as
// [Client.LoginAdminPassword] runs it, for a Client from [NewAdmin].
// Username is what the user typed: the user name or an alias.
//
// Unlike the other flows, it sends the password itself to Cognito (over
// TLS, in the signed AdminInitiateAuth request) rather than an SRP-6a proof
// of it. Prefer [UserSRP], which works with NewAdmin too; use this flow
// for app clients that allow only ALLOW_ADMIN_USER_PASSWORD_AUTH, or for
// users migrated by a user migration Lambda trigger, which needs the
// password. The password is not kept: a [Pending] of this flow does not
// hold it.
type AdminUserPassword struct {
	Username, Password string
}

func (f AdminUserPassword) authFlow() (types.AuthFlowType, string, string) {
	return types.AuthFlowTypeAdminUserPasswordAuth, f.Username, f.Password
}

// LoginAdminPassword signs the user in with ADMIN_USER_PASSWORD_AUTH
// ([AdminUserPassword]), which sends the password to Cognito: see there.
// It needs a Client from [NewAdmin], else it fails with
// [ErrAdminRequired]. Challenges, devices and options are handled as by
// [Client.Login].
func (c *Client) LoginAdminPassword(ctx context.Context, username, password string, optFns ...func(*Options)) (*Result, error) {
	return c.login(ctx, AdminUserPassword{Username: username, Password: password}, optFns)
}

// initiateAuth calls InitiateAuth with in, or AdminInitiateAuth with its
// fields and the UserPoolId in an admin sign-in.
func (s *signIn) initiateAuth(ctx context.Context, in *cip.InitiateAuthInput) (*challengeOut, error) {
	opts := callOptions(s.o)
	if holdsPassword(in.AuthParameters) {
		opts = secretBodyOptions(opts)
	}
	if !s.admin {
		out, err := s.c.api.InitiateAuth(ctx, in, opts...)
		if err != nil {
			return nil, err
		}
		return &challengeOut{
			name: out.ChallengeName, params: out.ChallengeParameters, session: out.Session,
			result: out.AuthenticationResult, avail: out.AvailableChallenges,
		}, nil
	}
	admin, err := s.adminAPI()
	if err != nil {
		return nil, err
	}
	out, err := admin.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{
		UserPoolId:     aws.String(s.c.userPoolID),
		ClientId:       in.ClientId,
		AuthFlow:       in.AuthFlow,
		AuthParameters: in.AuthParameters,
		ClientMetadata: in.ClientMetadata,
	}, opts...)
	if err != nil {
		return nil, err
	}
	return &challengeOut{
		name: out.ChallengeName, params: out.ChallengeParameters, session: out.Session,
		result: out.AuthenticationResult, avail: out.AvailableChallenges,
	}, nil
}

// respondToAuthChallenge calls RespondToAuthChallenge with in, or
// AdminRespondToAuthChallenge with its fields and the UserPoolId in an admin
// sign-in, once (singleUseOptions).
func (s *signIn) respondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput) (*challengeOut, error) {
	// The next answer carries this response's Session, or none.
	opts := singleUseOptions(s.o)
	if holdsPassword(in.ChallengeResponses) {
		opts = secretBodyOptions(opts)
	}
	if !s.admin {
		out, err := s.c.api.RespondToAuthChallenge(ctx, in, opts...)
		if err != nil {
			return nil, err
		}
		return &challengeOut{name: out.ChallengeName, params: out.ChallengeParameters, session: out.Session, result: out.AuthenticationResult}, nil
	}
	admin, err := s.adminAPI()
	if err != nil {
		return nil, err
	}
	out, err := admin.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{
		UserPoolId:         aws.String(s.c.userPoolID),
		ClientId:           in.ClientId,
		ChallengeName:      in.ChallengeName,
		ChallengeResponses: in.ChallengeResponses,
		Session:            in.Session,
		ClientMetadata:     in.ClientMetadata,
	}, opts...)
	if err != nil {
		return nil, err
	}
	return &challengeOut{name: out.ChallengeName, params: out.ChallengeParameters, session: out.Session, result: out.AuthenticationResult}, nil
}

// adminAPI returns the Client's AdminAPI, or ErrAdminRequired. (Start and
// Resume refuse admin sign-ins on a Client from New before any call; this
// keeps a nil interface from being called should that change.)
func (s *signIn) adminAPI() (AdminAPI, error) {
	if s.c.admin == nil {
		return nil, ErrAdminRequired
	}
	return s.c.admin, nil
}

// adminRefresh is refresh with RefreshTokenAuth for a Client from
// NewAdmin: AdminInitiateAuth
// with REFRESH_TOKEN_AUTH. username is the internal user name, or the
// device's.
func (c *Client) adminRefresh(ctx context.Context, o *Options, username, refreshToken string, d *Device) (*Result, error) {
	params := map[string]string{"REFRESH_TOKEN": refreshToken}
	if o.ClientSecret != "" {
		params["SECRET_HASH"] = secrethash.Compute(c.clientID, o.ClientSecret, username)
	}
	if d != nil {
		params["DEVICE_KEY"] = d.DeviceKey
	}
	out, err := c.admin.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{
		UserPoolId:     aws.String(c.userPoolID),
		ClientId:       aws.String(c.clientID),
		AuthFlow:       types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: params,
		ClientMetadata: o.ClientMetadata,
	}, callOptions(o)...)
	if err != nil {
		return nil, refreshError(err)
	}
	ar := out.AuthenticationResult
	if ar == nil && out.ChallengeName != "" {
		return nil, &UnsupportedChallengeError{Name: out.ChallengeName}
	}
	if ar == nil || ar.AccessToken == nil {
		return nil, fmt.Errorf("%w: a refresh answered without tokens", ErrMalformedChallenge)
	}
	res := &Result{AuthenticationResult: ar, Username: usernameFromIDToken(ar.IdToken), Device: d}
	if res.Username == "" {
		res.Username = username
	}
	return res, nil
}
