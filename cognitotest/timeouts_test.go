package cognitotest_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/cognitotest"
)

// closedWithin reports whether the server closes conn within d: a read
// returns EOF or a reset, not a timeout of our own deadline.
func closedWithin(t *testing.T, conn net.Conn, d time.Duration) bool {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 4096)
	for {
		_, err := conn.Read(buf)
		if err == nil {
			continue // a 408 or similar answer before the close
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return false
		}
		return true
	}
}

func timeoutServer(t *testing.T) *cognitotest.Server {
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID:      "us-east-1_Timeouts",
			Clients: []cognitotest.AppClient{{ID: "client"}},
			Users:   []cognitotest.User{{Username: "alice", Password: "correct horse"}},
		}},
	}, cognitotest.WithTimeouts(200*time.Millisecond, 400*time.Millisecond, 400*time.Millisecond, 300*time.Millisecond))
	t.Cleanup(srv.Close)
	return srv
}

// TestSlowClientsAreDisconnected: a client that trickles its headers or its
// body (slowloris), or leaves a keep-alive connection idle, is
// disconnected by the server's timeouts.
func TestSlowClientsAreDisconnected(t *testing.T) {
	t.Parallel()
	srv := timeoutServer(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	dial := func(t *testing.T) net.Conn {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	// trickle writes s a byte at a time until the server stops reading.
	trickle := func(conn net.Conn, s string) {
		go func() {
			for i := range len(s) {
				if _, err := conn.Write([]byte{s[i]}); err != nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}

	t.Run("trickled headers", func(t *testing.T) {
		t.Parallel()
		conn := dial(t)
		trickle(conn, "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\n"+strings.Repeat("X-Pad: y\r\n", 100))
		if !closedWithin(t, conn, 3*time.Second) {
			t.Error("a connection trickling its headers was still open after 3 s")
		}
	})
	t.Run("trickled body", func(t *testing.T) {
		t.Parallel()
		conn := dial(t)
		body := `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "client", "AuthParameters": {"USERNAME": "alice", "SRP_A": "02"}}` + strings.Repeat(" ", 500)
		io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\n"+
			"Content-Length: "+strconv.Itoa(len(body))+"\r\n\r\n")
		trickle(conn, body)
		if !closedWithin(t, conn, 3*time.Second) {
			t.Error("a connection trickling its body was still open after 3 s")
		}
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		t.Parallel()
		conn := dial(t)
		io.WriteString(conn, "GET /us-east-1_Timeouts/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n")
		conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		br := bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Close {
			t.Fatalf("HTTP %d, close %v", resp.StatusCode, resp.Close)
		}
		conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		if _, err := br.ReadByte(); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("an idle keep-alive connection was still open after 3 s: %v", err)
		}
	})

	// The server still answers.
	resp, err := http.Get(srv.JWKSURL("us-east-1_Timeouts"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
