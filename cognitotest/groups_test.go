package cognitotest

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestGroups(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.UserPools[0].Groups = []Group{{GroupName: "readers"}}
	cfg.UserPools[0].Users[0].Groups = []string{"readers"}
	h := newHarness(t, cfg)
	a := h.admin()
	pool := aws.String(poolPlain)
	for _, g := range []struct {
		name string
		prec int32
		role string
	}{{"staff", 5, "arn:aws:iam::000000000000:role/staff"}, {"admins", 1, "arn:aws:iam::000000000000:role/admin"}} {
		out, err := a.CreateGroup(h.ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String(g.name), Precedence: aws.Int32(g.prec), RoleArn: aws.String(g.role), Description: aws.String("d")})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Group.GroupName) != g.name || aws.ToInt32(out.Group.Precedence) != g.prec {
			t.Fatalf("%+v", out.Group)
		}
	}
	_, err := a.CreateGroup(h.ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("staff")})
	wantAPIError(t, err, "GroupExistsException", "A group with the name staff already exists.")
	_, err = a.AdminAddUserToGroup(h.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, GroupName: aws.String("nope"), Username: aws.String("alice")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = a.AdminAddUserToGroup(h.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, GroupName: aws.String("staff"), Username: aws.String("nobody")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	for _, g := range []string{"staff", "admins"} {
		if _, err := a.AdminAddUserToGroup(h.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, GroupName: aws.String(g), Username: aws.String("alice")}); err != nil {
			t.Fatal(err)
		}
	}
	res := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
	want := []any{"admins", "staff", "readers"} // by precedence, none last
	for _, tok := range []string{aws.ToString(res.IdToken), aws.ToString(res.AccessToken)} {
		c := parseClaims(t, tok)
		if got, _ := c["cognito:groups"].([]any); !slices.Equal(got, want) {
			t.Errorf("%s token: cognito:groups %v, want %v", c["token_use"], c["cognito:groups"], want)
		}
	}
	id := parseClaims(t, aws.ToString(res.IdToken))
	if id["cognito:preferred_role"] != "arn:aws:iam::000000000000:role/admin" || len(id["cognito:roles"].([]any)) != 2 {
		t.Errorf("roles %v %v", id["cognito:preferred_role"], id["cognito:roles"])
	}
	lg, err := a.AdminListGroupsForUser(h.ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("alice"), Limit: aws.Int32(2)})
	if err != nil || len(lg.Groups) != 2 || lg.NextToken == nil {
		t.Fatalf("%+v %v", lg, err)
	}
	if _, err := a.AdminRemoveUserFromGroup(h.ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteGroup(h.ctx, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}
	// Refreshed tokens follow the membership.
	out, err := h.initiate("plain", "REFRESH_TOKEN_AUTH", map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)})
	if err != nil {
		t.Fatal(err)
	}
	if got := parseClaims(t, aws.ToString(out.Result.IdToken))["cognito:groups"]; !slices.Equal(got.([]any), []any{"staff"}) {
		t.Errorf("after changes: %v", got)
	}
	gg, err := a.GetGroup(h.ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("staff")})
	if err != nil || aws.ToString(gg.Group.Description) != "d" {
		t.Fatalf("%+v %v", gg, err)
	}
	if _, err := a.UpdateGroup(h.ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("staff"), Precedence: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	lu, err := a.ListUsersInGroup(h.ctx, &cip.ListUsersInGroupInput{UserPoolId: pool, GroupName: aws.String("staff")})
	if err != nil || len(lu.Users) != 1 || aws.ToString(lu.Users[0].Username) != "alice" {
		t.Fatalf("%+v %v", lu, err)
	}
	l, err := a.ListGroups(h.ctx, &cip.ListGroupsInput{UserPoolId: pool})
	if err != nil || len(l.Groups) != 2 {
		t.Fatalf("%+v %v", l, err)
	}
	// A user without groups has no cognito:groups claim.
	res = h.tokens(h.srpLogin(poolPlain, "plain", "0f1e2d3c-uuid-user", pw, nil))
	if _, ok := parseClaims(t, aws.ToString(res.AccessToken))["cognito:groups"]; ok {
		t.Error("cognito:groups without groups")
	}
}
