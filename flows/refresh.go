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

// ErrSignInRequired means that Cognito refused a refresh token: it is
// invalid, expired, revoked, already rotated out (refresh token rotation),
// bound to a device that was forgotten, or its user is gone. Refreshing
// again cannot help; the user must sign in again. [Client.Refresh] and
// [TokenSource] return it wrapped together with Cognito's error, so that
// errors.Is(err, ErrSignInRequired) and errors.As(err, &notAuthorized) (a
// *types.NotAuthorizedException) both hold.
var ErrSignInRequired = errors.New("flows: the refresh token was refused; sign in again")

// RefreshMethod is the operation that [Client.Refresh] calls, in
// [Options.RefreshWith].
type RefreshMethod int

const (
	// RefreshGetTokens, the default, refreshes with
	// GetTokensFromRefreshToken, which sends the client secret itself
	// rather than a SECRET_HASH, and which app clients with refresh token
	// rotation require: it then returns a new refresh token.
	RefreshGetTokens RefreshMethod = iota
	// RefreshTokenAuth refreshes with InitiateAuth REFRESH_TOKEN_AUTH, for
	// servers that lack GetTokensFromRefreshToken. App clients with
	// refresh token rotation refuse it.
	RefreshTokenAuth
)

// String returns the constant's name without "Refresh", such as
// "GetTokens".
func (m RefreshMethod) String() string {
	switch m {
	case RefreshGetTokens:
		return "GetTokens"
	case RefreshTokenAuth:
		return "TokenAuth"
	}
	return fmt.Sprintf("RefreshMethod(%d)", int(m))
}

// Refresh gets new ID and access tokens for a refresh token, with
// GetTokensFromRefreshToken or, as [Options.RefreshWith] says, with
// REFRESH_TOKEN_AUTH ([RefreshGetTokens], [RefreshTokenAuth]).
//
// username is the user's internal user name ([Result.Username]); with a
// [DeviceStore], an alias under which the user's device is stored works
// too. GetTokensFromRefreshToken needs it only to find the device;
// REFRESH_TOKEN_AUTH also puts it in the SECRET_HASH when the app client
// has a secret. The user's remembered device, if any, is sent as the device
// key, which Cognito requires for refresh tokens issued to a remembered
// device. If Cognito answers that it no longer knows the device
// (ResourceNotFoundException), Refresh tries once more without it and, if
// that succeeds, forgets it ([Result.DeviceForgotten]).
//
// When the app client rotates refresh tokens, the Result's
// AuthenticationResult.RefreshToken is the new refresh token, and the one
// presented stops working after the client's grace period: the caller must
// keep the new one. [TokenSource] does.
//
// When Cognito refuses the refresh token (NotAuthorizedException,
// RefreshTokenReuseException, UserNotFoundException), the error wraps
// [ErrSignInRequired] and Cognito's error.
//
// A Client from [NewAdmin] calls AdminInitiateAuth for REFRESH_TOKEN_AUTH.
//
// optFns change the Client's [Options] for this call; of them,
// ClientSecret, ClientOptions, ClientMetadata, DeviceStore and RefreshWith
// apply.
func (c *Client) Refresh(ctx context.Context, username, refreshToken string, optFns ...func(*Options)) (*Result, error) {
	o := c.options(optFns)
	var d *Device
	if o.DeviceStore != nil {
		var err error
		if d, err = o.DeviceStore.Get(ctx, c.userPoolID, username); err != nil {
			return nil, fmt.Errorf("flows: device store: %w", err)
		}
	}
	res, err := c.refresh(ctx, o, username, refreshToken, d)
	if err == nil || d == nil || !isResourceNotFound(err) {
		return res, err
	}
	res, err = c.refresh(ctx, o, d.Username, refreshToken, nil)
	if err != nil {
		return nil, err
	}
	res.DeviceForgotten = true
	if derr := o.DeviceStore.Delete(ctx, c.userPoolID, d.DeviceKey); derr != nil {
		return res, &DeviceError{Op: "forget", Err: derr}
	}
	return res, nil
}

func (c *Client) refresh(ctx context.Context, o *Options, username, refreshToken string, d *Device) (*Result, error) {
	if d != nil {
		username = d.Username
	}
	var ar *types.AuthenticationResultType
	switch o.RefreshWith {
	case RefreshGetTokens:
		in := &cip.GetTokensFromRefreshTokenInput{
			ClientId:       aws.String(c.clientID),
			RefreshToken:   aws.String(refreshToken),
			ClientMetadata: o.ClientMetadata,
		}
		if o.ClientSecret != "" {
			// The secret itself: "ClientSecret: The client secret of the
			// requested app client, if the client has a secret" (API
			// reference, GetTokensFromRefreshToken).
			in.ClientSecret = aws.String(o.ClientSecret)
		}
		if d != nil {
			in.DeviceKey = aws.String(d.DeviceKey)
		}
		opts := callOptions(o)
		if in.ClientSecret != nil {
			opts = secretBodyOptions(opts)
		}
		out, err := c.api.GetTokensFromRefreshToken(ctx, in, opts...)
		if err != nil {
			return nil, refreshError(err)
		}
		ar = out.AuthenticationResult
	case RefreshTokenAuth:
		if c.admin != nil {
			return c.adminRefresh(ctx, o, username, refreshToken, d)
		}
		params := map[string]string{"REFRESH_TOKEN": refreshToken}
		if o.ClientSecret != "" {
			params["SECRET_HASH"] = secrethash.Compute(c.clientID, o.ClientSecret, username)
		}
		if d != nil {
			params["DEVICE_KEY"] = d.DeviceKey
		}
		out, err := c.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow:       types.AuthFlowTypeRefreshTokenAuth,
			ClientId:       aws.String(c.clientID),
			AuthParameters: params,
			ClientMetadata: o.ClientMetadata,
		}, callOptions(o)...)
		if err != nil {
			return nil, refreshError(err)
		}
		if out.AuthenticationResult == nil && out.ChallengeName != "" {
			return nil, &UnsupportedChallengeError{Name: out.ChallengeName}
		}
		ar = out.AuthenticationResult
	default:
		return nil, fmt.Errorf("flows: Refresh: unknown %v", o.RefreshWith)
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

// refreshError wraps an error of a refresh, with [ErrSignInRequired] when
// Cognito refused the refresh token.
func refreshError(err error) error {
	if isRefused(err) {
		return fmt.Errorf("%w: %w", ErrSignInRequired, err)
	}
	return fmt.Errorf("flows: %w", err)
}

// isRefused reports whether err is Cognito's refusal of a refresh token:
// NotAuthorizedException ("Invalid Refresh Token", "Refresh Token has
// expired", "Refresh Token has been revoked"), RefreshTokenReuseException
// (the SDK: "a refresh token that has been invalidated by refresh-token
// rotation") or UserNotFoundException.
func isRefused(err error) bool {
	var (
		nae   *types.NotAuthorizedException
		reuse *types.RefreshTokenReuseException
		unf   *types.UserNotFoundException
	)
	return errors.As(err, &nae) || errors.As(err, &reuse) || errors.As(err, &unf)
}
