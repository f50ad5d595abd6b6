package emulator

import (
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

// Message is a message that the emulator "delivered" by SMS or email: a
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
	// Time is when it was sent, by the emulator's clock.
	Time time.Time
}

// WithOutboxHTTP serves the outbox over HTTP, for tests written in any
// language:
//
//	GET /_cognitosrp/outbox?userPoolId=ID[&username=NAME]
//
// answers {"messages": [{"userPoolId", "username", "deliveryMedium",
// "destination", "reason", "code", "time"}]}, oldest first, where username
// is the internal user name and time is RFC 3339. It is a test-only power
// that Cognito does not have: it hands out every code and temporary
// password to anyone who can reach the server. Without this option nothing
// is served under /_cognitosrp/.
func WithOutboxHTTP() Option { return func(o *options) { o.outboxHTTP = true } }

// WithCodeLog makes the emulator log every message it delivers, code or
// temporary password included, to the logger of [WithLogger] at level
// Info. It is a test-only power, off by default: the other log lines never
// hold a code.
func WithCodeLog() Option { return func(o *options) { o.codeLog = true } }

// Messages returns the messages delivered so far, oldest first (at most the
// last 1000).
func (e *Emulator) Messages() []Message {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.outbox)
}

// LastCode returns the code (or temporary password) of the last message
// delivered to the user (by internal user name) of a pool.
func (e *Emulator) LastCode(userPoolID, username string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := len(e.outbox) - 1; i >= 0; i-- {
		m := e.outbox[i]
		if m.UserPoolID == userPoolID && m.Username == username {
			return m.Code, true
		}
	}
	return "", false
}

// deliver sends a sign-in challenge's code (MFA or OTP) and records it in
// the session. e.mu must be held.
func (e *Emulator) deliver(s *authSession, challenge string, now time.Time) (medium, dest string) {
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

// sendLocked puts m in the outbox, forgetting the oldest message beyond
// maxOutbox, and logs it with WithCodeLog. e.mu must be held.
func (e *Emulator) sendLocked(m Message) {
	if len(e.outbox) >= maxOutbox {
		e.outbox = slices.Delete(e.outbox, 0, len(e.outbox)-maxOutbox+1)
	}
	e.outbox = append(e.outbox, m)
	if e.codeLog {
		e.log.Info("cognito message delivered (test-only code log)",
			"userPoolId", m.UserPoolID, "username", m.Username, "deliveryMedium", m.Medium,
			"destination", m.Destination, "reason", m.Reason, "code", m.Code)
	}
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
func (e *Emulator) serveOutbox(w http.ResponseWriter, r *http.Request) {
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
	username := q.Get("username")
	e.mu.Lock()
	_, ok := e.pools[poolID]
	out := []outboxMessage{}
	for _, m := range e.outbox {
		if m.UserPoolID != poolID || (filterUser && m.Username != username) {
			continue
		}
		out = append(out, outboxMessage{
			UserPoolID: m.UserPoolID, Username: m.Username, DeliveryMedium: m.Medium,
			Destination: m.Destination, Reason: m.Reason, Code: m.Code,
			Time: m.Time.UTC().Format(time.RFC3339Nano),
		})
	}
	e.mu.Unlock()
	if !ok {
		writeError(w, &apiError{Status: http.StatusNotFound, Type: errResourceNotFound, Message: "User pool " + truncate(poolID, 100) + " does not exist."})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writePlainJSON(w, map[string][]outboxMessage{"messages": out})
}
