package cognitotest

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Reasons a message was sent, as [Message.Reason] and the HTTP outbox name
// them.
const (
	ReasonSignUp              = "SignUp"
	ReasonResendCode          = "ResendCode"
	ReasonForgotPassword      = "ForgotPassword"
	ReasonAdminCreateUser     = "AdminCreateUser"
	ReasonMFA                 = "MFA"
	ReasonOTP                 = "OTP"
	ReasonVerifyUserAttribute = "VerifyUserAttribute"
)

// Message is a message that the server "delivered" by SMS or email: a
// code, or for an invitation (AdminCreateUser) the temporary password.
type Message struct {
	// UserPoolID and Username (the internal name) say whom it was sent to.
	UserPoolID, Username string
	// Medium is "SMS" or "EMAIL".
	Medium string
	// Destination is the phone number or email address.
	Destination string
	// Reason is why it was sent: "SignUp", "ResendCode", "ForgotPassword"
	// (also AdminResetUserPassword), "AdminCreateUser" (the invitation),
	// "MFA" (SMS_MFA, EMAIL_OTP as a second factor), "OTP" (USER_AUTH's
	// EMAIL_OTP or SMS_OTP first factor) or "VerifyUserAttribute".
	Reason string
	// Challenge is the challenge the code answers, such as "SMS_MFA", for
	// the reasons MFA and OTP; empty otherwise.
	Challenge string
	// Code is the 6-digit code, or the temporary password of an
	// invitation.
	Code string
	// Time is when it was sent, by the server's clock.
	Time time.Time
}

// Messages returns the messages delivered so far, oldest first: at most
// the last 1000 of each user pool, so that one pool's messages never push
// out another's. A deleted pool's messages are forgotten with it.
func (e *Handler) Messages() []Message {
	e.mu.Lock()
	defer e.mu.Unlock()
	var all []sentMessage
	for _, ms := range e.outbox {
		all = append(all, ms...)
	}
	slices.SortFunc(all, func(a, b sentMessage) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]Message, len(all))
	for i, m := range all {
		out[i] = m.Message
	}
	return out
}

// LastCode returns the code (or temporary password) of the last message
// delivered to the user (by internal user name) of a pool.
func (e *Handler) LastCode(userPoolID, username string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ms := e.outbox[userPoolID]
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Username == username {
			return ms[i].Code, true
		}
	}
	return "", false
}

// sentMessage is a message in the outbox with its place in the order of
// all messages sent.
type sentMessage struct {
	Message
	seq uint64
}

// deliverLocked sends a sign-in challenge's code (MFA or OTP) and records it in
// the session. e.mu must be held.
func (e *Handler) deliverLocked(s *authSession, challenge string, now time.Time) (medium, dest string) {
	medium, dest = "EMAIL", s.user.attrs["email"]
	if challenge == chSMSMFA || challenge == chSMSOTP {
		medium, dest = "SMS", s.user.attrs["phone_number"]
	}
	s.code = randomDigits(6)
	s.attempts = 0
	reason := ReasonMFA
	if s.otpFirstFactor {
		reason = ReasonOTP
	}
	e.sendLocked(Message{
		UserPoolID: s.pool.id, Username: s.user.name, Medium: medium,
		Destination: dest, Reason: reason, Challenge: challenge, Code: s.code, Time: now,
	})
	return medium, maskDestination(medium, dest)
}

// sendLocked puts m in its pool's outbox, forgetting the pool's oldest
// message beyond maxOutbox, and logs it with WithCodeLog. Bounding each
// pool, not all together, keeps one pool's messages (a stranger's
// ResendConfirmationCode calls, say) from pushing out another pool's; with
// at most maxPools pools the outbox holds at most 1000 * 1000 messages.
// e.mu must be held.
func (e *Handler) sendLocked(m Message) {
	ms := e.outbox[m.UserPoolID]
	if len(ms) >= maxOutbox {
		ms = slices.Delete(ms, 0, len(ms)-maxOutbox+1)
	}
	e.sent++
	e.outbox[m.UserPoolID] = append(ms, sentMessage{Message: m, seq: e.sent})
	if e.codeLog {
		e.log.Info("cognito message delivered (test-only code log)",
			"userPoolId", m.UserPoolID, "username", m.Username, "deliveryMedium", m.Medium,
			"destination", m.Destination, "reason", m.Reason, "code", m.Code)
	}
}

// outboxFor returns the messages sent in a pool (to one user if
// filterUser), oldest first, and whether the pool exists. It takes e.mu.
func (e *Handler) outboxFor(poolID, username string, filterUser bool) ([]outboxMessage, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.pools[poolID]
	out := []outboxMessage{}
	for _, m := range e.outbox[poolID] {
		if filterUser && m.Username != username {
			continue
		}
		out = append(out, outboxMessage{
			UserPoolID: m.UserPoolID, Username: m.Username, DeliveryMedium: m.Medium,
			Destination: m.Destination, Reason: m.Reason, Code: m.Code,
			Time: m.Time.UTC().Format(time.RFC3339Nano),
		})
	}
	return out, ok
}

// maskDestination masks an address as Cognito's CODE_DELIVERY_DESTINATION
// does: "+*******1234" or "a***@e***".
func maskDestination(medium, dest string) string {
	if medium == "SMS" {
		b := []byte(dest)
		digits := 0
		for i := len(b) - 1; i >= 0; i-- {
			if b[i] >= '0' && b[i] <= '9' {
				digits++
				if digits > 4 {
					b[i] = '*'
				}
			}
		}
		return string(b)
	}
	local, domain, ok := strings.Cut(dest, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	return local[:1] + "***@" + domain[:1] + "***"
}

// outboxPrefix is where the test-only endpoints live.
const outboxPrefix = "/_cognitosrp/"

type outboxMessage struct {
	UserPoolID     string `json:"userPoolId"`
	Username       string `json:"username"`
	DeliveryMedium string `json:"deliveryMedium"`
	Destination    string `json:"destination"`
	Reason         string `json:"reason"`
	Code           string `json:"code"`
	Time           string `json:"time"`
}

// serveOutbox answers GET /_cognitosrp/outbox (see [WithOutboxHTTP]).
func (e *Handler) serveOutbox(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != outboxPrefix+"outbox" {
		writeError(w, &apiError{Status: http.StatusNotFound, Type: errResourceNotFound, Message: "Not found"})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, &apiError{Status: http.StatusMethodNotAllowed, Type: errUnknownOperation, Message: "Only GET is supported here"})
		return
	}
	q := r.URL.Query()
	poolID := q.Get("userPoolId")
	if poolID == "" {
		writeError(w, missingParam("userPoolId"))
		return
	}
	_, filterUser := q["username"]
	out, ok := e.outboxFor(poolID, q.Get("username"), filterUser)
	if !ok {
		writeError(w, &apiError{Status: http.StatusNotFound, Type: errResourceNotFound, Message: "User pool " + truncate(poolID, 100) + " does not exist."})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writePlainJSON(w, map[string][]outboxMessage{"messages": out})
}
