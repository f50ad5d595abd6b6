package cognitotest

import (
	"time"
)

// Refresh tokens: REFRESH_TOKEN_AUTH (InitiateAuth) and
// GetTokensFromRefreshToken, refresh token rotation and refresh tokens bound
// to devices.
//
// Sources:
//   - https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
//   - https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html
//   - https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
//   - https://repost.aws/knowledge-center/cognito-invalid-refresh-token-error

const (
	errRefreshTokenReuse = "RefreshTokenReuseException"

	// msgInvalidRefreshGT is GetTokensFromRefreshToken's wording, with the
	// full stop, as seen in aws/aws-sdk-js-v3#7162.
	msgInvalidRefreshGT = "Invalid Refresh Token."
	msgExpiredRefresh   = "Refresh Token has expired"
	// msgReusedRefresh is not Cognito's wording, which is not documented.
	msgReusedRefresh = "Refresh Token has been rotated and can no longer be used"
)

// maxGrantTokens bounds the refresh tokens that rotation issues for one
// sign-in and that the server remembers (to answer reuse with
// RefreshTokenReuseException): beyond it, the oldest is forgotten and
// answered as an invalid refresh token.
const maxGrantTokens = 16

// refreshRequest is a refresh by either operation.
type refreshRequest struct {
	getTokens  bool   // GetTokensFromRefreshToken, else REFRESH_TOKEN_AUTH
	token      string // the refresh token
	deviceKey  string
	secretHash string // REFRESH_TOKEN_AUTH's SECRET_HASH
}

type getTokensInput struct {
	ClientId       string            `json:"ClientId"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
	ClientSecret   string            `json:"ClientSecret"`
	DeviceKey      string            `json:"DeviceKey"`
	RefreshToken   string            `json:"RefreshToken"`
}

type getTokensOutput struct {
	AuthenticationResult *authResult `json:"AuthenticationResult"`
}

// getTokensFromRefreshToken answers GetTokensFromRefreshToken: new ID and
// access tokens, and with rotation ENABLED a new refresh token. It is
// unsigned, like InitiateAuth. A client with a secret must send the secret
// itself as ClientSecret (not a SECRET_HASH).
func (e *Handler) getTokensFromRefreshToken(rc *reqCtx, in *getTokensInput) (any, error) {
	if in.RefreshToken == "" {
		return nil, nullMember("refreshToken")
	}
	c, aerr := e.lookupClient(in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	if c.secret != "" {
		// Cognito's wording when a secret is missing, as reported in
		// furaiev/amazon-cognito-identity-dart-2#164; the wording for a
		// wrong secret is RevokeToken's.
		if in.ClientSecret == "" {
			return nil, notAuthorized("Client " + c.id + " is configured for secret but secret was not received")
		}
		if !constantTimeEqual(c.secret, in.ClientSecret) {
			return nil, notAuthorized("Client secret is not valid")
		}
	}
	out, err := e.refreshTokens(rc, c, refreshRequest{getTokens: true, token: in.RefreshToken, deviceKey: in.DeviceKey})
	if err != nil {
		return nil, err
	}
	return getTokensOutput{AuthenticationResult: out}, nil
}

// refreshAuth is REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN): new
// access and ID tokens for a refresh token, which stays the same.
func (e *Handler) refreshAuth(rc *reqCtx, c *appClient, ap map[string]string) (any, error) {
	if ap["REFRESH_TOKEN"] == "" {
		return nil, missingParam("REFRESH_TOKEN")
	}
	if c.secret != "" && ap["SECRET_HASH"] == "" {
		return nil, checkSecretHash(c, "")
	}
	res, err := e.refreshTokens(rc, c, refreshRequest{token: ap["REFRESH_TOKEN"], deviceKey: ap["DEVICE_KEY"], secretHash: ap["SECRET_HASH"]})
	if err != nil {
		return nil, err
	}
	return &authOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

// refreshTokens checks a refresh token for client c and issues new tokens.
func (e *Handler) refreshTokens(rc *reqCtx, c *appClient, rq refreshRequest) (*authResult, error) {
	pt, aerr := e.checkRefresh(rc, c, rq)
	if aerr != nil {
		return nil, aerr
	}
	return e.signTokens(pt)
}

// checkRefresh does the checks and bookkeeping of a refresh and returns the
// tokens to sign. It takes e.mu.
func (e *Handler) checkRefresh(rc *reqCtx, c *appClient, rq refreshRequest) (*pendingTokens, error) {
	invalid := notAuthorized(msgInvalidRefresh)
	if rq.getTokens {
		invalid = notAuthorized(msgInvalidRefreshGT)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.refresh[rq.token]
	if g == nil || g.client != c {
		// Another app client's token is invalid too, as the knowledge-center
		// article lists.
		return nil, invalid
	}
	if g.user.disabled {
		// AdminDisableUser also revokes the user's tokens; a disabled user
		// is told so first, as at sign-in (signInStateLocked).
		return nil, notAuthorized(msgUserDisabled)
	}
	if g.revoked {
		return nil, notAuthorized(msgRevokedRefresh)
	}
	if rc.now.After(g.expires) {
		return nil, notAuthorized(msgExpiredRefresh)
	}
	if until, ok := g.retired[rq.token]; ok && rc.now.After(until) {
		// Rotated out and past RetryGracePeriodSeconds: the SDK documents
		// RefreshTokenReuseException for "a refresh token that has been
		// invalidated by refresh-token rotation".
		return nil, newError(errRefreshTokenReuse, msgReusedRefresh)
	}
	if !refreshDeviceOKLocked(g, rq.deviceKey) {
		return nil, invalid
	}
	if !rq.getTokens {
		if c.tokens.rotate {
			// Not reached with a valid config, which keeps
			// ALLOW_REFRESH_TOKEN_AUTH off under rotation.
			return nil, invalidParam("Refresh Token Flow not enabled for this client")
		}
		if err := checkSecretHash(c, rq.secretHash, g.user.name, g.user.sub); err != nil {
			return nil, err
		}
	}
	if d := g.user.devices[g.deviceKey]; d != nil {
		d.lastAuth = rc.now
		d.lastIP = rc.remoteIP
	}
	pt := &pendingTokens{}
	pt.access, pt.id, pt.expiresIn = e.tokenClaimsLocked(rc, g)
	if rq.getTokens && c.tokens.rotate {
		pt.refresh = e.rotateLocked(rc, g, rq.token)
	}
	return pt, nil
}

// refreshDeviceOKLocked applies the rules for refresh tokens in a pool that
// tracks devices, from AWS's "Invalid Refresh Token" troubleshooting
// article (https://repost.aws/knowledge-center/cognito-invalid-refresh-token-error)
// and the developer guide ("When device remembering is enabled in your user
// pool, you must provide the device key in GetTokensFromRefreshToken
// requests"): the refresh must name the device of the sign-in, which must
// be confirmed (ConfirmDevice) and not forgotten, and the sign-in must not
// have been USER_PASSWORD_AUTH. In a pool without device tracking, a device
// key that is sent must still be the sign-in's (none). Failing any of these
// is "Invalid Refresh Token". e.mu must be held.
func refreshDeviceOKLocked(g *grant, deviceKey string) bool {
	if g.pool.tracking == trackingOff {
		return deviceKey == "" || deviceKey == g.deviceKey
	}
	d := g.user.devices[g.deviceKey]
	return g.flow != "USER_PASSWORD_AUTH" && deviceKey != "" && deviceKey == g.deviceKey &&
		d != nil && d.confirmed()
}

// rotateLocked issues a new refresh token for g and retires the presented
// one, which stays usable for the client's grace period (if it was not
// retired already). The new token expires with the original, as the
// developer guide says (new refresh tokens are valid for the time that
// remains of the original). e.mu must be held.
func (e *Handler) rotateLocked(rc *reqCtx, g *grant, presented string) string {
	if g.retired == nil {
		g.retired = map[string]time.Time{}
	}
	if _, ok := g.retired[presented]; !ok {
		g.retired[presented] = rc.now.Add(g.client.tokens.grace)
	}
	nt := randomToken(256)
	e.refresh[nt] = g
	g.issued = append(g.issued, nt)
	if len(g.issued) > maxGrantTokens {
		old := g.issued[0]
		g.issued = g.issued[1:]
		delete(e.refresh, old)
		delete(g.retired, old)
	}
	return nt
}
