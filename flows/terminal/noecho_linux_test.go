package terminal_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cognitosrp/cognitosrp/flows/terminal"
)

// openPTY opens a pseudo-terminal: its controlling side and the terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

func echoOn(t *testing.T, f *os.File) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// promptWriter writes to the terminal and records whether its echo was on
// when the prompt was written.
type promptWriter struct {
	t        *testing.T
	tty      *os.File
	mu       sync.Mutex
	prompted chan struct{}
	echoed   []bool
}

func (w *promptWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.echoed = append(w.echoed, echoOn(w.t, w.tty))
	w.mu.Unlock()
	n, err := w.tty.Write(p)
	if bytes.Contains(p, []byte("New password: ")) {
		close(w.prompted)
	}
	return n, err
}

// TestNoEchoBeforePrompt: NoEcho turns the terminal's echo off before it
// shows the prompt, so that a secret typed as soon as the prompt appears
// (or ahead of it) is never echoed, and turns it back on after the line.
func TestNoEchoBeforePrompt(t *testing.T) {
	master, tty := openPTY(t)
	if !echoOn(t, tty) {
		t.Fatal("the pseudo-terminal does not echo to begin with")
	}
	var screen bytes.Buffer
	var smu sync.Mutex
	go func() {
		b := make([]byte, 1024)
		for {
			n, err := master.Read(b)
			smu.Lock()
			screen.Write(b[:n])
			smu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	w := &promptWriter{t: t, tty: tty, prompted: make(chan struct{})}
	go func() {
		select {
		case <-w.prompted:
			master.Write([]byte("s3cret-typed-at-once\n"))
		case <-time.After(20 * time.Second):
		}
	}()
	got, err := terminal.NoEcho(tty, w)("New password: ")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "s3cret-typed-at-once" {
		t.Errorf("read %q", got)
	}
	w.mu.Lock()
	if len(w.echoed) == 0 || w.echoed[0] {
		t.Errorf("echo on when the prompt was written (writes: %v)", w.echoed)
	}
	w.mu.Unlock()
	if !echoOn(t, tty) {
		t.Errorf("echo not restored")
	}
	time.Sleep(50 * time.Millisecond) // what the terminal echoed, if anything, reaches the screen
	smu.Lock()
	defer smu.Unlock()
	if strings.Contains(screen.String(), "s3cret") {
		t.Errorf("the secret was echoed: %q", screen.String())
	}
}
