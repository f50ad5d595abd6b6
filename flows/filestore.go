package flows

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FileStore is a [DeviceStore] in a JSON file, for command-line programs
// and other single-user clients. The file holds device passwords, so it is
// created with permissions 0600 (and its directory, if missing, with 0700).
//
// Every change is written atomically: to a temporary file in the same
// directory, synced, then renamed over the store and the directory synced,
// so that the file always holds a complete store even if the process dies
// while writing. Changes are serialized, also among processes, by an
// advisory lock (flock(2)) on a file next to the store whose name adds
// ".lock"; on systems without flock, only within one process. Reads take
// no lock. Temporary files left behind by a writer that was killed are
// removed by the next write.
//
// A FileStore is safe for concurrent use.
type FileStore struct {
	path string
	mu   sync.Mutex // serializes changes within this process

	// midWrite, set only by tests (export_test.go), is called in the
	// middle of writing the temporary file.
	midWrite func()
}

// NewFileStore returns a FileStore that keeps devices in the file at path.
// The file need not exist: it is created by the first change.
func NewFileStore(path string) *FileStore {
	return &FileStore{path: path}
}

// Path returns the store's file name.
func (s *FileStore) Path() string { return s.path }

// fileStoreVersion is the "version" of the file format.
const fileStoreVersion = 1

type fileStoreJSON struct {
	Version int               `json:"version"`
	Devices []fileStoreDevice `json:"devices"`
}

type fileStoreDevice struct {
	UserPoolID     string   `json:"userPoolId"`
	Username       string   `json:"username"`
	Aliases        []string `json:"aliases,omitempty"`
	DeviceKey      string   `json:"deviceKey"`
	DeviceGroupKey string   `json:"deviceGroupKey"`
	DevicePassword string   `json:"devicePassword"`
}

// Get implements [DeviceStore].
func (s *FileStore) Get(ctx context.Context, userPoolID, name string) (*Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	devices, err := s.load()
	if err != nil {
		return nil, err
	}
	return findDevice(devices, userPoolID, name), nil
}

// Put implements [DeviceStore].
func (s *FileStore) Put(ctx context.Context, d *Device) error {
	if d.UserPoolID == "" || d.Username == "" || d.DeviceKey == "" || d.DeviceGroupKey == "" || d.DevicePassword == "" {
		return errors.New("flows: FileStore.Put: incomplete device")
	}
	return s.update(ctx, func(devices []*Device) []*Device {
		return putDevice(devices, d.clone())
	})
}

// Delete implements [DeviceStore].
func (s *FileStore) Delete(ctx context.Context, userPoolID, deviceKey string) error {
	return s.update(ctx, func(devices []*Device) []*Device {
		return deleteDevice(devices, userPoolID, deviceKey)
	})
}

// update applies change to the stored devices under the store's locks.
func (s *FileStore) update(ctx context.Context, change func([]*Device) []*Device) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("flows: device store: %w", err)
	}
	unlock, err := lockFile(ctx, s.path+".lock")
	if err != nil {
		return fmt.Errorf("flows: device store: locking: %w", err)
	}
	defer unlock()
	if lockIsInterprocess {
		s.removeTemps()
	}
	devices, err := s.load()
	if err != nil {
		return err
	}
	return s.write(change(devices))
}

// tempPattern is the os.CreateTemp pattern of the temporary files of a
// store whose file is named base: "." + base + ".tmp-" and the digits that
// os.CreateTemp puts in place of the "*".
func tempPattern(base string) string { return tempPrefix(base) + "*" }

func tempPrefix(base string) string { return "." + base + ".tmp-" }

// isTempOf reports whether the file name is a temporary file of the store
// whose file is named base. The name is compared literally, never as a
// glob pattern (a store may be named "dev[1].json"), and the part after the
// prefix must be the digits of os.CreateTemp, so that the temporary files of
// a store named, say, "devices.json.tmp-1.json" are not taken for those of
// "devices.json".
func isTempOf(name, base string) bool {
	rest, ok := strings.CutPrefix(name, tempPrefix(base))
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// removeTemps removes the temporary files that writers killed in the middle
// of a write left behind; they may hold device passwords. It must be called
// with the inter-process lock held, when no other write is under way.
func (s *FileStore) removeTemps() {
	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() && isTempOf(e.Name(), base) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// load reads the store. A missing file is an empty store.
func (s *FileStore) load() ([]*Device, error) {
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("flows: device store: %w", err)
	}
	return parseFileStore(s.path, b)
}

func parseFileStore(path string, b []byte) ([]*Device, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	var f fileStoreJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	// Errors from encoding/json may quote parts of the file, which holds
	// device passwords, so they are replaced by a generic one.
	if dec.Decode(&f) != nil || dec.More() {
		return nil, fmt.Errorf("%w %s: not valid JSON in the expected format", ErrMalformedStore, path)
	}
	if f.Version != fileStoreVersion {
		return nil, fmt.Errorf("%w %s: unknown version %d", ErrMalformedStore, path, f.Version)
	}
	devices := make([]*Device, 0, len(f.Devices))
	for i, r := range f.Devices {
		if r.UserPoolID == "" || r.Username == "" || r.DeviceKey == "" || r.DeviceGroupKey == "" || r.DevicePassword == "" {
			return nil, fmt.Errorf("%w %s: device %d is incomplete", ErrMalformedStore, path, i)
		}
		devices = append(devices, &Device{
			UserPoolID:     r.UserPoolID,
			Username:       r.Username,
			Aliases:        r.Aliases,
			DeviceKey:      r.DeviceKey,
			DeviceGroupKey: r.DeviceGroupKey,
			DevicePassword: r.DevicePassword,
		})
	}
	return devices, nil
}

// write replaces the store's file atomically with devices.
func (s *FileStore) write(devices []*Device) (err error) {
	f := fileStoreJSON{Version: fileStoreVersion, Devices: make([]fileStoreDevice, 0, len(devices))}
	for _, d := range devices {
		f.Devices = append(f.Devices, fileStoreDevice{
			UserPoolID:     d.UserPoolID,
			Username:       d.Username,
			Aliases:        d.Aliases,
			DeviceKey:      d.DeviceKey,
			DeviceGroupKey: d.DeviceGroupKey,
			DevicePassword: d.DevicePassword,
		})
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("flows: device store: %w", err)
	}
	b = append(b, '\n')

	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	// os.CreateTemp creates the file with permissions 0600.
	tmp, err := os.CreateTemp(dir, tempPattern(base))
	if err != nil {
		return fmt.Errorf("flows: device store: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("flows: device store: %w", err)
	}
	if s.midWrite != nil {
		half := len(b) / 2
		if _, err = tmp.Write(b[:half]); err != nil {
			return fmt.Errorf("flows: device store: %w", err)
		}
		s.midWrite()
		b = b[half:]
	}
	if _, err = tmp.Write(b); err != nil {
		return fmt.Errorf("flows: device store: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("flows: device store: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("flows: device store: %w", err)
	}
	if err = os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("flows: device store: %w", err)
	}
	if err := syncDir(dir); err != nil {
		// The new file is in place; only its durability across a power
		// failure is uncertain.
		return fmt.Errorf("flows: device store: syncing directory: %w", err)
	}
	return nil
}
