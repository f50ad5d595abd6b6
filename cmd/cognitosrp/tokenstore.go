package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// tokenStore keeps refresh tokens between runs of login, for --refresh: a
// JSON file, mode 0600, replaced atomically (temporary file, fsync, rename).
// Concurrent writers do not corrupt it; the last one wins.
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
	m := map[string]storedToken{}
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

// put stores the user's token, replacing the file atomically.
func (s tokenStore) put(poolID, clientID, username string, t storedToken) error {
	m, err := s.load()
	if err != nil {
		return err
	}
	m[tokenKey(poolID, clientID, username)] = t
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("token store: %w", err)
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("token store: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tokens-*.tmp")
	if err != nil {
		return fmt.Errorf("token store: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("token store: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("token store: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("token store: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("token store: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("token store: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
