package cognitotest

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestOutboxCrossPool is the second review's TestReview2OutboxCrossPool
// (item 5): the outbox was one ring of 1000 messages, so that a
// stranger's unsigned SignUp and ResendConfirmationCode calls in one pool
// pushed out the code alice was sent in another. Each pool keeps its own
// last 1000; Messages still lists all of them oldest first.
func TestOutboxCrossPool(t *testing.T) {
	const other = "us-east-1_Other"
	cfg := testConfig()
	cfg.UserPools = append(cfg.UserPools, UserPool{ID: other, Clients: []AppClient{{ID: "other"}}})
	h := newHarness(t, cfg)
	if _, err := h.client.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	code, ok := h.e.LastCode(poolPlain, "alice")
	if !ok {
		t.Fatal("no code")
	}
	_, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("other"), Username: aws.String("mallory"), Password: aws.String(pw),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("m@example.net")}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range maxOutbox {
		if _, err := h.client.ResendConfirmationCode(h.ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String("other"), Username: aws.String("mallory")}); err != nil {
			t.Fatal(i, err)
		}
	}
	if got, ok := h.e.LastCode(poolPlain, "alice"); !ok || got != code {
		t.Fatalf("pool %s's messages pushed alice's code (pool %s) out of the outbox: %q, %v", other, poolPlain, got, ok)
	}
	msgs := h.e.Messages()
	// alice's code, then the other pool's last 1000 (its SignUp code is
	// gone).
	if len(msgs) != 1+maxOutbox {
		t.Fatalf("%d messages, want %d", len(msgs), 1+maxOutbox)
	}
	if m := msgs[0]; m.UserPoolID != poolPlain || m.Username != "alice" || m.Code != code || m.Reason != ReasonForgotPassword {
		t.Errorf("oldest message %+v, want alice's ForgotPassword code", m)
	}
	for i, m := range msgs[1:] {
		if m.UserPoolID != other || m.Reason != ReasonResendCode {
			t.Fatalf("message %d: %+v, want the other pool's ResendCode", i+1, m)
		}
	}
	if last, _ := h.e.LastCode(other, "mallory"); msgs[len(msgs)-1].Code != last {
		t.Errorf("newest message is not mallory's last code")
	}
	if n := h.e.Stats().Messages; n != 1+maxOutbox {
		t.Errorf("Stats().Messages = %d", n)
	}
	// The HTTP outbox of alice's pool is hers alone.
	out, ok := h.e.outboxFor(poolPlain, "", false)
	if !ok || len(out) != 1 || out[0].Code != code {
		t.Errorf("outbox of %s: %+v, %v", poolPlain, out, ok)
	}
}

// TestOutboxOrderAcrossPools checks that Messages interleaves the pools'
// messages in the order they were sent, and that deleting a pool forgets
// its messages.
func TestOutboxOrderAcrossPools(t *testing.T) {
	const other = "us-east-1_Other"
	cfg := testConfig()
	cfg.UserPools = append(cfg.UserPools, UserPool{ID: other, Clients: []AppClient{{ID: "other"}}})
	h := newHarness(t, cfg)
	var want []string
	for i := range 3 {
		if _, err := h.client.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice")}); err != nil {
			t.Fatal(err)
		}
		want = append(want, poolPlain)
		name := fmt.Sprintf("m%d", i)
		if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("other"), Username: aws.String(name), Password: aws.String(pw),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.net")}}}); err != nil {
			t.Fatal(err)
		}
		want = append(want, other)
	}
	msgs := h.e.Messages()
	if len(msgs) != len(want) {
		t.Fatalf("%d messages, want %d", len(msgs), len(want))
	}
	for i, m := range msgs {
		if m.UserPoolID != want[i] {
			t.Errorf("message %d from %s, want %s", i, m.UserPoolID, want[i])
		}
	}
	if _, err := h.admin().DeleteUserPool(h.ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(other)}); err != nil {
		t.Fatal(err)
	}
	if n := len(h.e.Messages()); n != 3 {
		t.Errorf("%d messages after deleting %s, want alice's 3", n, other)
	}
	if _, ok := h.e.LastCode(other, "m0"); ok {
		t.Error("a deleted pool's code is still in the outbox")
	}
}
