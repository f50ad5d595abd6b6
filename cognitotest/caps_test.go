package cognitotest

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// elevenPools is a config of 11 pools P00..P10 with one app client each,
// c00..c10, and no users.
func elevenPools() Config {
	cfg := Config{Region: "us-east-1"}
	for i := range 11 {
		cfg.UserPools = append(cfg.UserPools, UserPool{ID: fmt.Sprintf("us-east-1_P%02d", i), Clients: []AppClient{{ID: fmt.Sprintf("c%02d", i)}}})
	}
	return cfg
}

// TestCapsTenPoolsFillUsers is the second review's TestReview2TenPoolsFillUsers
// (item 4): with 10 users per pool and 100 in all, ten pools' unsigned
// SignUps reached the total and the eleventh pool's first SignUp was
// refused. A pool below its fair share (total / pools) may still add, up
// to the ceiling of twice the total.
func TestCapsTenPoolsFillUsers(t *testing.T) {
	h := newHarness(t, elevenPools(), withLimits(limits{poolUsers: 10, users: 100}))
	signUp := func(client, name string) error {
		_, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String(name), Password: aws.String(pw)})
		return err
	}
	for i := range 10 {
		for j := range 10 {
			if err := signUp(fmt.Sprintf("c%02d", i), fmt.Sprintf("m%d", j)); err != nil {
				t.Fatal(i, j, err)
			}
		}
	}
	// 100 users in 11 pools: P10's share is 100/11 = 9.
	for j := range 9 {
		if err := signUp("c10", fmt.Sprintf("victim%d", j)); err != nil {
			t.Fatalf("pool P10's user %d refused after ten other pools' SignUps: %v", j, err)
		}
	}
	err := signUp("c10", "beyond")
	wantAPIError(t, err, "LimitExceededException", "The emulator holds 109 users, its limit, and the user pool its share of them.")
	// A full pool stays refused at its own cap, the others beyond the total.
	wantAPIError(t, signUp("c00", "more"), "LimitExceededException", "The user pool holds 10 users, the emulator's limit per pool.")
}

// TestCapsCeiling checks the hard ceiling of twice the total: with many
// pools each at its share, the sum never passes 2*total. 11 pools, 3 per
// pool, 10 in all: shares of 10/11 = 0 let no pool add beyond the total,
// and a total of 22 with 11 pools (share 2) lets each reach 2 beyond it,
// at most 2*22 = 44 (here 11*3 = 33 is the most the per-pool cap allows).
func TestCapsCeiling(t *testing.T) {
	h := newHarness(t, elevenPools(), withLimits(limits{poolUsers: 3, users: 10}))
	n := 0
	for i := range 11 {
		for j := range 3 {
			if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String(fmt.Sprintf("c%02d", i)), Username: aws.String(fmt.Sprintf("m%d", j)), Password: aws.String(pw)}); err == nil {
				n++
			}
		}
	}
	if n != 10 {
		t.Errorf("%d users with a total of 10 and shares of 0, want 10", n)
	}

	h = newHarness(t, elevenPools(), withLimits(limits{poolUsers: 3, users: 22}))
	n = 0
	for i := range 11 {
		for j := range 3 {
			if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String(fmt.Sprintf("c%02d", i)), Username: aws.String(fmt.Sprintf("m%d", j)), Password: aws.String(pw)}); err == nil {
				n++
			}
		}
	}
	// Pools P00..P06 fill to 3 (21), P07 adds 1 (22 = total), then P07
	// (1 < share 2) adds 1 more, P08..P10 two each: 22 + 1 + 6 = 29.
	if n != 29 {
		t.Errorf("%d users with a total of 22 and shares of 2, want 29", n)
	}
}

// TestCapsTenPoolsFillGroups and TestCapsTenPoolsFillClients are item 4
// for groups and app clients, which share checkCapLocked.
func TestCapsTenPoolsFillGroups(t *testing.T) {
	h := newHarness(t, elevenPools(), withLimits(limits{poolGroups: 10, groups: 100}))
	adm := h.admin()
	for i := range 11 {
		for j := range 10 {
			if i == 10 && j == 9 {
				break
			}
			if _, err := adm.CreateGroup(h.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(fmt.Sprintf("us-east-1_P%02d", i)), GroupName: aws.String(fmt.Sprintf("g%d", j))}); err != nil {
				t.Fatalf("pool P%02d's group %d: %v", i, j, err)
			}
		}
	}
	_, err := adm.CreateGroup(h.ctx, &cip.CreateGroupInput{UserPoolId: aws.String("us-east-1_P10"), GroupName: aws.String("beyond")})
	wantAPIError(t, err, "LimitExceededException", "The emulator holds 109 groups, its limit, and the user pool its share of them.")
}

func TestCapsTenPoolsFillClients(t *testing.T) {
	// Each pool has one app client from the config: 9 more fill it to 10.
	h := newHarness(t, elevenPools(), withLimits(limits{poolClients: 10, clients: 101}))
	adm := h.admin()
	for i := range 10 {
		for j := range 9 {
			if _, err := adm.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(fmt.Sprintf("us-east-1_P%02d", i)), ClientName: aws.String(fmt.Sprintf("c%d", j))}); err != nil {
				t.Fatalf("pool P%02d's client %d: %v", i, j, err)
			}
		}
	}
	// 101 clients (the total) in 11 pools: P10 holds 1 of its share of 9.
	for j := range 8 {
		if _, err := adm.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String("us-east-1_P10"), ClientName: aws.String(fmt.Sprintf("c%d", j))}); err != nil {
			t.Fatalf("pool P10's client %d refused after ten other pools filled theirs: %v", j, err)
		}
	}
	_, err := adm.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String("us-east-1_P10"), ClientName: aws.String("beyond")})
	wantAPIError(t, err, "LimitExceededException", "The emulator holds 109 app clients, its limit, and the user pool its share of them.")
}
