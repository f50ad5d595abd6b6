//go:build !unix

package atomicfile

import "context"

// lockIsInterprocess reports whether lockFile excludes other processes.
const lockIsInterprocess = false

// lockFile is a no-op where flock(2) is not available: [Update]
// serializes changes only within one process there.
func lockFile(ctx context.Context, name string) (unlock func(), err error) {
	return func() {}, nil
}

// syncDir is a no-op: directories cannot be synced on these systems.
func syncDir(dir string) error { return nil }
