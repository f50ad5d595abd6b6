package flows

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Device is a remembered device: what a client keeps after ConfirmDevice to
// sign the same user in again through device authentication
// (DEVICE_SRP_AUTH), which skips MFA in user pools configured to.
//
// DevicePassword is a secret, like a password. Device's String and GoString
// methods leave it out, so that printing a Device does not leak it.
type Device struct {
	// UserPoolID is the user pool, such as "us-east-1_AbC123".
	UserPoolID string
	// Username is the user's internal user name in the pool.
	Username string
	// Aliases are other names the user signed in with on this device,
	// such as an email address, by which [DeviceStore.Get] also finds it.
	Aliases []string

	// DeviceKey and DeviceGroupKey are from the NewDeviceMetadata of the
	// sign-in that created the device.
	DeviceKey, DeviceGroupKey string
	// DevicePassword is the device's secret password.
	DevicePassword string
}

// String describes d without its device password. It has a value receiver,
// so that printing a Device value, or a struct or slice holding one, leaves
// the password out too.
func (d Device) String() string {
	return fmt.Sprintf("flows.Device{UserPoolID: %q, Username: %q, Aliases: %q, DeviceKey: %q, DeviceGroupKey: %q, DevicePassword: <redacted>}",
		d.UserPoolID, d.Username, d.Aliases, d.DeviceKey, d.DeviceGroupKey)
}

// GoString is like String.
func (d Device) GoString() string { return d.String() }

// hasName reports whether name is d's user name or one of its aliases.
func (d *Device) hasName(name string) bool {
	return d.Username == name || slices.Contains(d.Aliases, name)
}

func (d *Device) clone() *Device {
	c := *d
	c.Aliases = slices.Clone(d.Aliases)
	return &c
}

// A DeviceStore keeps at most one remembered [Device] per user of a user
// pool. Its methods must be safe for concurrent use.
type DeviceStore interface {
	// Get returns the device of the user called name in the user pool
	// userPoolID, where name is the internal user name or one of the
	// device's aliases (the internal user name wins). It returns nil and
	// no error when there is none.
	Get(ctx context.Context, userPoolID, name string) (*Device, error)

	// Put stores d as the device of the user d.Username in the user pool
	// d.UserPoolID, replacing any earlier one of that user. d.Username and
	// each of d.Aliases are removed from the aliases of other users'
	// devices in the pool. Put must not keep d, which the caller may change
	// afterwards.
	Put(ctx context.Context, d *Device) error

	// Delete removes the device deviceKey of the user pool userPoolID, if
	// it is stored. Deleting by key, not by user, does not remove a newer
	// device that another process stored in the meantime.
	Delete(ctx context.Context, userPoolID, deviceKey string) error
}

// MemoryStore is a [DeviceStore] in memory, safe for concurrent use.
type MemoryStore struct {
	mu      sync.Mutex
	devices []*Device
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// Get implements [DeviceStore].
func (s *MemoryStore) Get(ctx context.Context, userPoolID, name string) (*Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := findDevice(s.devices, userPoolID, name); d != nil {
		return d.clone(), nil
	}
	return nil, nil
}

// Put implements [DeviceStore].
func (s *MemoryStore) Put(ctx context.Context, d *Device) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.devices = putDevice(s.devices, d.clone())
	return nil
}

// Delete implements [DeviceStore].
func (s *MemoryStore) Delete(ctx context.Context, userPoolID, deviceKey string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.devices = deleteDevice(s.devices, userPoolID, deviceKey)
	return nil
}

// findDevice implements the lookup rule of [DeviceStore.Get] on a list.
func findDevice(devices []*Device, userPoolID, name string) *Device {
	var byAlias *Device
	for _, d := range devices {
		if d.UserPoolID != userPoolID {
			continue
		}
		if d.Username == name {
			return d
		}
		if byAlias == nil && slices.Contains(d.Aliases, name) {
			byAlias = d
		}
	}
	return byAlias
}

// putDevice implements [DeviceStore.Put] on a list; it keeps d.
func putDevice(devices []*Device, d *Device) []*Device {
	out := devices[:0]
	for _, o := range devices {
		if o.UserPoolID == d.UserPoolID {
			if o.Username == d.Username {
				continue
			}
			o.Aliases = slices.DeleteFunc(o.Aliases, func(a string) bool {
				return a == d.Username || slices.Contains(d.Aliases, a)
			})
		}
		out = append(out, o)
	}
	return append(out, d)
}

// deleteDevice implements [DeviceStore.Delete] on a list.
func deleteDevice(devices []*Device, userPoolID, deviceKey string) []*Device {
	return slices.DeleteFunc(devices, func(d *Device) bool {
		return d.UserPoolID == userPoolID && d.DeviceKey == deviceKey
	})
}
