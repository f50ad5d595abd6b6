package flows_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/flows"
)

// flakyHTTP passes requests on to the server and hides the server's answer
// to the first request of the operation op behind an HTTP 500.
type flakyHTTP struct {
	op string

	mu    sync.Mutex
	calls map[string]int
}

func (f *flakyHTTP) Do(req *http.Request) (*http.Response, error) {
	op := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.calls[op]++
	first := f.calls[op] == 1
	f.mu.Unlock()
	if op != f.op || !first {
		return resp, nil
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	h := http.Header{}
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("X-Amzn-Errortype", "InternalErrorException")
	return &http.Response{
		Status: "500 Internal Server Error", StatusCode: 500, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Request: req,
		Body: io.NopCloser(strings.NewReader(`{"__type": "InternalErrorException", "message": "Internal server error."}`)),
	}, nil
}

// TestSDKRetries signs in with the SDK's standard retryer, as
// cognitoidentityprovider.NewFromConfig sets it up, and a server whose first
// answer to an operation is lost behind an HTTP 500. InitiateAuth is retried;
// RespondToAuthChallenge is not, since the server used up its Session: the
// retry would fail with NotAuthorizedException instead of the real error.
func TestSDKRetries(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tc := range []struct {
		op    string
		calls int
		ok    bool
	}{
		{"InitiateAuth", 2, true},
		{"RespondToAuthChallenge", 1, false},
	} {
		t.Run(tc.op, func(t *testing.T) {
			flaky := &flakyHTTP{op: tc.op, calls: map[string]int{}}
			api := srv.Client(func(o *cip.Options) {
				o.HTTPClient = flaky
				o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
					so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
				})
			})
			c, err := flows.New(api, flowsPool, clientID(flowsPool, variants[0]))
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Login(context.Background(), "alice", password)
			if n := flaky.calls[tc.op]; n != tc.calls {
				t.Errorf("%d calls of %s, want %d", n, tc.op, tc.calls)
			}
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				checkTokens(t, res, "alice")
				return
			}
			var ie *types.InternalErrorException
			if res != nil || !errors.As(err, &ie) {
				t.Errorf("got %v, %v; want the InternalErrorException", res, err)
			}
		})
	}
}
