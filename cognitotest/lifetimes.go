package cognitotest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Token lifetimes and refresh token rotation of an app client, as
// CreateUserPoolClient sets them
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html,
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html):
// access and ID tokens last 1 hour by default and 5 minutes to 1 day; refresh
// tokens 30 days by default and 60 minutes to 10 years. The default units are
// hours, hours and days.
const (
	defaultAccessValidity  = tokenLifetime
	defaultIDValidity      = tokenLifetime
	defaultRefreshValidity = refreshLifetime
	minTokenValidity       = 5 * time.Minute
	maxTokenValidity       = 24 * time.Hour
	minRefreshValidity     = 60 * time.Minute
	maxRefreshValidity     = 3650 * 24 * time.Hour
	maxRetryGracePeriod    = 60 // seconds
)

var (
	timeUnits        = map[string]time.Duration{"seconds": time.Second, "minutes": time.Minute, "hours": time.Hour, "days": 24 * time.Hour}
	timeUnitNames    = []string{"seconds", "minutes", "hours", "days"}
	rotationFeatures = []string{"ENABLED", "DISABLED"}
)

// clientTokens is the parsed token configuration of an app client.
type clientTokens struct {
	access, id, refresh time.Duration
	rotate              bool          // refresh token rotation ENABLED
	grace               time.Duration // RetryGracePeriodSeconds
}

// fieldError is a problem with one field of an AppClient, named by its JSON
// path relative to the client.
type fieldError struct{ field, msg string }

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

// parseClientTokens turns the token fields of an app client's configuration
// into durations, or reports the fields that are out of Cognito's ranges
// (as a join of *fieldError).
func parseClientTokens(cl AppClient) (clientTokens, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &fieldError{field, fmt.Sprintf(format, args...)})
	}
	units := TokenValidityUnits{}
	if cl.TokenValidityUnits != nil {
		units = *cl.TokenValidityUnits
	}
	unit := func(field, name string, def time.Duration) (time.Duration, bool) {
		if name == "" {
			return def, true
		}
		u, ok := timeUnits[name]
		if !ok {
			bad("tokenValidityUnits."+field, "%q is not one of %s", name, strings.Join(timeUnitNames, ", "))
		}
		return u, ok
	}
	validity := func(field string, v int, u time.Duration, unitOK bool, def, lo, hi time.Duration) time.Duration {
		switch {
		case v == 0:
			return def
		case v < 0:
			bad(field, "%d is negative", v)
			return def
		case !unitOK:
			return def
		case int64(v) > int64(hi/u):
			bad(field, "%d %s is more than %s", v, unitName(u), fmtDuration(hi))
			return def
		}
		d := time.Duration(v) * u
		if d < lo {
			bad(field, "%d %s is less than %s", v, unitName(u), fmtDuration(lo))
			return def
		}
		return d
	}
	var t clientTokens
	au, aok := unit("accessToken", units.AccessToken, time.Hour)
	iu, iok := unit("idToken", units.IdToken, time.Hour)
	ru, rok := unit("refreshToken", units.RefreshToken, 24*time.Hour)
	t.access = validity("accessTokenValidity", cl.AccessTokenValidity, au, aok, defaultAccessValidity, minTokenValidity, maxTokenValidity)
	t.id = validity("idTokenValidity", cl.IdTokenValidity, iu, iok, defaultIDValidity, minTokenValidity, maxTokenValidity)
	t.refresh = validity("refreshTokenValidity", cl.RefreshTokenValidity, ru, rok, defaultRefreshValidity, minRefreshValidity, maxRefreshValidity)
	if r := cl.RefreshTokenRotation; r != nil {
		switch r.Feature {
		case "":
			bad("refreshTokenRotation.feature", "empty (one of %s)", strings.Join(rotationFeatures, ", "))
		case "ENABLED":
			t.rotate = true
		case "DISABLED":
		default:
			bad("refreshTokenRotation.feature", "%q is not one of %s", r.Feature, strings.Join(rotationFeatures, ", "))
		}
		if r.RetryGracePeriodSeconds < 0 || r.RetryGracePeriodSeconds > maxRetryGracePeriod {
			bad("refreshTokenRotation.retryGracePeriodSeconds", "%d is not between 0 and %d", r.RetryGracePeriodSeconds, maxRetryGracePeriod)
		} else {
			t.grace = time.Duration(r.RetryGracePeriodSeconds) * time.Second
		}
		// "Refresh token rotation isn't compatible with the authentication
		// flow REFRESH_TOKEN_AUTH. To implement refresh token rotation, you
		// must disable this authentication flow in your app client."
		// (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html)
		if t.rotate {
			if k := slices.Index(cl.ExplicitAuthFlows, flowAllowRefresh); k >= 0 {
				bad(fmt.Sprintf("explicitAuthFlows[%d]", k), "%s cannot be enabled with refresh token rotation (refreshTokenRotation.feature ENABLED)", flowAllowRefresh)
			}
		}
	}
	return t, errors.Join(errs...)
}

// clientAuthFlows returns the explicit auth flows of a client: the
// configured ones or the defaults, which leave out ALLOW_REFRESH_TOKEN_AUTH
// when the client rotates refresh tokens.
func clientAuthFlows(cl AppClient, t clientTokens) []string {
	if len(cl.ExplicitAuthFlows) > 0 {
		return cl.ExplicitAuthFlows
	}
	if t.rotate {
		return slices.DeleteFunc(slices.Clone(defaultAuthFlows), func(f string) bool { return f == flowAllowRefresh })
	}
	return defaultAuthFlows
}

func unitName(u time.Duration) string {
	for name, d := range timeUnits {
		if d == u {
			return name
		}
	}
	return u.String()
}

// fmtDuration writes the bounds of the ranges the way Cognito's guide does.
func fmtDuration(d time.Duration) string {
	n, unit := int64(d/time.Minute), "minute"
	switch {
	case d%(24*time.Hour) == 0:
		n, unit = int64(d/(24*time.Hour)), "day"
	case d%time.Hour == 0:
		n, unit = int64(d/time.Hour), "hour"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}
