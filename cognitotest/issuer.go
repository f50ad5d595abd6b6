package cognitotest

import (
	"net"
	"net/http"
)

// issuerOptions say what the iss claim of tokens is.
type issuerOptions struct {
	base    string // WithIssuerBase: the server's URL; empty: from the connection
	cognito bool   // WithCognitoIssuer
}

// localBase returns the server's own URL for a request: the configured base
// or "http://" + the local address of the connection.
func (e *Handler) localBase(r *http.Request) string {
	if e.issuerOpts.base != "" {
		return e.issuerOpts.base
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if ta, ok := a.(*net.TCPAddr); ok {
			return "http://" + ta.String()
		}
	}
	// No connection (a handler called directly, as with httptest.Recorder).
	return "http://localhost"
}

// issuer returns the iss claim of the tokens of a pool.
func (e *Handler) issuer(rc *reqCtx, poolID string) string {
	if e.issuerOpts.cognito {
		return "https://cognito-idp." + e.region + ".amazonaws.com/" + poolID
	}
	return rc.issuerBase + "/" + poolID
}

// openIDConfiguration is the document at
// /<poolId>/.well-known/openid-configuration, with the members Cognito's
// has. Its jwks_uri is the local key set whatever the issuer. The OAuth
// endpoints it lists (those of a user pool domain, see
// https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html)
// are not served: the hosted UI is not modeled.
func (e *Handler) openIDConfiguration(base, poolID string) map[string]any {
	iss := e.issuer(&reqCtx{issuerBase: base}, poolID)
	return map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              base + "/" + poolID + "/.well-known/jwks.json",
		"authorization_endpoint":                base + "/oauth2/authorize",
		"token_endpoint":                        base + "/oauth2/token",
		"userinfo_endpoint":                     base + "/oauth2/userInfo",
		"revocation_endpoint":                   base + "/oauth2/revoke",
		"end_session_endpoint":                  base + "/logout",
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "token"},
		"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
		"subject_types_supported":               []string{"public"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	}
}
