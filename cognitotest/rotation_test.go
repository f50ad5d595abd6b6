package cognitotest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// TestRotationBounded rotates one sign-in's refresh token many times: the
// emulator keeps at most maxGrantTokens of its tokens, answers a forgotten
// one as invalid, and purges them all with the sign-in.
func TestRotationBounded(t *testing.T) {
	t.Parallel()
	cfg := Config{Region: "us-east-1", UserPools: []UserPool{{ID: poolPlain, Clients: []AppClient{
		{ID: "rot", RefreshTokenRotation: &RefreshTokenRotation{Feature: "ENABLED", RetryGracePeriodSeconds: 60}},
	}, Users: []User{{Username: "alice", Password: pw}}}}}
	h := newHarness(t, cfg)
	res := h.tokens(h.srpLogin(poolPlain, "rot", "alice", pw, nil))
	first := aws.ToString(res.RefreshToken)
	rt := first
	var issued []string
	const n = 3 * maxGrantTokens
	for i := range n {
		out, err := h.client.GetTokensFromRefreshToken(h.ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String("rot"), RefreshToken: aws.String(rt)})
		if err != nil {
			t.Fatalf("rotation %d: %v", i, err)
		}
		rt = aws.ToString(out.AuthenticationResult.RefreshToken)
		issued = append(issued, rt)
	}
	h.e.mu.Lock()
	tokens, grants := len(h.e.refresh), len(h.e.grants)
	h.e.mu.Unlock()
	if grants != 1 || tokens > maxGrantTokens+1 {
		t.Errorf("%d grants and %d refresh tokens after %d rotations", grants, tokens, n)
	}
	// The first rotated token was forgotten, though within its grace
	// period: invalid. The sign-in's own token, still in its grace period,
	// and the last one work.
	_, err := h.client.GetTokensFromRefreshToken(h.ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String("rot"), RefreshToken: aws.String(issued[0])})
	wantAPIError(t, err, "NotAuthorizedException", msgInvalidRefreshGT)
	for _, tok := range []string{first, rt} {
		if _, err := h.client.GetTokensFromRefreshToken(h.ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String("rot"), RefreshToken: aws.String(tok)}); err != nil {
			t.Errorf("remembered token: %v", err)
		}
	}
	h.clock.advance(refreshLifetime + usedRetention + purgeInterval)
	h.raw(target+"InitiateAuth", `{}`)
	h.e.mu.Lock()
	tokens, grants = len(h.e.refresh), len(h.e.grants)
	h.e.mu.Unlock()
	if grants != 0 || tokens != 0 {
		t.Errorf("after expiry: %d grants, %d refresh tokens", grants, tokens)
	}
	_, err = h.client.GetTokensFromRefreshToken(h.ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String("rot"), RefreshToken: aws.String(rt)})
	wantAPIError(t, err, "NotAuthorizedException", msgInvalidRefreshGT)
}
