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

	"github.com/cognitosrp/cognitosrp/internal/atomicfile"
)

// FileStore is a [DeviceStore] in a JSON file, for command-line programs
// and other single-user clients. The file holds device passwords, so it is
// created with permissions 0600 (and its directory, if missing, with 0700).
//
// Every change is written atomically: to a temporary file in the same
// directory (named "." + the store's name + ".tmp-" and digits), synced,
// then renamed over the store and the directory synced, so that the file
// always holds a complete store even if the process dies while writing.
// Changes are serialized, also among processes, by an advisory lock
// (flock(2)) on a file next to the store whose name adds ".lock"; on
// systems without flock, only within one process. Reads take no lock.
// Temporary files left behind by a writer that was killed are removed by
// the next write.
//
// A path that is a symbolic link (say, into an encrypted volume) stays a
// link: the file it points to is written, and the temporary file and the
// lock are next to that file. A link to a file that does not exist yet
// creates it, but not its directory. A file that is replaced keeps its
// permissions if they are stricter than 0600 and is tightened to 0600 if
// they are wider.
//
// A FileStore is safe for concurrent use.
type FileStore struct {
	path string

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
	var parseErr error
	err := atomicfile.Update(ctx, s.path, 0o600, func(old []byte, w io.Writer) error {
		devices, err := parseFileStore(s.path, old)
		if err != nil {
			parseErr = err
			return err
		}
		return s.write(w, change(devices))
	})
	if err != nil && err != parseErr {
		return fmt.Errorf("flows: device store: %w", err)
	}
	return err
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

// write writes devices to w, in the store's format.
func (s *FileStore) write(w io.Writer, devices []*Device) error {
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
		return err
	}
	b = append(b, '\n')
	if s.midWrite != nil {
		half := len(b) / 2
		if _, err := w.Write(b[:half]); err != nil {
			return err
		}
		s.midWrite()
		b = b[half:]
	}
	_, err = w.Write(b)
	return err
}
