package cognitotest

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// signingKey is one RSA key that signs tokens, with its kid.
type signingKey struct {
	key    *rsa.PrivateKey
	kid    string
	signer jose.Signer
}

func newSigningKey(key *rsa.PrivateKey) (*signingKey, error) {
	if key.N.BitLen() < 2048 {
		return nil, fmt.Errorf("cognitotest: signing key has %d bits, want at least 2048", key.N.BitLen())
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("cognitotest: signing key: %w", err)
	}
	sum := sha256.Sum256(der)
	kid := base64.StdEncoding.EncodeToString(sum[:])
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, nil)
	if err != nil {
		return nil, fmt.Errorf("cognitotest: signing key: %w", err)
	}
	return &signingKey{key: key, kid: kid, signer: signer}, nil
}

func (k *signingKey) sign(claims map[string]any) (string, error) {
	return jwt.Signed(k.signer).Claims(claims).Serialize()
}

// signingKeys are the server's token signing keys: like Cognito, which
// publishes two keys per pool, it signs ID tokens and access tokens with
// different keys (unless [WithSigningKey] gave it only one).
type signingKeys struct {
	id, access *signingKey
}

func newSigningKeys(id, access *rsa.PrivateKey) (*signingKeys, error) {
	ik, err := newSigningKey(id)
	if err != nil {
		return nil, err
	}
	ak := ik
	if access != id {
		if ak, err = newSigningKey(access); err != nil {
			return nil, err
		}
	}
	return &signingKeys{id: ik, access: ak}, nil
}

// jwks returns the JSON Web Key Set that Cognito serves at
// /<poolId>/.well-known/jwks.json.
func (k *signingKeys) jwks() jose.JSONWebKeySet {
	set := jose.JSONWebKeySet{}
	for _, sk := range []*signingKey{k.id, k.access} {
		if len(set.Keys) == 1 && set.Keys[0].KeyID == sk.kid {
			continue
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &sk.key.PublicKey, KeyID: sk.kid, Algorithm: string(jose.RS256), Use: "sig"})
	}
	return set
}

// authResult is Cognito's AuthenticationResultType.
type authResult struct {
	AccessToken       string             `json:"AccessToken"`
	ExpiresIn         int                `json:"ExpiresIn"`
	IdToken           string             `json:"IdToken"`
	NewDeviceMetadata *newDeviceMetadata `json:"NewDeviceMetadata,omitempty"`
	RefreshToken      string             `json:"RefreshToken,omitempty"`
	TokenType         string             `json:"TokenType"`
}

type newDeviceMetadata struct {
	DeviceGroupKey string `json:"DeviceGroupKey"`
	DeviceKey      string `json:"DeviceKey"`
}

// pendingTokens holds the claims of tokens to sign once e.mu is released.
type pendingTokens struct {
	access, id map[string]any
	expiresIn  int // the access token's lifetime in seconds
	refresh    string
	newDevice  *newDeviceMetadata
}

func (e *Handler) signTokens(pt *pendingTokens) (*authResult, error) {
	at, err := e.keys.access.sign(pt.access)
	if err != nil {
		return nil, fmt.Errorf("cognitotest: signing access token: %w", err)
	}
	it, err := e.keys.id.sign(pt.id)
	if err != nil {
		return nil, fmt.Errorf("cognitotest: signing id token: %w", err)
	}
	return &authResult{
		AccessToken:       at,
		ExpiresIn:         pt.expiresIn,
		IdToken:           it,
		NewDeviceMetadata: pt.newDevice,
		RefreshToken:      pt.refresh,
		TokenType:         "Bearer",
	}, nil
}

// completeSignInLocked ends a sign-in: it creates the grant (and a new device when
// the pool tracks devices and none was used) and prepares the tokens. e.mu
// must be held.
func (e *Handler) completeSignInLocked(rc *reqCtx, s *authSession) *pendingTokens {
	p, u := s.pool, s.user
	pt := &pendingTokens{}
	deviceKey := ""
	if p.tracking != trackingOff {
		if d := u.devices[s.deviceKey]; d != nil {
			deviceKey = d.key
			d.lastAuth = rc.now
			d.lastIP = rc.remoteIP
		} else {
			d := e.newDeviceLocked(u, rc)
			deviceKey = d.key
			pt.newDevice = &newDeviceMetadata{DeviceGroupKey: d.groupKey, DeviceKey: d.key}
		}
	}
	g := &grant{
		originJTI:    newUUID(),
		refreshToken: randomToken(256),
		pool:         p,
		client:       s.client,
		user:         u,
		deviceKey:    deviceKey,
		authTime:     rc.now,
		expires:      rc.now.Add(s.client.tokens.refresh),
		flow:         s.flow,
	}
	e.putGrantLocked(g, rc.now)
	pt.refresh = g.refreshToken
	pt.access, pt.id, pt.expiresIn = e.tokenClaimsLocked(rc, g)
	return pt
}

// newDeviceLocked creates an unconfirmed device for u. e.mu must be held.
func (e *Handler) newDeviceLocked(u *user, rc *reqCtx) *device {
	if len(u.devices) >= maxUserDevices {
		// Forget the oldest unconfirmed device, or else the oldest.
		var oldest *device
		for _, d := range u.devices {
			if oldest == nil || (oldest.confirmed() && !d.confirmed()) ||
				(oldest.confirmed() == d.confirmed() && d.created.Before(oldest.created)) {
				oldest = d
			}
		}
		e.forgetDeviceLocked(u, oldest)
	}
	d := &device{
		key:      e.region + "_" + newUUID(),
		groupKey: u.groupKey,
		created:  rc.now,
		modified: rc.now,
		lastAuth: rc.now,
		lastIP:   rc.remoteIP,
	}
	u.devices[d.key] = d
	return d
}

// tokenClaimsLocked returns the claims of a new access token and id token for g,
// and the access token's lifetime in seconds (ExpiresIn). Their lifetimes
// are the app client's accessTokenValidity and idTokenValidity. e.mu must
// be held.
func (e *Handler) tokenClaimsLocked(rc *reqCtx, g *grant) (access, id map[string]any, expiresIn int) {
	iss := e.issuer(rc, g.pool.id)
	eventID := newUUID()
	iat := rc.now.Unix()
	lt := g.client.tokens
	exp := rc.now.Add(lt.access).Unix()
	access = map[string]any{
		"sub":        g.user.sub,
		"iss":        iss,
		"client_id":  g.client.id,
		"origin_jti": g.originJTI,
		"event_id":   eventID,
		"token_use":  "access",
		"scope":      "aws.cognito.signin.user.admin",
		"auth_time":  g.authTime.Unix(),
		"exp":        exp,
		"iat":        iat,
		"jti":        newUUID(),
		"username":   g.user.name,
	}
	if g.deviceKey != "" {
		access["device_key"] = g.deviceKey
	}
	id = map[string]any{
		"sub":              g.user.sub,
		"iss":              iss,
		"aud":              g.client.id,
		"cognito:username": g.user.name,
		"origin_jti":       g.originJTI,
		"event_id":         eventID,
		"token_use":        "id",
		"auth_time":        g.authTime.Unix(),
		"exp":              rc.now.Add(lt.id).Unix(),
		"iat":              iat,
		"jti":              newUUID(),
	}
	addGroupClaimsLocked(g.user, access, id) // groups.go
	for k, v := range g.user.attrs {
		if _, ok := id[k]; ok {
			continue
		}
		switch k {
		case "email_verified", "phone_number_verified":
			id[k] = v == "true"
		default:
			id[k] = v
		}
	}
	return access, id, int(lt.access / time.Second)
}

// accessClaims are the claims of an access token that the server checks.
type accessClaims struct {
	TokenUse  string `json:"token_use"`
	OriginJTI string `json:"origin_jti"`
	Username  string `json:"username"`
	ClientID  string `json:"client_id"`
	Exp       int64  `json:"exp"`
	DeviceKey string `json:"device_key"`
}

// checkAccessToken verifies an access token (signature, expiry, revocation)
// and returns its grant. e.mu must not be held.
func (e *Handler) checkAccessToken(rc *reqCtx, token string) (*grant, error) {
	if token == "" {
		return nil, nullMember("accessToken")
	}
	t, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, notAuthorized(msgInvalidAccess)
	}
	var c accessClaims
	if err := t.Claims(&e.keys.access.key.PublicKey, &c); err != nil {
		return nil, notAuthorized(msgInvalidAccess)
	}
	if c.TokenUse != "access" || c.OriginJTI == "" {
		return nil, notAuthorized(msgInvalidAccess)
	}
	if rc.now.Unix() >= c.Exp {
		return nil, notAuthorized(msgExpiredAccess)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.grants[c.OriginJTI]
	if g == nil || g.user.name != c.Username {
		return nil, notAuthorized(msgInvalidAccess)
	}
	if g.revoked {
		return nil, notAuthorized(msgRevokedAccess)
	}
	return g, nil
}

type accessTokenInput struct {
	AccessToken string `json:"AccessToken"`
}

// authenticated is the grant of the access token of an operation that
// takes only one (GetUser, GlobalSignOut).
func (e *Handler) authenticated(rc *reqCtx, in *accessTokenInput) (*grant, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	return g, nil
}

// globalSignOut revokes every refresh token of the user, and with them the
// access tokens issued from them.
func (e *Handler) globalSignOut(rc *reqCtx, in *accessTokenInput) (any, error) {
	g, err := e.authenticated(rc, in)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.signOutLocked(g.user, false)
	return struct{}{}, nil
}

type revokeTokenInput struct {
	ClientId     string `json:"ClientId"`
	ClientSecret string `json:"ClientSecret"`
	Token        string `json:"Token"`
}

// revokeToken revokes a refresh token and the access tokens issued from it.
func (e *Handler) revokeToken(rc *reqCtx, in *revokeTokenInput) (any, error) {
	if in.Token == "" {
		return nil, nullMember("token")
	}
	c, aerr := e.lookupClient(in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	if c.secret != "" && !constantTimeEqual(c.secret, in.ClientSecret) {
		return nil, notAuthorized("Client secret is not valid")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.refresh[in.Token]
	if g == nil {
		return struct{}{}, nil // RFC 7009: revoking an unknown token succeeds
	}
	if g.client != c {
		return nil, notAuthorized("Token does not belong to this client")
	}
	g.revoked = true
	return struct{}{}, nil
}
