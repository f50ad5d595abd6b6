package flows

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/cognitosrp/cognitosrp/internal/atomicfile"
)

// FileTokenStore is a [TokenStore] in a JSON file, for command-line
// programs and other single-user clients. The file holds refresh tokens, so
// it is created with permissions 0600 (and its directory, if missing, with
// 0700), and written as a [FileStore] writes its file: atomically, under an
// advisory lock next to it (the file name and ".lock") that also covers the
// refresh that a [TokenSource] runs inside Update, so that processes sharing
// the file refresh one at a time and pick up each other's rotated refresh
// tokens. A path that is a symbolic link stays one, as with a [FileStore]:
// the tokens are written to the file it points to.
//
// A FileTokenStore is safe for concurrent use.
type FileTokenStore struct {
	path string
}

// NewFileTokenStore returns a FileTokenStore that keeps tokens in the file
// at path. The file need not exist: it is created by the first change.
func NewFileTokenStore(path string) *FileTokenStore {
	return &FileTokenStore{path: path}
}

// Path returns the store's file name.
func (s *FileTokenStore) Path() string { return s.path }

// tokenFileVersion is the "version" of the file format.
const tokenFileVersion = 1

type tokenFileJSON struct {
	Version int              `json:"version"`
	Tokens  []tokenFileEntry `json:"tokens"`
}

type tokenFileEntry struct {
	UserPoolID        string    `json:"userPoolId"`
	ClientID          string    `json:"clientId"`
	Username          string    `json:"username"`
	Aliases           []string  `json:"aliases,omitempty"`
	AccessToken       string    `json:"accessToken,omitempty"`
	AccessTokenExpiry time.Time `json:"accessTokenExpiry"`
	IDToken           string    `json:"idToken,omitempty"`
	IDTokenExpiry     time.Time `json:"idTokenExpiry"`
	RefreshToken      string    `json:"refreshToken,omitempty"`
}

// Get implements [TokenStore].
func (s *FileTokenStore) Get(ctx context.Context, userPoolID, clientID, name string) (*Tokens, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(s.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("flows: token store: %w", err)
	}
	list, err := parseTokenFile(s.path, b)
	if err != nil {
		return nil, err
	}
	return findTokens(list, userPoolID, clientID, name), nil
}

// Update implements [TokenStore]. f runs with the file's lock held.
func (s *FileTokenStore) Update(ctx context.Context, userPoolID, clientID, name string, f func(*Tokens) (*Tokens, error)) error {
	var ownErr error // an error of f, or of parsing and checking
	err := atomicfile.Update(ctx, s.path, 0o600, func(old []byte, w io.Writer) error {
		list, err := parseTokenFile(s.path, old)
		if err == nil {
			list, err = updateTokens(list, userPoolID, clientID, name, f)
		}
		if err != nil {
			ownErr = err
			return err
		}
		if list == nil {
			// Unchanged: atomicfile.Update always writes.
			_, err = w.Write(old)
			return err
		}
		b, err := marshalTokenFile(list)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil && err != ownErr {
		return fmt.Errorf("flows: token store: %w", err)
	}
	return err
}

func parseTokenFile(path string, b []byte) ([]*Tokens, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	if list, ok := parseLegacyTokenFile(b); ok {
		return list, nil
	}
	var f tokenFileJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	// Errors from encoding/json may quote parts of the file, which holds
	// tokens, so they are replaced by a generic one.
	if dec.Decode(&f) != nil || dec.More() {
		return nil, fmt.Errorf("%w %s: not valid JSON in the expected format", ErrMalformedStore, path)
	}
	if f.Version != tokenFileVersion {
		return nil, fmt.Errorf("%w %s: unknown version %d", ErrMalformedStore, path, f.Version)
	}
	list := make([]*Tokens, 0, len(f.Tokens))
	for i, e := range f.Tokens {
		if e.UserPoolID == "" || e.ClientID == "" || e.Username == "" {
			return nil, fmt.Errorf("%w %s: tokens %d are incomplete", ErrMalformedStore, path, i)
		}
		list = append(list, &Tokens{
			UserPoolID:        e.UserPoolID,
			ClientID:          e.ClientID,
			Username:          e.Username,
			Aliases:           e.Aliases,
			AccessToken:       e.AccessToken,
			IDToken:           e.IDToken,
			RefreshToken:      e.RefreshToken,
			AccessTokenExpiry: e.AccessTokenExpiry,
			IDTokenExpiry:     e.IDTokenExpiry,
		})
	}
	return list, nil
}

func marshalTokenFile(list []*Tokens) ([]byte, error) {
	f := tokenFileJSON{Version: tokenFileVersion, Tokens: make([]tokenFileEntry, 0, len(list))}
	for _, t := range list {
		f.Tokens = append(f.Tokens, tokenFileEntry{
			UserPoolID:        t.UserPoolID,
			ClientID:          t.ClientID,
			Username:          t.Username,
			Aliases:           t.Aliases,
			AccessToken:       t.AccessToken,
			AccessTokenExpiry: t.AccessTokenExpiry.UTC(),
			IDToken:           t.IDToken,
			IDTokenExpiry:     t.IDTokenExpiry.UTC(),
			RefreshToken:      t.RefreshToken,
		})
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// legacyToken is an entry of the file that cognitosrp login's --token-store
// wrote before the versioned format: a JSON object whose keys are
// "<userPoolId>/<clientId>/<name typed at sign-in>".
type legacyToken struct {
	RefreshToken string    `json:"refreshToken"`
	Username     string    `json:"username"` // the internal user name
	Saved        time.Time `json:"saved"`
}

// parseLegacyTokenFile reads a token file in the command's earlier format,
// so that its refresh tokens are kept: the next change rewrites the file in
// the current format. ok is false when b is not such a file.
func parseLegacyTokenFile(b []byte) (list []*Tokens, ok bool) {
	var m map[string]legacyToken
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if dec.Decode(&m) != nil || dec.More() || m == nil {
		return nil, false
	}
	if _, versioned := m["version"]; versioned {
		return nil, false
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same file gives the same list
	for _, k := range keys {
		e := m[k]
		parts := strings.SplitN(k, "/", 3)
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" || e.Username == "" {
			return nil, false
		}
		if e.RefreshToken == "" {
			continue
		}
		pool, client, typed := parts[0], parts[1], parts[2]
		var t *Tokens
		for _, have := range list {
			if have.UserPoolID == pool && have.ClientID == client && have.Username == e.Username {
				t = have
			}
		}
		if t == nil {
			t = &Tokens{UserPoolID: pool, ClientID: client, Username: e.Username, RefreshToken: e.RefreshToken}
			list = append(list, t)
		}
		if typed != e.Username && !slices.Contains(t.Aliases, typed) {
			t.Aliases = append(t.Aliases, typed)
		}
	}
	return list, true
}
