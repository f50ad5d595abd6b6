package cognitotest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// bigAttrs are 11 standard attributes of 2048 bytes each: each is within
// Cognito's length, all together over the per-user budget of 16 KiB.
func bigAttrs() map[string]string {
	m := map[string]string{}
	for _, a := range []string{"address", "family_name", "given_name", "locale", "middle_name", "name", "nickname", "picture", "profile", "website", "zoneinfo"} {
		m[a] = strings.Repeat("x", 2048)
	}
	return m
}

func attrList(m map[string]string) []types.AttributeType {
	var l []types.AttributeType
	for k, v := range m {
		l = append(l, attr(k, v))
	}
	return l
}

const msgAttrBudget = "The user's attributes exceed the emulator's limit of 64 attributes or 16384 bytes."

// attrSize is the size of u's attributes, as checkAttrBudgetLocked counts.
func attrSize(h *harness, poolID, name string) (int, bool) {
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	u := h.e.pools[poolID].users[name]
	if u == nil {
		return 0, false
	}
	n := 0
	for k, v := range u.attrs {
		n += len(k) + len(v)
	}
	return n, true
}

// TestAttrBudgetNewPassword is the second review's
// TestReview2NewPasswordAttrBudget (item 6): NEW_PASSWORD_REQUIRED's
// userAttributes.* skipped the per-user attribute budget that the other
// write paths checked. Every write now goes through writeAttributesLocked.
func TestAttrBudgetNewPassword(t *testing.T) {
	h := newHarness(t, testConfig())
	ch := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "bob", pw, nil))
	resp := map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "N3w-Passw0rd!"}
	for k, v := range bigAttrs() {
		resp["userAttributes."+k] = v
	}
	_, err := h.respond("plain", "NEW_PASSWORD_REQUIRED", ch.Session, resp)
	wantAPIError(t, err, "InvalidParameterException", msgAttrBudget)
	if n, _ := attrSize(h, poolPlain, "bob"); n > maxUserAttrSize {
		t.Fatalf("bob holds %d bytes of attributes, over the %d that every other write path enforces", n, maxUserAttrSize)
	}
	// The challenge can still be answered within the budget.
	out, err := h.respond("plain", "NEW_PASSWORD_REQUIRED", ch.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "N3w-Passw0rd!", "userAttributes.name": "Bob"})
	h.tokens(out, err)
}

// TestAttrWritePaths checks, for every API path that writes attributes,
// that the writable rule, the per-user budget and the alias rules all
// hold: the same helper, writeAttributesLocked, applies them to each.
func TestAttrWritePaths(t *testing.T) {
	type write func(h *harness, attrs map[string]string) error
	newPasswordWrite := func(h *harness, attrs map[string]string) error {
		ch := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "bob", pw, nil))
		resp := map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "N3w-Passw0rd!", "userAttributes.name": "Bob"}
		for k, v := range attrs {
			resp["userAttributes."+k] = v
		}
		_, err := h.respond("plain", "NEW_PASSWORD_REQUIRED", ch.Session, resp)
		return err
	}
	paths := []struct {
		name       string
		user       string // whose attributes the write changes
		write      write
		notAllowed map[string]string // an attribute the writer may not write
		notCode    string            // and the error it gets
		aliasCode  string            // the error for another user's alias
	}{
		{"SignUp", "newbie", func(h *harness, attrs map[string]string) error {
			_, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("newbie"), Password: aws.String(pw), UserAttributes: attrList(attrs)})
			return err
		}, map[string]string{"email_verified": "true"}, "NotAuthorizedException", "UsernameExistsException"},
		{"UpdateUserAttributes", "0f1e2d3c-uuid-user", func(h *harness, attrs map[string]string) error {
			at := h.tokens(h.srpLogin(poolPlain, "plain", "0f1e2d3c-uuid-user", pw, nil)).AccessToken
			_, err := h.client.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: attrList(attrs)})
			return err
		}, map[string]string{"email_verified": "true"}, "NotAuthorizedException", "AliasExistsException"},
		{"AdminUpdateUserAttributes", "carol", func(h *harness, attrs map[string]string) error {
			_, err := h.admin().AdminUpdateUserAttributes(h.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolPlain), Username: aws.String("carol"), UserAttributes: attrList(attrs)})
			return err
		}, map[string]string{"sub": "x"}, "InvalidParameterException", "AliasExistsException"},
		{"AdminCreateUser", "newhire", func(h *harness, attrs map[string]string) error {
			_, err := h.admin().AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("newhire"), UserAttributes: attrList(attrs), MessageAction: types.MessageActionTypeSuppress})
			return err
		}, map[string]string{"cognito:username": "x"}, "InvalidParameterException", "AliasExistsException"},
		{"NEW_PASSWORD_REQUIRED", "bob", newPasswordWrite, map[string]string{"email_verified": "true"}, "NotAuthorizedException", "AliasExistsException"},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			h := newHarness(t, testConfig())
			before, existed := attrSize(h, poolPlain, p.user)
			wantAPIError(t, p.write(h, bigAttrs()), "InvalidParameterException", msgAttrBudget)
			wantAPIError(t, p.write(h, p.notAllowed), p.notCode, "")
			wantAPIError(t, p.write(h, map[string]string{"preferred_username": "ally"}), p.aliasCode, "")
			if after, exists := attrSize(h, poolPlain, p.user); exists != existed || after != before {
				t.Errorf("refused writes changed %s: %d bytes (existed %v), now %d (exists %v)", p.user, before, existed, after, exists)
			}
			// A write within every rule succeeds.
			if err := p.write(h, map[string]string{"nickname": fmt.Sprintf("nick-%s", p.user)}); err != nil {
				t.Fatal(err)
			}
			h.e.mu.Lock()
			got := h.e.pools[poolPlain].users[p.user].attrs["nickname"]
			h.e.mu.Unlock()
			if got != "nick-"+p.user {
				t.Errorf("nickname %q", got)
			}
		})
	}
}
