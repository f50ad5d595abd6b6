package flows_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/flows"
)

const pool = "us-east-1_Test"

func testDevice(user, key string) *flows.Device {
	return &flows.Device{
		UserPoolID:     pool,
		Username:       user,
		DeviceKey:      key,
		DeviceGroupKey: "group-" + key,
		DevicePassword: "secret-password-of-" + key,
	}
}

// checkComplete checks that d is a whole record written by testDevice.
func checkComplete(t *testing.T, d *flows.Device) {
	t.Helper()
	if d.DeviceGroupKey != "group-"+d.DeviceKey || d.DevicePassword != "secret-password-of-"+d.DeviceKey {
		t.Fatalf("inconsistent device record %v", d)
	}
}

func TestStores(t *testing.T) {
	stores := map[string]func(t *testing.T) flows.DeviceStore{
		"memory": func(t *testing.T) flows.DeviceStore { return flows.NewMemoryStore() },
		"file": func(t *testing.T) flows.DeviceStore {
			return flows.NewFileStore(filepath.Join(t.TempDir(), "sub", "devices.json"))
		},
	}
	for name, newStore := range stores {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t)
			if d, err := s.Get(ctx, pool, "alice"); d != nil || err != nil {
				t.Fatalf("Get on empty store = %v, %v", d, err)
			}
			a := testDevice("alice-id", "k1")
			a.Aliases = []string{"alice@example.com", "alice"}
			if err := s.Put(ctx, a); err != nil {
				t.Fatal(err)
			}
			a.Aliases[0] = "changed after Put"
			for _, n := range []string{"alice-id", "alice@example.com", "alice"} {
				d, err := s.Get(ctx, pool, n)
				if err != nil || d == nil || d.DeviceKey != "k1" {
					t.Fatalf("Get(%q) = %v, %v", n, d, err)
				}
				checkComplete(t, d)
			}
			if d, _ := s.Get(ctx, "us-east-1_Other", "alice-id"); d != nil {
				t.Errorf("found a device of another pool: %v", d)
			}

			// Another user takes the alias "alice"; the internal name wins
			// over an alias.
			b := testDevice("bob-id", "k2")
			b.Aliases = []string{"alice", "alice-id"}
			if err := s.Put(ctx, b); err != nil {
				t.Fatal(err)
			}
			if d, _ := s.Get(ctx, pool, "alice"); d == nil || d.DeviceKey != "k2" {
				t.Errorf("alias did not move: %v", d)
			}
			if d, _ := s.Get(ctx, pool, "alice-id"); d == nil || d.DeviceKey != "k1" {
				t.Errorf("Get by internal name = %v, want k1", d)
			}
			if d, _ := s.Get(ctx, pool, "alice@example.com"); d == nil || d.DeviceKey != "k1" {
				t.Errorf("Get by remaining alias = %v, want k1", d)
			}

			// A new device of the same user replaces the old one.
			if err := s.Put(ctx, testDevice("alice-id", "k3")); err != nil {
				t.Fatal(err)
			}
			if d, _ := s.Get(ctx, pool, "alice-id"); d == nil || d.DeviceKey != "k3" {
				t.Errorf("Get after replacement = %v", d)
			}
			// Deleting the replaced key leaves the new device alone.
			if err := s.Delete(ctx, pool, "k1"); err != nil {
				t.Fatal(err)
			}
			if d, _ := s.Get(ctx, pool, "alice-id"); d == nil || d.DeviceKey != "k3" {
				t.Errorf("Delete of a stale key removed the new device: %v", d)
			}
			if err := s.Delete(ctx, pool, "k3"); err != nil {
				t.Fatal(err)
			}
			if d, _ := s.Get(ctx, pool, "alice-id"); d != nil {
				t.Errorf("Get after Delete = %v", d)
			}

			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := s.Put(cctx, testDevice("carol", "k4")); !errors.Is(err, context.Canceled) {
				t.Errorf("Put with a canceled context: %v", err)
			}
		})
	}
}

func TestFileStoreFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "devices.json")
	s := flows.NewFileStore(path)
	if err := s.Put(ctx, testDevice("alice", "k1")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("permissions %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	// A second store on the same file sees the device.
	if d, err := flows.NewFileStore(path).Get(ctx, pool, "alice"); err != nil || d == nil {
		t.Errorf("Get through another FileStore = %v, %v", d, err)
	}

	// A malformed file is an error that does not quote it, and is not
	// overwritten.
	const garbage = `{"version": 1, "devices": [{"devicePassword": "hunter2-device-secret"`
	if err := os.WriteFile(path, []byte(garbage), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = s.Get(ctx, pool, "alice")
	if !errors.Is(err, flows.ErrMalformedStore) || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Get on a malformed file: %v", err)
	}
	if err := s.Put(ctx, testDevice("bob", "k2")); !errors.Is(err, flows.ErrMalformedStore) {
		t.Errorf("Put on a malformed file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != garbage {
		t.Errorf("malformed file was overwritten")
	}
	if err := os.WriteFile(path, []byte(`{"version": 1, "devices": [{"userPoolId": "p", "username": "u", "deviceKey": "k"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, pool, "u"); !errors.Is(err, flows.ErrMalformedStore) {
		t.Errorf("Get of an incomplete record: %v", err)
	}
}

// The helper process of the multi-process tests: it runs only when the
// test binary is re-executed with helperEnv set.
const helperEnv = "COGNITOSRP_FLOWS_STORE_HELPER"

func TestFileStoreHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper process")
	}
	path, id := os.Getenv("STORE_PATH"), os.Getenv("STORE_ID")
	n, _ := strconv.Atoi(os.Getenv("STORE_COUNT"))
	s := flows.NewFileStore(path)
	ctx := context.Background()
	if mode == "hang" {
		// Stop in the middle of a write until killed.
		flows.SetMidWriteHook(s, func() {
			fmt.Println("mid-write")
			time.Sleep(30 * time.Second)
		})
		s.Put(ctx, testDevice("user-hang", "key-hang"))
		os.Exit(3)
	}
	// A looping helper outlives its parent only briefly, should the parent
	// die before killing it.
	ppid, deadline := os.Getppid(), time.Now().Add(30*time.Second)
	for i := 0; mode == "loop" || i < n; i++ {
		if mode == "loop" && (os.Getppid() != ppid || time.Now().After(deadline)) {
			os.Exit(4)
		}
		d := testDevice(fmt.Sprintf("user-%s-%d", id, i%n), fmt.Sprintf("key-%s-%d", id, i))
		// Long aliases make each write a few hundred kilobytes, so that a kill
		// is likely to land in the middle of one.
		if mode == "loop" {
			for j := range 50 {
				d.Aliases = append(d.Aliases, fmt.Sprintf("alias-%d-%d-%s@example.com", i, j, strings.Repeat("x", 2000)))
			}
		}
		if err := s.Put(ctx, d); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if i == 0 {
			fmt.Println("ready")
		}
	}
	os.Exit(0)
}

func helperCommand(t *testing.T, mode, path, id string, count int) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFileStoreHelperProcess$")
	// GORACE: a binary built with -race otherwise sleeps a second at exit.
	cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0", helperEnv+"="+mode, "STORE_PATH="+path, "STORE_ID="+id, "STORE_COUNT="+strconv.Itoa(count))
	cmd.Stderr = os.Stderr
	return cmd
}

func TestFileStoreConcurrentProcesses(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no flock or no subprocesses")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "devices.json")
	const procs, count = 3, 15
	var cmds []*exec.Cmd
	for i := range procs {
		cmd := helperCommand(t, "write", path, strconv.Itoa(i), count)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	// This process writes too, through its own store.
	s := flows.NewFileStore(path)
	ctx := context.Background()
	for i := range count {
		if err := s.Put(ctx, testDevice(fmt.Sprintf("user-main-%d", i), fmt.Sprintf("key-main-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper: %v", err)
		}
	}
	// No write was lost.
	for _, id := range []string{"0", "1", "2", "main"} {
		for i := range count {
			d, err := s.Get(ctx, pool, fmt.Sprintf("user-%s-%d", id, i))
			if err != nil || d == nil {
				t.Fatalf("device of user-%s-%d: %v, %v", id, i, d, err)
			}
			checkComplete(t, d)
		}
	}
}

// TestFileStoreKilledMidWrite kills a writer at a known point, in the middle
// of writing its temporary file.
func TestFileStoreKilledMidWrite(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no kill or no subprocesses")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "devices.json")
	ctx := context.Background()
	s := flows.NewFileStore(path)
	if err := s.Put(ctx, testDevice("user-before", "key-before")); err != nil {
		t.Fatal(err)
	}
	cmd := helperCommand(t, "hang", path, "hang", 1)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	cmd.Process.Kill()
	cmd.Wait()
	if err != nil || line != "mid-write\n" {
		t.Fatalf("helper: %q, %v", line, err)
	}
	temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".devices.json.tmp-*"))
	if len(temps) != 1 {
		t.Fatalf("temporary files after the kill: %q, want one", temps)
	}
	d, err := s.Get(ctx, pool, "user-before")
	if err != nil || d == nil {
		t.Fatalf("after the kill: %v, %v", d, err)
	}
	checkComplete(t, d)
	if d, err := s.Get(ctx, pool, "user-hang"); d != nil || err != nil {
		t.Fatalf("half-written device visible: %v, %v", d, err)
	}
	// The lock died with the writer, and the next write removes its
	// temporary file.
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Put(wctx, testDevice("user-after", "key-after")); err != nil {
		t.Fatal(err)
	}
	if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".devices.json.tmp-*")); len(temps) > 0 {
		t.Errorf("temporary files left behind: %q", temps)
	}
}

// TestFileStoreKilledWriter kills a writer at random points of a loop of
// writes.
func TestFileStoreKilledWriter(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no kill or no subprocesses")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "devices.json")
	ctx := context.Background()
	s := flows.NewFileStore(path)
	for round := range 3 {
		cmd := helperCommand(t, "loop", path, strconv.Itoa(round), 3)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper did not start: %q, %v", line, err)
		}
		time.Sleep(time.Duration(5+round*7) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		// The file parses and holds the complete records of this round.
		for i := range 3 {
			d, err := s.Get(ctx, pool, fmt.Sprintf("user-%d-%d", round, i))
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if d == nil {
				if i == 0 {
					t.Fatalf("round %d: the first record is missing", round)
				}
				continue
			}
			checkComplete(t, d)
		}
		// And a new write after the kill works: the lock was released.
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = s.Put(wctx, testDevice(fmt.Sprintf("after-%d", round), fmt.Sprintf("after-key-%d", round)))
		cancel()
		if err != nil {
			t.Fatalf("round %d: Put after kill: %v", round, err)
		}
		// That write removed any temporary file the killed writer left.
		if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".devices.json.tmp-*")); len(temps) > 0 {
			t.Errorf("round %d: temporary files left behind: %q", round, temps)
		}
	}
}
