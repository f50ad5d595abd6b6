package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/cognitosrp/cognitosrp/internal/atomicfile"
)

// tokenStore keeps refresh tokens between runs of login, for --refresh: a
// JSON file, mode 0600, replaced atomically and under a lock by
// [atomicfile.Update], so that concurrent logins lose no token.
type tokenStore struct{ path string }

// storedToken is one refresh token with the internal user name that its
// SECRET_HASH needs.
type storedToken struct {
	RefreshToken string    `json:"refreshToken"`
	Username     string    `json:"username"`
	Saved        time.Time `json:"saved"`
}

func tokenKey(poolID, clientID, username string) string {
	return poolID + "/" + clientID + "/" + username
}

func (s tokenStore) load() (map[string]storedToken, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]storedToken{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("token store: %w", err)
	}
	return s.parse(data)
}

// parse parses the contents of the store; nil is an empty store.
func (s tokenStore) parse(data []byte) (map[string]storedToken, error) {
	m := map[string]storedToken{}
	if data == nil {
		return m, nil
	}
	if err := json.Unmarshal(data, &m); err != nil {
		// The error could quote the file, which holds tokens: say only where.
		return nil, fmt.Errorf("token store %s: not a token store written by cognitosrp", s.path)
	}
	return m, nil
}

// get returns the token stored for the user, if any.
func (s tokenStore) get(poolID, clientID, username string) (storedToken, bool, error) {
	m, err := s.load()
	if err != nil {
		return storedToken{}, false, err
	}
	t, ok := m[tokenKey(poolID, clientID, username)]
	return t, ok && t.RefreshToken != "", nil
}

// put stores the user's token, replacing the file atomically under its
// lock, as the device store does.
func (s tokenStore) put(ctx context.Context, poolID, clientID, username string, t storedToken) error {
	var parseErr error
	err := atomicfile.Update(ctx, s.path, 0o600, func(old []byte, w io.Writer) error {
		m, err := s.parse(old)
		if err != nil {
			parseErr = err
			return err
		}
		m[tokenKey(poolID, clientID, username)] = t
		data, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(data, '\n'))
		return err
	})
	if err != nil && err != parseErr {
		return fmt.Errorf("token store: %w", err)
	}
	return err
}
